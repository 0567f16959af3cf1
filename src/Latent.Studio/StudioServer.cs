using System.Net;
using System.Security.Cryptography;
using Latent.Runtime;
using Latent.Studio.Http;
using Latent.Studio.Live;
using Latent.Studio.Runs;
using Latent.Studio.Security;
using Latent.Studio.Walker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Latent.Studio;

/// <summary>
/// Latent Studio: a local web app that browses run folders and trains the tutorials' interactive panels live, on
/// ASP.NET Core's Kestrel in the calling process.
/// </summary>
/// <remarks>
/// <para>It listens on 127.0.0.1 unless told otherwise, and every request must carry the access token of
/// <see cref="Url"/> (see <see cref="Security.AccessGuard"/>). Run folders are only read, never written.</para>
/// <para>Live panels train on threads of their own, at most <see cref="StudioOptions.MaxLiveSessions"/> at once, with one
/// libtorch thread each.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var studio = await StudioServer.StartAsync(new StudioOptions { Port = 0, RunsRoot = "runs" });
/// Console.WriteLine(studio.Url); // http://127.0.0.1:PORT/?token=…
/// </code>
/// </example>
public sealed class StudioServer : IAsyncDisposable
{
    /// <summary>The largest request body accepted, in bytes (drawn points are the largest: 2,000 pairs).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly WebApplication _app;
    private readonly LiveSessions _sessions;
    private readonly LatentWalker _walker;

    private StudioServer(WebApplication app, LiveSessions sessions, LatentWalker walker, string token, IPAddress host)
    {
        _app = app;
        _sessions = sessions;
        _walker = walker;
        Token = token;
        Host = host;
    }

    /// <summary>The access token every request must carry.</summary>
    public string Token { get; }

    /// <summary>The bound address.</summary>
    public IPAddress Host { get; }

    /// <summary>The port listened on (the one chosen when <see cref="StudioOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    /// <summary>The address to open, token included.</summary>
    public string Url => $"http://{HostText}:{Port}/?token={Token}";

    /// <summary>The address without the token.</summary>
    public string BaseUrl => $"http://{HostText}:{Port}";

    /// <summary>Live sessions running now.</summary>
    public int LiveSessionCount => _sessions.Count;

    /// <summary>The host of the printed address: loopback when bound to every address, since this machine is one of them.</summary>
    private string HostText => Host.Equals(IPAddress.Any) || Host.Equals(IPAddress.Loopback) ? "127.0.0.1"
        : Host.Equals(IPAddress.IPv6Any) || Host.Equals(IPAddress.IPv6Loopback) ? "[::1]"
        : Host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Host}]" : Host.ToString();

    /// <summary>Starts the studio and returns once it listens.</summary>
    public static async Task<StudioServer> StartAsync(StudioOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        LatentRuntime.EnsureLoaded();
        // The live sessions' matrices are tiny and several share the cores: one libtorch thread each is fastest.
        LatentRuntime.SetThreads(1);
        string token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 200;
            kestrel.Listen(options.Host, options.Port);
        });
        var app = builder.Build();

        var root = new RunsRoot(options.RunsRoot);
        var sessions = new LiveSessions(options.MaxLiveSessions, TimeSpan.FromSeconds(options.AttachTimeoutSeconds));
        var walker = new LatentWalker(root, options.DataDirectory);
        var guard = new AccessGuard(token, options.Host);

        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            await next(context);
        });
        app.Use(guard.InvokeAsync);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadParameterException e) when (!context.Response.HasStarted)
            {
                await ErrorResponse.Write(context, StatusCodes.Status400BadRequest, e.Message);
            }
            catch (RunNotFoundException e) when (!context.Response.HasStarted)
            {
                await ErrorResponse.Write(context, StatusCodes.Status404NotFound, e.Message);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await ErrorResponse.Write(context, e.StatusCode, $"bad request: {e.Message} (bodies are limited to {MaxBodyBytes / 1024} KB)");
            }
        });

        app.MapGet("/", () => StaticFiles.Serve("index.html"));
        app.MapGet("/static/{name}", (string name) => StaticFiles.Serve(name));
        app.MapGet("/api/status", () => Results.Json(new Dictionary<string, object>
        {
            ["live_sessions"] = sessions.Count,
            ["live_capacity"] = sessions.Capacity,
            ["live_started"] = sessions.Started,
            ["working_set_bytes"] = Environment.WorkingSet,
            ["runs_root"] = root.Path,
        }));
        RunEndpoints.Map(app, root);
        LiveEndpoints.Map(app, sessions);
        app.MapGet("/api/walker/models", () => Results.Json(new Dictionary<string, object> { ["models"] = walker.Models() }));
        app.MapGet("/api/walker/decode", (HttpRequest request) => Results.Json(walker.Decode(Parameters.FromQuery(request.Query))));

        try
        {
            await app.StartAsync(cancellation);
        }
        catch
        {
            // The port is taken or the address is not this machine's: nothing may be left running.
            await app.DisposeAsync();
            sessions.Dispose();
            walker.Dispose();
            throw;
        }
        var server = new StudioServer(app, sessions, walker, token, options.Host);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Port = new Uri(addresses.First()).Port;
        return server;
    }

    /// <summary>Completes when the studio stops (Ctrl+C in the command, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellation = default) => _app.WaitForShutdownAsync(cancellation);

    /// <summary>Stops listening, ends every live session and frees the loaded runs.</summary>
    public async ValueTask DisposeAsync()
    {
        _sessions.Dispose();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
        _walker.Dispose();
    }
}
