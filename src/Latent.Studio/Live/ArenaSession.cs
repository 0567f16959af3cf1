using System.Text.Json;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Training;
using Latent.Studio.Http;
using static TorchSharp.torch;

namespace Latent.Studio.Live;

/// <summary>
/// The 1D GAN arena of seed 003: a generator learning a 1D target, shown as the target density, the histogram of
/// generated samples and the discriminator's D(x) curve, with the W₁ distance between generated and real samples.
/// </summary>
internal sealed class ArenaSession : LiveSession
{
    private const int Samples = 4000;
    private const int CurvePoints = 200;
    private const int Bins = 60;

    private readonly Recipe _recipe;
    private readonly string _target;
    private BuiltRecipe? _built;
    private Tensor? _z;
    private Tensor? _xs;
    private double[] _realSample = [];
    private double[] _density = [];
    private double _low;
    private double _high;
    private StepMetrics? _last;

    private ArenaSession(Recipe recipe, string target) : base("arena")
    {
        _recipe = recipe;
        _target = target;
    }

    /// <summary>The session a page asks for: target, loss, learning rates, n_critic and seed, every value checked.</summary>
    public static ArenaSession FromRequest(JsonElement body)
    {
        var parameters = Parameters.FromJson(body);
        string target = parameters.Choice("target", ["gaussian", "bimodal"], "gaussian");
        string loss = parameters.Choice("loss", GanPanel.Losses1D, "non-saturating");
        double lrD = parameters.LearningRate("lr_d", 0.1, 1e-3);
        double lrG = parameters.LearningRate("lr_g", 0.1, 1e-3);
        int criticSteps = parameters.Whole("n_critic", 1, 10, loss == "wgan-gp" ? 5 : 1);
        long seed = parameters.Whole("seed", 0, int.MaxValue, 0);
        var optimizer = new OptimizerSpec { Lr = 1e-3, Beta1 = 0.5, Beta2 = 0.999 };
        // The 1D nets of the gan1d preset (G and D 1-64-1, LeakyReLU), without its stabilizers, so that the losses differ visibly.
        var recipe = new Recipe
        {
            Name = "studio-arena",
            Family = "gan",
            Seed = seed,
            Threads = 1,
            BatchSize = 256,
            Data = target == "bimodal" ? new DataSpec { Kind = "bimodal" } : new DataSpec { Kind = "gaussian", Mean = 3, Std = 0.5 },
            Gan = new GanSpec
            {
                LatentDim = 1,
                Loss = loss == "wgan-gp" ? "wasserstein" : loss,
                CriticSteps = criticSteps,
                GradientPenalty = loss == "wgan-gp" ? 10 : null,
                Generator = new NetSpec { Hidden = [64], Activation = "leaky-relu" },
                Discriminator = new NetSpec { Hidden = [64], Activation = "leaky-relu" },
                GeneratorOptimizer = loss == "wgan-gp" ? optimizer with { Lr = lrG, Beta1 = 0, Beta2 = 0.9 } : optimizer with { Lr = lrG },
                DiscriminatorOptimizer = loss == "wgan-gp" ? optimizer with { Lr = lrD, Beta1 = 0, Beta2 = 0.9 } : optimizer with { Lr = lrD },
            },
        };
        var session = new ArenaSession(recipe, target);
        session.Control(stepsPerFrame: parameters.Whole("steps_per_frame", 1, 50, 5), playing: parameters.Flag("playing", false));
        return session;
    }

    private Gan Model => (Gan)_built!.Model;

    protected override void Build()
    {
        _built = RecipeBuilds.Build(_recipe);
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(_recipe.Seed, RandomStream.Sampling);
        _realSample = [.. _built.Data.Sample(Samples, rng).to(float64).data<double>()];
        _z = randn([Samples, 1], generator: rng).DetachFromDisposeScope();
        (_low, _high) = _target == "bimodal" ? (-4.0, 4.0) : (0.0, 6.0);
        _xs = linspace(_low, _high, CurvePoints).to(float32).unsqueeze(1).DetachFromDisposeScope();
        var density = (IDensity1D)_built.Data;
        _density = [.. _xs.to(float64).data<double>().Select(density.Density)];
    }

    protected override void TrainStep()
    {
        _last = Model.TrainStep(_built!.Batches);
        foreach (var (name, value) in _last.Values)
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(Step + 1, name, value);
    }

    /// <summary>Sets the learning rates of both optimizers, live.</summary>
    public void SetLearningRates(double discriminatorLr, double generatorLr) => Control(apply: () =>
    {
        GanPanel.SetLearningRate(Model.Optimizers["discriminator"], discriminatorLr);
        GanPanel.SetLearningRate(Model.Optimizers["generator"], generatorLr);
    });

    protected override void WriteFrame(Utf8JsonWriter json)
    {
        var gan = Model;
        json.WriteString("loss", _recipe.Gan.Loss);
        json.WriteString("target", _target);
        json.WriteNumber("low", _low);
        json.WriteNumber("high", _high);
        WriteRounded(json, "xs", _xs!.data<float>().ToArray());
        WriteRounded(json, "density", [.. _density.Select(d => (float)d)], 4);
        var curve = GanPanel.ShownScores(gan, _xs!, out bool probabilities);
        json.WriteBoolean("probabilities", probabilities);
        WriteRounded(json, "d_curve", curve.data<float>().ToArray(), 4);

        double[] generated = [.. gan.Decode(_z!).to(float64).data<double>()];
        // The histogram as a density, so it is drawn on the same axis as the target's.
        var counts = new double[Bins];
        double width = (_high - _low) / Bins;
        foreach (double x in generated)
        {
            int bin = (int)Math.Floor((x - _low) / width);
            if (bin >= 0 && bin < Bins)
                counts[bin]++;
        }
        WriteRounded(json, "histogram", [.. counts.Select(c => (float)(c / (generated.Length * width)))], 4);

        json.WriteStartObject("metrics");
        foreach (var (name, value) in _last?.Values ?? [])
            WriteFigure(json, name, value);
        WriteFigure(json, "w1", Wasserstein1D.Between(generated, _realSample));
        WriteFigure(json, "generated_mean", generated.Average());
        WriteFigure(json, "generated_std", Math.Sqrt(generated.Select(x => x * x).Average() - Math.Pow(generated.Average(), 2)));
        json.WriteEndObject();
    }

    protected override void DisposeModel()
    {
        _z?.Dispose();
        _xs?.Dispose();
        _built?.Dispose();
    }
}
