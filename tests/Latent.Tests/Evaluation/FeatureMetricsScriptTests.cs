using System.Text.Json;
using Latent.Evaluation;
using Latent.Runtime;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

/// <summary>Latent's FID and KID against bench/features/feature_metrics.py, an independent NumPy/SciPy computation on the same files.</summary>
public class FeatureMetricsScriptTests
{
    [DebianPythonFact("numpy", "scipy")]
    public void FrechetAndKernelDistancesAgreeWithTheNumPyScript()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var rng = new Generator(81);
        // Realistic feature sets: 2,000 × 64, correlated features, different covariances and a small shift.
        var mixing = randn(64, 64, dtype: ScalarType.Float64, generator: rng) / 8;
        var real = randn(2_000, 64, dtype: ScalarType.Float64, generator: rng).matmul(mixing);
        var fake = randn(2_000, 64, dtype: ScalarType.Float64, generator: rng).matmul(mixing + 0.05 * eye(64, dtype: ScalarType.Float64)) * 1.1 + 0.05;
        string realPath = Path.Combine(folder.Path, "real.npy"), fakePath = Path.Combine(folder.Path, "fake.npy");
        NpyFile.Write(realPath, real);
        NpyFile.Write(fakePath, fake);
        string script = Path.Combine(DebianPython.RepositoryRoot(), "bench", "features", "feature_metrics.py");

        var result = DebianPython.Run(script, realPath, fakePath);

        Assert.True(result.ExitCode == 0, $"{script} exited with {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        double pythonFid = json.RootElement.GetProperty("fid").GetDouble();
        double pythonKid = json.RootElement.GetProperty("kid").GetDouble();
        double fid = FrechetDistance.Between(real, fake);
        double kid = KernelDistance.Unbiased(real, fake);
        // Far from 0, so that a relative tolerance means something.
        Assert.InRange(fid, 0.5, 100);
        Assert.InRange(kid, 0.01, 10);
        RelativeAssert.Close(pythonFid, fid, 0.005);
        RelativeAssert.Close(pythonKid, kid, 0.005);
    }
}
