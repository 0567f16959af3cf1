using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Latent.Studio.Tests;

/// <summary>The studio's front door over real HTTP on loopback: token, Host, Origin, confined paths and bounded input.</summary>
[Collection(StudioCollection.Name)]
public class SecurityTests(StudioFixture studio)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/static/app.js")]
    [InlineData("/api/runs")]
    [InlineData("/api/status")]
    [InlineData("/api/runs/" + StudioFixture.ToyRun + "/file?path=samples.png")]
    public async Task RequestWithoutTokenIsUnauthorized(string path)
    {
        var response = await studio.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("token", await ErrorOf(response));
    }

    [Fact]
    public async Task WrongTokenIsForbiddenWherevereItComesFrom()
    {
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/runs?token=0123456789abcdef0123456789abcdef"),
            WithHeader(new HttpRequestMessage(HttpMethod.Get, "/api/runs"), "X-Latent-Token", "0123456789abcdef"),
            WithHeader(new HttpRequestMessage(HttpMethod.Get, "/api/runs"), "Authorization", "Bearer " + studio.Server.Token[..^1] + "x"),
            WithHeader(new HttpRequestMessage(HttpMethod.Get, "/api/runs"), "Cookie", $"latent_studio_{studio.Server.Port}=not-the-token"),
        })
        {
            var response = await studio.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("wrong access token", await ErrorOf(response));
        }
    }

    [Fact]
    public async Task TokenInAddressSetsAStrictHttpOnlyCookieAndLeavesTheAddress()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(studio.Server.BaseUrl) };
        var response = await client.GetAsync($"/?token={studio.Server.Token}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        string cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"latent_studio_{studio.Server.Port}={studio.Server.Token};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // The cookie alone then opens every page and API.
        var page = await client.SendAsync(WithHeader(new HttpRequestMessage(HttpMethod.Get, "/"), "Cookie", cookie.Split(';')[0]));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Latent Studio", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8765")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    public async Task ForeignHostHeaderIsRefusedEvenWithTheToken(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = host;
        var response = await studio.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Host", await ErrorOf(response));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task LoopbackHostNamesAreAccepted(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Host = $"{host}:{studio.Server.Port}";
        Assert.Equal(HttpStatusCode.OK, (await studio.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task RequestWithoutHostHeaderIsRefused()
    {
        // HTTP/1.0 allows leaving Host out; a raw socket is the only way to send such a request.
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, studio.Server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/runs HTTP/1.0\r\nX-Latent-Token: {studio.Server.Token}\r\n\r\n"));
        string reply = await new StreamReader(stream).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 403", reply);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:1")]
    [InlineData("https://127.0.0.1")]
    [InlineData("null")]
    public async Task StateChangingRequestFromForeignOriginIsRefused(string origin)
    {
        long started = await studio.SessionsStarted();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/live/modes") { Content = JsonContent.Create(new { loss = "hinge" }) };
        request.Headers.Add("Origin", origin);
        var response = await studio.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin", await ErrorOf(response));
        Assert.Equal(started, await studio.SessionsStarted());
    }

    [Fact]
    public async Task CrossSiteFetchWithoutOriginIsRefused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/live/modes") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var response = await studio.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task StateChangingRequestFromOwnOriginIsAccepted()
    {
        Assert.True(await studio.WaitForNoSessions());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/live/patterns") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Origin", studio.Server.BaseUrl);
        var response = await studio.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await studio.Client.DeleteAsync($"/api/live/{id}")).StatusCode);
        Assert.True(await studio.WaitForNoSessions());
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("%252e%252e/%252e%252e/%252e%252e/etc/passwd")]
    [InlineData("..\\..\\..\\etc\\passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("samples.png/../../" + StudioFixture.ImageRun + "/recipe.json")]
    [InlineData("escape-dir/secret.json")]
    [InlineData("leak.json")]
    [InlineData("checkpoint/generator.dat")]
    [InlineData("")]
    public async Task FileOutsideTheRunIsNotServed(string path)
    {
        // The server receives the path exactly as written: the variants already percent-encoded stay so after the query's decoding.
        var response = await studio.Client.GetAsync($"/api/runs/{StudioFixture.ToyRun}/file?path={Uri.EscapeDataString(path)}");
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("outside the runs root", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/runs/%2E%2E/file?path=etc/passwd")]
    [InlineData("/api/runs/..%2F..%2Fetc/file?path=passwd")]
    [InlineData("/api/runs/escape-run")]
    [InlineData("/api/runs/escape-run/file?path=secret.json")]
    [InlineData("/api/runs/escape-run/metrics")]
    [InlineData("/api/runs/" + StudioFixture.ToyRun + "/../../../etc/passwd")]
    [InlineData("/static/..%2F..%2FLatent.Studio.dll")]
    [InlineData("/static/%2E%2E%2Fapp.js")]
    public async Task RunOrStaticPathOutsideTheRootIsNotFound(string path)
    {
        var response = await studio.Client.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("outside the runs root", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LinkedRunOutsideTheRootIsNotListed()
    {
        var runs = await studio.Client.GetFromJsonAsync<JsonElement>("/api/runs");
        var names = runs.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains(StudioFixture.ToyRun, names);
        Assert.Contains(StudioFixture.ImageRun, names);
        Assert.Contains(StudioFixture.SecondToyRun, names);
        Assert.DoesNotContain("escape-run", names);
    }

    [Fact]
    public async Task RunFilesAreServedReadOnly()
    {
        var image = await studio.Client.GetAsync($"/api/runs/{StudioFixture.ToyRun}/file?path=samples.png");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Post })
        {
            var response = await studio.Client.SendAsync(new HttpRequestMessage(method, $"/api/runs/{StudioFixture.ToyRun}/file?path=samples.png") { Content = new StringContent("x") });
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        Assert.True(File.Exists(Path.Combine(studio.Root, StudioFixture.ToyRun, "samples.png")));
    }

    [Theory]
    [InlineData("modes", "{\"lr_d\": 1e9}", "lr_d: learning rate 1E+09 is out of range")]
    [InlineData("modes", "{\"lr_g\": 0}", "lr_g: learning rate 0 is out of range")]
    [InlineData("modes", "{\"lr_g\": -0.001}", "lr_g")]
    [InlineData("modes", "{\"d_steps\": -1}", "d_steps: -1 is out of range")]
    [InlineData("modes", "{\"g_steps\": 1000}", "g_steps: 1000 is out of range")]
    [InlineData("modes", "{\"steps_per_frame\": 1e12}", "steps_per_frame")]
    [InlineData("modes", "{\"loss\": \"hinje\"}", "loss: unknown 'hinje'; expected one of gan, non-saturating, wgan, wgan-gp, hinge")]
    [InlineData("modes", "{\"data\": \"drawn\", \"points\": [[0, 0]]}", "points: 1 points; expected 2 to 2000")]
    [InlineData("modes", "{\"data\": \"drawn\", \"points\": [[0, 0], [1e9, 0]]}", "points[1]: expected two numbers in [-8, 8]")]
    [InlineData("modes", "{\"lr_d\": \"NaN\"}", "lr_d: 'NaN' is not a finite number")]
    [InlineData("modes", "[1, 2]", "expected an object")]
    [InlineData("modes", "{\"lr_d\": ", "not valid JSON")]
    [InlineData("arena", "{\"n_critic\": 0}", "n_critic: 0 is out of range")]
    [InlineData("arena", "{\"loss\": \"hinge\"}", "expected one of minimax, non-saturating, wgan-gp")]
    [InlineData("patterns", "{\"lr\": 1e9}", "lr: learning rate")]
    [InlineData("unknown", "{}", "unknown live panel 'unknown'")]
    public async Task OutOfBoundsParametersAreRefusedWithAMessage(string kind, string body, string message)
    {
        long started = await studio.SessionsStarted();
        var response = await studio.Client.PostAsync($"/api/live/{kind}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
        Assert.Equal(started, await studio.SessionsStarted());
    }

    [Theory]
    [InlineData("{\"action\": \"step\", \"steps\": -1}", "steps: -1 is out of range; expected a whole number in [1, 100]")]
    [InlineData("{\"action\": \"learning-rates\", \"lr_d\": 1e9, \"lr_g\": 0.001}", "lr_d: learning rate 1E+09 is out of range")]
    [InlineData("{\"action\": \"speed\", \"steps_per_frame\": 0}", "steps_per_frame: 0 is out of range")]
    [InlineData("{\"action\": \"explode\"}", "action: unknown 'explode'")]
    public async Task OutOfBoundsControlsAreRefusedWithAMessage(string body, string message)
    {
        Assert.True(await studio.WaitForNoSessions());
        string id = await studio.StartSession("arena", new { });
        await using var events = await EventStream.Open(studio.Client, $"/api/live/{id}/events");
        var response = await studio.Client.PostAsync($"/api/live/{id}/control", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
    }

    [Fact]
    public async Task OversizedBodyIsRefused()
    {
        long started = await studio.SessionsStarted();
        var points = string.Join(",", Enumerable.Repeat("[0.123456789, 0.123456789]", 5000));
        var response = await studio.Client.PostAsync("/api/live/modes", new StringContent($"{{\"data\": \"drawn\", \"points\": [{points}]}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(started, await studio.SessionsStarted());
    }

    [Theory]
    [InlineData("t=2", "t: 2 is out of range; expected a number in [0, 1]")]
    [InlineData("t=-0.5", "t: -0.5 is out of range")]
    [InlineData("a=seed:-1", "a: 'seed:-1'; expected seed:N")]
    [InlineData("b=class:12", "b: class 12 is out of range")]
    [InlineData("path=curved", "path: unknown 'curved'")]
    public async Task OutOfBoundsWalkerQueriesAreRefusedWithAMessage(string query, string message)
    {
        var response = await studio.Client.GetAsync($"/api/walker/decode?run={StudioFixture.ImageRun}&{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
    }

    [Theory]
    [InlineData("/api/runs/" + StudioFixture.ToyRun + "/metrics?max=-1", "max: -1 is out of range")]
    [InlineData("/api/runs/" + StudioFixture.ToyRun + "/events?from=-5", "from: -5 is out of range")]
    public async Task OutOfBoundsRunQueriesAreRefusedWithAMessage(string path, string message)
    {
        var response = await studio.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
