using System.Text.Json;
using Latent.Tests.Evaluation;

namespace Latent.Cli.Tests.Commands;

/// <summary>
/// <c>latent eval --real</c> on the real MNIST, and its exported features checked by an independent program:
/// bench/features/feature_metrics.py computes FID and KID with NumPy and SciPy from the .npy files alone.
/// </summary>
/// <remarks>Uses the MNIST classifier cached beside the default data store, training it the first time (a few minutes;
/// a test run of the library that is training it at the same moment holds its lock, and this waits, then loads it).</remarks>
public sealed class RealEvalCommandTests : CliTest
{
    [DebianPythonFact("numpy", "scipy")]
    public void RealAgainstRealExportsFeaturesFromWhichNumPyGetsTheSameFidAndKid()
    {
        Latent("data", "fetch", "mnist").ShouldExitWith(ExitCodes.Success);

        var result = Latent("eval", "--real", "mnist", "--samples", "1000", "--export-features", "features", "--json").ShouldExitWith(ExitCodes.Success);

        using var printed = JsonDocument.Parse(result.Stdout);
        var figures = printed.RootElement;
        Assert.Equal(1000, figures.GetProperty("samples").GetDouble());
        Assert.Equal(10_000, figures.GetProperty("real_images").GetDouble());
        string script = Path.Combine(DebianPython.RepositoryRoot(), "bench", "features", "feature_metrics.py");
        var numpy = DebianPython.Run(script, Folder["features/real.npy"], Folder["features/generated.npy"]);
        Assert.True(numpy.ExitCode == 0, $"{script} exited with {numpy.ExitCode}: {numpy.Stderr}");
        using var independent = JsonDocument.Parse(numpy.Stdout);

        double fid = figures.GetProperty("classifier_fid").GetDouble(), numpyFid = independent.RootElement.GetProperty("fid").GetDouble();
        Assert.True(Math.Abs(fid - numpyFid) <= 0.005 * numpyFid, $"FID: latent {fid}, NumPy {numpyFid}");
        // Latent's KID is the mean over 100 subsets of 1,000 (the usual protocol), NumPy's the one estimate over all rows:
        // the same quantity, so they agree to within the subsets' standard error, three times over.
        double kid = figures.GetProperty("classifier_kid").GetDouble(), numpyKid = independent.RootElement.GetProperty("kid").GetDouble();
        double standardError = figures.GetProperty("classifier_kid_std").GetDouble() / Math.Sqrt(100);
        Assert.True(Math.Abs(kid - numpyKid) <= 3 * standardError + 0.005 * Math.Abs(numpyKid), $"KID: latent {kid} ± {standardError} (standard error), NumPy {numpyKid}");
        Assert.InRange(fid, 0, 5); // real against real, in this classifier's feature space
    }
}
