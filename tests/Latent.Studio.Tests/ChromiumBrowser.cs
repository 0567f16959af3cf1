using Microsoft.Playwright;

namespace Latent.Studio.Tests;

/// <summary>
/// Debian's chromium driven by Playwright, headless, launched by its path: Playwright's own browser download is never
/// used. Without chromium the tests fail with the command that installs it; CI installs it (.ci/run).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    /// <summary>Where chromium is looked for: LATENT_CHROMIUM when set, else Debian's /usr/bin/chromium.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("LATENT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"chromium is not installed at {ExecutablePath}: the browser tests need it (apt-get install -y chromium, as .ci/run does, or set LATENT_CHROMIUM)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in a container has no user namespaces for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
