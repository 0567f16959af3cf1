using Latent.Diagnostics;
using Latent.Recipes;
using Latent.Tests.Imaging;
using Latent.Training;

namespace Latent.Tests.Diagnostics;

/// <summary>
/// Each failure of seed 004 built on purpose on a toy preset, trained through <see cref="RecipeRunner"/> at one thread
/// (seconds each), and the diagnosis in <c>health.jsonl</c> must name it; a healthy run must raise nothing.
/// </summary>
public class HealthDiagnosisTests
{
    private static readonly Recipe Gan8g = Presets.Get("gan8g");

    private static Recipe WithGan(Recipe recipe, Func<GanSpec, GanSpec> change) => recipe with { Gan = change(recipe.Gan) };

    private static (RunResult Result, IReadOnlyList<HealthFinding> Events) Train(Recipe recipe)
    {
        using var folder = new TemporaryFolder();
        string run = Path.Combine(folder.Path, "run");
        var result = RecipeRunner.Train(recipe, new RunOptions { OutputFolder = run, WritePlots = false });
        return (result, HealthLog.Read(Path.Combine(run, RunFolder.HealthFile)));
    }

    private static HealthFinding Raised(IReadOnlyList<HealthFinding> events, HealthIssue issue) =>
        events.FirstOrDefault(e => e.Issue == issue && !e.Cleared)
        ?? throw new Xunit.Sdk.XunitException($"no {issue} raised; events: {string.Join(" | ", events.Select(HealthLog.Line))}");

    [Fact]
    public void ATooStrongDiscriminatorIsDiagnosedAsWinningWithTheGeneratorLossCollapsed()
    {
        // Minimax loss, D at lr 0.01 and G at 2e-5: measured D(x) > 0.999 and D(G(z)) < 0.001 from step 300 to 800.
        var (_, events) = Train(WithGan(Gan8g, g => g with
        {
            Loss = "minimax",
            DiscriminatorOptimizer = g.DiscriminatorOptimizer with { Lr = 0.01 },
            GeneratorOptimizer = g.GeneratorOptimizer with { Lr = 2e-5 },
        }) with { Steps = 600 });

        var winning = Raised(events, HealthIssue.DiscriminatorWinning);
        Assert.InRange(winning.Step, 50, 100);
        Assert.True(winning.Figures.Single(f => f.Key == "d_real").Value >= 0.95);
        var collapse = Raised(events, HealthIssue.GeneratorCollapse);
        Assert.Contains("rejects every fake", collapse.Message);
        Assert.DoesNotContain(events, e => e.Issue is HealthIssue.ModeCollapse or HealthIssue.Oscillation or HealthIssue.Divergence);
    }

    [Fact]
    public void ACollapsingRecipeOnTheRingIsDiagnosedAsModeCollapse()
    {
        // gan8g at learning rate 0.05 for both networks collapses onto 2-6 of the 8 modes by step 3000 (seeds 0-7:
        // 2, 2, 5, 4, 2, 5, 6, 6 modes at the end, measured with the written-out backward; the trajectory is chaotic at
        // this rate, so rounding alone moves it). On seed 0 the detector raises mode collapse and it is still active.
        var (result, events) = Train(WithGan(Gan8g, g => g with
        {
            DiscriminatorOptimizer = g.DiscriminatorOptimizer with { Lr = 0.05 },
            GeneratorOptimizer = g.GeneratorOptimizer with { Lr = 0.05 },
        }) with { Seed = 0 });

        var collapse = Raised(events, HealthIssue.ModeCollapse);
        Assert.Contains("of 8 modes", collapse.Message);
        Assert.Contains(HealthIssue.ModeCollapse, HealthSummary.Active(events).Select(e => e.Issue));
        // The final evaluation (2,500 samples) agrees.
        Assert.True(result.Evaluation.Single(f => f.Key == "modes_covered").Value <= 3);
    }

