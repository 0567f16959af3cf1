using System.Diagnostics;
using System.Net;
using System.Text;

namespace Latent.Cli.Tests.Commands;

public sealed class StudioCommandTests : CliTest
{
    [Theory]
    [InlineData("--port", "70000", "--port 70000 is out of range")]
    [InlineData("--port", "-1", "--port -1 is out of range")]
    [InlineData("--host", "example.org", "--host 'example.org' is not an IP address")]
    public void OutOfRangeOptionIsBadInput(string option, string value, string message) =>
        AssertBadInput(["studio", option, value], message);

    [Fact]
    public void HelpNamesEveryPage()
    {
        var result = Latent("studio", "--help").ShouldExitWith(ExitCodes.Success);
        foreach (string page in new[] { "runs browser", "mode-collapse detector", "1D GAN arena", "latent space walker", "3x3 autoencoder", "--host" })
            Assert.Contains(page, result.Stdout);
    }

    /// <summary>
    /// The whole path a user takes: start, open the printed address (token to cookie), see the page, then stop with
    /// SIGTERM; on a non-loopback address a warning comes first.
    /// </summary>
    [Fact]
    public async Task ServesThePrintedAddressWarnsOffLoopbackAndStopsOnSigterm()
    {
        Directory.CreateDirectory(Folder["runs"]);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "Latent.Cli.dll"), "studio", "--port", "0", "--host", "0.0.0.0", "--runs", Folder["runs"] })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            string? url = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (url is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.Trim().StartsWith("http://", StringComparison.Ordinal))
                    url = line.Trim();
            Assert.NotNull(url);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{48}$", url);

            using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
            var page = await client.GetAsync(url, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<title>Latent Studio</title>", await page.Content.ReadAsStringAsync(timeout.Token));
            Assert.DoesNotContain("token=", page.RequestMessage!.RequestUri!.Query); // redirected to the address without it
            using var stranger = new HttpClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(url.Split('?')[0] + "api/runs", timeout.Token)).StatusCode);

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.True(process.WaitForExit(30_000), "latent studio did not stop on SIGTERM");
            Assert.Equal(ExitCodes.Success, process.ExitCode);
            Assert.Contains("warning: --host 0.0.0.0 makes the studio reachable from other machines", await stderr);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
