using System.Text.Json;
using Microsoft.Playwright;

namespace Latent.Studio.Tests;

/// <summary>
/// Every page in a real browser (Debian's chromium, headless): the panels train and draw, the walker's slider changes
/// the image, and each page's screenshot is saved (see <see cref="StudioPage.Screenshot"/>; the README's are in docs/studio/).
/// </summary>
[Collection(StudioCollection.Name)]
public class BrowserTests(StudioFixture studio, ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private const float Timeout = 90_000;

    [Fact]
    public async Task RunsPageShowsCurvesSamplesEvaluationAndHealth()
    {
        await using var page = await Open("#runs");
        await page.Page.Locator($"#runs-list tr[data-run='{StudioFixture.ToyRun}']").ClickAsync();
        await page.Page.WaitForFunctionAsync("document.querySelectorAll('#run-charts canvas').length >= 4", null, new() { Timeout = Timeout });
        var figures = await page.Page.EvalOnSelectorAllAsync<string[]>("#run-charts canvas", "cs => cs.map(c => c.dataset.figure)");
        Assert.Contains("d_loss", figures);
        Assert.Contains("d_real", figures); // D(x) beside D(G(z))
        Assert.Contains("wasserstein", figures);
        Assert.Contains("gp", figures);
        await page.Page.WaitForFunctionAsync("[...document.querySelectorAll('#run-images img')].some(i => i.complete && i.naturalWidth > 0)", null, new() { Timeout = Timeout });
        Assert.Contains("modes_covered", await page.Page.InnerTextAsync("#run-eval"));
        Assert.Contains("gradient norms within bounds", await page.Page.InnerTextAsync("#run-health"));
        // The page follows the run: its event stream keeps ticking.
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('run-detail').dataset.frames || 0) >= 2", null, new() { Timeout = Timeout });
        // Compare with another run: its curves are drawn, dashed, over the first's.
        await page.Page.SelectOptionAsync("#runs-compare", StudioFixture.SecondToyRun);
        await page.Page.WaitForFunctionAsync("document.querySelector(\"#run-charts canvas[data-figure='d_loss']\").dataset.series === '2'", null, new() { Timeout = Timeout });
        await page.Screenshot("runs");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ModeCollapsePanelTrainsAndItsCoverageChanges()
    {
        await using var page = await Open("#modes");
        // The scatter has points as soon as the session's first frame arrives.
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('modes-canvas').dataset.fake || 0) > 0", null, new() { Timeout = Timeout });
        Assert.Equal("1000", await page.Page.GetAttributeAsync("#modes-canvas", "data-real"));
        string before = await page.Page.InnerTextAsync("#modes-covered");
        Assert.Matches(@"^\d+ / 8$", before);
        await page.Page.FillAsync("#modes-speed", "20");
        await page.Page.DispatchEventAsync("#modes-speed", "change");
        await page.Page.ClickAsync("#modes-play");
        await page.Page.WaitForFunctionAsync(
            "([before]) => document.getElementById('modes-covered').textContent !== before && Number(document.getElementById('modes-canvas').dataset.step) > 0",
            new object[] { before }, new() { Timeout = Timeout });
        Assert.Matches(@"^\d+ / 8$", await page.Page.InnerTextAsync("#modes-covered"));
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('modes-canvas').dataset.step) >= 400", null, new() { Timeout = Timeout });
        await page.Screenshot("modes");

        // Switch to WGAN-GP: a new session (critic scores, not probabilities) replaces the old one.
        await page.Page.SelectOptionAsync("#modes-loss", "wgan-gp");
        await page.Page.ClickAsync("#modes-play");
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('modes-canvas').dataset.step) >= 100", null, new() { Timeout = Timeout });
        Assert.Equal("5", await page.Page.InputValueAsync("#modes-d-steps"));
        await page.Screenshot("modes-wgan-gp");
        page.AssertNoErrors();
        await page.DisposeAsync();
        Assert.True(await studio.WaitForNoSessions(), "closing the tab did not end its live session");
    }

    [Fact]
    public async Task PointsDrawnWithTheMouseBecomeTheData()
    {
        await using var page = await Open("#modes");
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('modes-canvas').dataset.fake || 0) > 0", null, new() { Timeout = Timeout });
        await page.Page.SelectOptionAsync("#modes-data", "drawn");
        Assert.Contains("draw at least 2 points", await page.Page.InnerTextAsync("#modes-error"));
        var box = (await page.Page.Locator("#modes-canvas").BoundingBoxAsync())!;
        // Two strokes: an arc in the upper left and a bar on the right.
        await page.Page.Mouse.MoveAsync(box.X + 0.2f * box.Width, box.Y + 0.3f * box.Height);
        await page.Page.Mouse.DownAsync();
        await page.Page.Mouse.MoveAsync(box.X + 0.35f * box.Width, box.Y + 0.15f * box.Height, new() { Steps = 15 });
        await page.Page.Mouse.UpAsync();
        await page.Page.Mouse.MoveAsync(box.X + 0.75f * box.Width, box.Y + 0.3f * box.Height);
        await page.Page.Mouse.DownAsync();
        await page.Page.Mouse.MoveAsync(box.X + 0.75f * box.Width, box.Y + 0.8f * box.Height, new() { Steps = 20 });
        await page.Page.Mouse.UpAsync();
        int drawn = int.Parse(await page.Page.GetAttributeAsync("#modes-canvas", "data-real") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(drawn, 60, 2000);
        await page.Page.ClickAsync("#modes-reset");
        await page.Page.ClickAsync("#modes-play");
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('modes-canvas').dataset.step) >= 200", null, new() { Timeout = Timeout });
        Assert.Equal(drawn.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Page.GetAttributeAsync("#modes-canvas", "data-real"));
        Assert.Equal("n/a (drawn data)", await page.Page.InnerTextAsync("#modes-covered"));
        Assert.Equal("", await page.Page.InnerTextAsync("#modes-error"));
        await page.Screenshot("modes-drawn");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task ArenaDrawsTheGeneratedHistogramAgainstTheTarget()
    {
        await using var page = await Open("#arena");
        await page.Page.WaitForFunctionAsync("document.getElementById('arena-canvas').dataset.step === '0'", null, new() { Timeout = Timeout });
        await page.Page.ClickAsync("#arena-start");
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('arena-canvas').dataset.step) >= 100", null, new() { Timeout = Timeout });
        Assert.NotEqual("–", await page.Page.InnerTextAsync("#arena-w1"));
        await page.Page.ClickAsync("#arena-pause");
        await page.Screenshot("arena");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task WalkerSliderChangesTheDecodedImage()
    {
        await using var page = await Open("#walker");
        await page.Page.WaitForFunctionAsync("document.getElementById('walker-canvas').dataset.t === '0'", null, new() { Timeout = Timeout });
        Assert.Equal(StudioFixture.ImageRun, await page.Page.InputValueAsync("#walker-run"));
        string start = await page.Page.EvalOnSelectorAsync<string>("#walker-canvas", "c => c.toDataURL()");
        await page.Page.FillAsync("#walker-t", "1");
        await page.Page.WaitForFunctionAsync("document.getElementById('walker-canvas').dataset.t === '1'", null, new() { Timeout = Timeout });
        string end = await page.Page.EvalOnSelectorAsync<string>("#walker-canvas", "c => c.toDataURL()");
        Assert.NotEqual(start, end);
        await page.Page.FillAsync("#walker-t", "0.5");
        await page.Page.WaitForFunctionAsync("document.getElementById('walker-canvas').dataset.t === '0.5'", null, new() { Timeout = Timeout });
        string middle = await page.Page.EvalOnSelectorAsync<string>("#walker-canvas", "c => c.toDataURL()");
        Assert.NotEqual(start, middle);
        Assert.NotEqual(end, middle);
        await page.Screenshot("walker");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task PatternAutoencoderShowsCodeAndReconstruction()
    {
        await using var page = await Open("#patterns");
        await page.Page.WaitForFunctionAsync("Number(document.getElementById('patterns-step-count').textContent) >= 2000", null, new() { Timeout = Timeout });
        string before = await page.Page.InnerTextAsync("#patterns-code-text");
        // Draw the X: the centre is already on; add the four corners.
        foreach (int cell in new[] { 0, 2, 6, 8 })
            await page.Page.ClickAsync($"#patterns-grid div:nth-child({cell + 1})");
        await page.Page.WaitForFunctionAsync(
            "document.querySelectorAll('#patterns-recon div')[0].dataset.value > 0.5 && document.querySelectorAll('#patterns-recon div')[1].dataset.value < 0.5", null, new() { Timeout = Timeout });
        Assert.NotEqual(before, await page.Page.InnerTextAsync("#patterns-code-text"));
        await page.Screenshot("patterns");
        string reconstruction = await page.Page.EvalOnSelectorAllAsync<string>("#patterns-recon div", "cs => cs.map(c => c.dataset.value).join(',')");
        await page.Page.FillAsync("#patterns-code-0", "-1");
        await page.Page.WaitForFunctionAsync(
            "([before]) => [...document.querySelectorAll('#patterns-recon div')].map(c => c.dataset.value).join(',') !== before", new object[] { reconstruction }, new() { Timeout = Timeout });
        page.AssertNoErrors();
    }

    /// <summary>A fresh browser tab on the studio, logged in by the printed address, then on <paramref name="hash"/>.</summary>
    private async Task<StudioPage> Open(string hash)
    {
        // Playwright's waiting predicates are evaluated strings, which the studio's own CSP (no eval) forbids; the
        // page's scripts are unaffected by the bypass.
        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, BypassCSP = true });
        var page = await context.NewPageAsync();
        var studioPage = new StudioPage(context, page);
        await page.GotoAsync(studio.Server.Url); // the token becomes a cookie and leaves the address
        Assert.DoesNotContain("token=", page.Url);
        await page.GotoAsync(studio.Server.BaseUrl + "/" + hash);
        return studioPage;
    }

    private sealed class StudioPage : IAsyncDisposable
    {
        private readonly IBrowserContext _context;
        private readonly List<string> _errors = [];
        private bool _disposed;

        public StudioPage(IBrowserContext context, IPage page)
        {
            _context = context;
            Page = page;
            page.Console += (_, message) => { if (message.Type == "error") _errors.Add(message.Text); };
            page.PageError += (_, error) => _errors.Add(error);
        }

        public IPage Page { get; }

        /// <summary>
        /// Saves the page as NAME.png in the test output's screenshots/ folder, or in the folder <c>LATENT_SCREENSHOTS</c>
        /// names (relative to the repository: <c>LATENT_SCREENSHOTS=docs/studio</c> refreshes the README's pictures).
        /// </summary>
        public async Task Screenshot(string name)
        {
            string folder = Environment.GetEnvironmentVariable("LATENT_SCREENSHOTS") is { Length: > 0 } chosen
                ? Path.Combine(RepositoryRoot(), chosen)
                : Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }

        public void AssertNoErrors() => Assert.True(_errors.Count == 0, "errors in the page: " + string.Join(" | ", _errors));

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
                return;
            _disposed = true;
            await _context.CloseAsync();
        }

        private static string RepositoryRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Latent.sln")))
                    return folder.FullName;
            throw new DirectoryNotFoundException($"no Latent.sln above {AppContext.BaseDirectory}");
        }
    }
}