    [Fact]
    public void ATooHighLearningRateIsDiagnosedAsOscillation()
    {
        // gan1d without its stabilizers (R1, minibatch std) at Adam (0.9, 0.999), lr 0.01: D(G(z)) cycles with a period of ~60-80 steps.
        var gan1d = Presets.Get("gan1d");
        var (_, events) = Train(WithGan(gan1d, g => g with
        {
            R1 = null,
            Discriminator = g.Discriminator with { MinibatchStdDev = false },
            DiscriminatorOptimizer = g.DiscriminatorOptimizer with { Lr = 0.01, Beta1 = 0.9 },
            GeneratorOptimizer = g.GeneratorOptimizer with { Lr = 0.01, Beta1 = 0.9 },
        }) with { Steps = 1500 });

        var oscillation = Raised(events, HealthIssue.Oscillation);
        Assert.InRange(oscillation.Figures.Single(f => f.Key == "period_steps").Value, 40, 120);
        Assert.Contains("betas (0.5, 0.999)", oscillation.Fix);
    }

    [Fact]
    public void AnExplodingLearningRateIsDiagnosedAsDivergenceBeforeTheNaN()
    {
        // SGD with momentum 0.9 at lr 0.05: the generator's gradient passes 100 times its start at step 97, infinity at 107.
        using var folder = new TemporaryFolder();
        string run = Path.Combine(folder.Path, "run");
        var recipe = WithGan(Gan8g, g => g with
        {
            DiscriminatorOptimizer = new() { Kind = "sgd", Lr = 0.05, Momentum = 0.9 },
            GeneratorOptimizer = new() { Kind = "sgd", Lr = 0.05, Momentum = 0.9 },
        });

        var diverged = Assert.Throws<TrainingDivergedException>(() => RecipeRunner.Train(recipe, new RunOptions { OutputFolder = run, WritePlots = false }));

        var divergence = Raised(HealthLog.Read(Path.Combine(run, RunFolder.HealthFile)), HealthIssue.Divergence);
        Assert.True(divergence.Step < diverged.Step, $"divergence named at step {divergence.Step}, NaN at {diverged.Step}");
        Assert.True(divergence.Figures.Single(f => f.Key == "growth").Value >= DivergenceDetector.RaiseFactor);
    }

    [Fact]
    public void AnUnconstrainedWassersteinCriticIsDiagnosedAsLosingItsLipschitzControl()
    {
        // wgan8g without weight clipping: critic slope 4.3 at step 150, rising; the Wasserstein estimate grows without end.
        var (_, events) = Train(WithGan(Presets.Get("wgan8g"), g => g with { WeightClip = null }) with { Steps = 900 });

        var lost = Raised(events, HealthIssue.LipschitzLost);
        Assert.True(lost.Figures.Single(f => f.Key == "critic_slope").Value >= LipschitzDetector.RaiseAbove);
        Assert.Equal(LipschitzDetector.SteepFix, lost.Fix);
    }

    [Fact]
    public void AVaeWhoseKlTermIsTooHeavyIsDiagnosedAsPosteriorCollapse()
    {
        // vae2d with β = 20: the KL term is 0.008 nats in the first 50 steps and 2e-6 by the end; with β = 1 it stays ≥ 0.41.
        var vae2d = Presets.Get("vae2d");
        var (collapsedResult, collapsed) = Train(vae2d with { Steps = 500, Vae = vae2d.Vae with { Beta = 20 } });
        var (_, healthy) = Train(vae2d with { Steps = 500 });

        var raised = Raised(collapsed, HealthIssue.PosteriorCollapse);
        Assert.Equal(50, raised.Step);
        Assert.Contains("vae.beta", raised.Fix);
        // Every code decodes to about the same point: at most one cluster is reached.
        Assert.True(collapsedResult.Evaluation.Single(f => f.Key == "modes_covered").Value <= 1, string.Join(", ", collapsedResult.Evaluation));
        Assert.Empty(healthy);
    }

    public static TheoryData<string, long> HealthyRuns => new() { { "wgangp8g", 1000 }, { "gan8g", 3000 } };

    [Theory]
    [MemberData(nameof(HealthyRuns))]
    public void AHealthyRunRaisesNoAlarm(string preset, long steps)
    {
        var (result, events) = Train(Presets.Get(preset) with { Steps = steps });

        Assert.Empty(events);
        Assert.Equal(8, result.Evaluation.Single(f => f.Key == "modes_covered").Value);
    }
}
