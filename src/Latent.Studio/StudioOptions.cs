using System.Net;

namespace Latent.Studio;

/// <summary>Where the studio listens, which runs it shows and how many live trainings it allows.</summary>
public sealed record StudioOptions
{
    /// <summary>The address to bind; loopback (127.0.0.1) by default. Anything else is reachable from the network.</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (see <see cref="StudioServer.Port"/>). Default 8765.</summary>
    public int Port { get; init; } = 8765;

    /// <summary>The folder whose subfolders are run folders (as written by <c>latent train</c>); default <c>runs</c>.</summary>
    public string RunsRoot { get; init; } = "runs";

    /// <summary>Where image data sets are installed, for loading image runs; the default data store when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The access token; a fresh random one when null. Every request must carry it (query, cookie or header).</summary>
    public string? Token { get; init; }

    /// <summary>Live panels that may train at once, each on its own thread; default 4.</summary>
    public int MaxLiveSessions { get; init; } = 4;

    /// <summary>Seconds a live session waits for its event stream before it is discarded; default 20.</summary>
    public double AttachTimeoutSeconds { get; init; } = 20;

    /// <summary>Checks every value, naming the first one out of range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "must be in [0, 65535]");
        if (MaxLiveSessions is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(MaxLiveSessions), MaxLiveSessions, "must be in [1, 64]");
        if (Token is { Length: < 16 })
            throw new ArgumentException("the access token must have at least 16 characters", nameof(Token));
        if (!(AttachTimeoutSeconds > 0))
            throw new ArgumentOutOfRangeException(nameof(AttachTimeoutSeconds), AttachTimeoutSeconds, "must be > 0");
    }
}
