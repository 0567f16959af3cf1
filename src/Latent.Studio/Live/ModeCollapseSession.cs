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
/// The mode-collapse detector: a GAN of the library trained live on a ring or grid of Gaussians, or on points the user
/// drew, with everything GAN Lab shows (real and generated points, the discriminator's or critic's score as a heat map,
/// the generator's manifold, the arrows that push generated points) and the measured mode coverage.
/// </summary>
internal sealed class ModeCollapseSession : LiveSession
{
    private const int ShownSamples = 1000;
    private const int HeatCells = 40;
    private const int ManifoldSide = 15;
    private const int Arrows = 120;

    private readonly Recipe _recipe;
    private readonly string _data;
    private readonly float[]? _drawn;
    private readonly int _generatorSteps;
    private BuiltRecipe? _built;
    private IBatchSource? _batches;
    private DrawnPoints? _drawnSet;
    private Tensor? _real;
    private Tensor? _z;
    private Tensor? _heatGrid;
    private Tensor? _manifoldGrid;
    private double[] _bounds = [-3, 3, -3, 3];
    private StepMetrics? _last;

    private ModeCollapseSession(Recipe recipe, string data, float[]? drawn, int generatorSteps) : base("modes")
    {
        _recipe = recipe;
        _data = data;
        _drawn = drawn;
        _generatorSteps = generatorSteps;
    }

    /// <summary>The session a page asks for, every value checked: data, loss, learning rates, steps and seed.</summary>
    public static ModeCollapseSession FromRequest(JsonElement body)
    {
        var parameters = Parameters.FromJson(body);
        string data = parameters.Choice("data", ["ring", "grid", "drawn"], "ring");
        string loss = parameters.Choice("loss", GanPanel.Losses2D, "non-saturating");
        double lrD = parameters.LearningRate("lr_d", 0.1, loss == "wgan" ? 5e-4 : 1e-3);
        double lrG = parameters.LearningRate("lr_g", 0.1, loss == "wgan" ? 5e-4 : 1e-3);
        int dSteps = parameters.Whole("d_steps", 1, 10, loss.StartsWith("wgan", StringComparison.Ordinal) ? 5 : 1);
        int gSteps = parameters.Whole("g_steps", 1, 5, 1);
        long seed = parameters.Whole("seed", 0, int.MaxValue, 0);
        float[]? drawn = data == "drawn" ? DrawnFromRequest(body) : null;
        var recipe = GanGrid(GanPanel.Ring(loss, lrD, lrG, dSteps, seed), data);
        var session = new ModeCollapseSession(recipe, data, drawn, gSteps);
        int perFrame = parameters.Whole("steps_per_frame", 1, 50, 5);
        session.Control(stepsPerFrame: perFrame, playing: parameters.Flag("playing", false));
        return session;
    }

    private static Recipe GanGrid(Recipe recipe, string data) =>
        data == "grid" ? recipe with { Data = new DataSpec { Kind = "grid" } } : recipe;

    /// <summary>The drawn points, 2 to 2,000 pairs of finite coordinates in [−8, 8].</summary>
    private static float[] DrawnFromRequest(JsonElement body)
    {
        if (!body.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
            throw new BadParameterException("points: missing; data \"drawn\" needs the drawn points as [[x, y], …]");
        int count = points.GetArrayLength();
        if (count is < 2 or > 2000)
            throw new BadParameterException($"points: {count} points; expected 2 to 2000");
        var values = new float[count * 2];
        int i = 0;
        foreach (var point in points.EnumerateArray())
        {
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != 2)
                throw new BadParameterException($"points[{i / 2}]: expected a pair [x, y]");
            foreach (var coordinate in point.EnumerateArray())
            {
                if (coordinate.ValueKind != JsonValueKind.Number || !coordinate.TryGetDouble(out double value) || !double.IsFinite(value) || Math.Abs(value) > 8)
                    throw new BadParameterException($"points[{i / 2}]: expected two numbers in [-8, 8]");
                values[i++] = (float)value;
            }
        }
        return values;
    }

    private Gan Model => (Gan)_built!.Model;

    protected override void Build()
    {
        _built = RecipeBuilds.Build(_recipe);
        _batches = _built.Batches;
        using var rng = SeededRandom.Derive(_recipe.Seed, RandomStream.Sampling);
        if (_drawn is not null)
        {
            _drawnSet = new DrawnPoints(tensor(_drawn, [_drawn.Length / 2, 2]));
            // A batch is distinct points, so a small drawing trains on the full batch.
            _batches = new DataBatches(_drawnSet, (int)Math.Min(_recipe.BatchSize, _drawnSet.Count), _built.Random.Data, _built.Device);
        }
        IDataSource source = _drawnSet is not null ? _drawnSet : _built.Data;
        using var scope = NewDisposeScope(); // the grids' temporaries; what the session keeps is detached from it
        // A drawing smaller than the shown sample is shown whole (a fixed set draws distinct points).
        long shownReal = source is FixedDataset fixedSet ? Math.Min(ShownSamples, fixedSet.Count) : ShownSamples;
        _real = source.Sample(shownReal, rng).DetachFromDisposeScope();
        _z = randn([ShownSamples, Model.LatentDim], generator: rng).DetachFromDisposeScope();

        // The view: the ring and grid as the presets place them; drawn points in the view they were drawn in.
        double extent = _data switch
        {
            "grid" => 5.5,
            "ring" => 3,
            _ => Math.Max(3, _drawn!.Max(v => Math.Abs(v)) * 1.1), // the page's drawing view, wider if the points need it
        };
        _bounds = [-extent, extent, -extent, extent];
        var axis = linspace(-extent, extent, HeatCells);
        var rows = axis.repeat_interleave(HeatCells);     // y, top to bottom below
        var columns = axis.repeat(HeatCells);             // x
        _heatGrid = stack([columns, rows.flip(0)], 1).to(float32).DetachFromDisposeScope(); // (40², 2), row-major from the top
        var latent = linspace(-2.5, 2.5, ManifoldSide);
        _manifoldGrid = stack([latent.repeat_interleave(ManifoldSide), latent.repeat(ManifoldSide)], 1).to(float32).DetachFromDisposeScope();
    }

    protected override void TrainStep()
    {
        _last = Model.TrainStep(_batches!);
        for (int i = 1; i < _generatorSteps; i++)
            GanPanel.ExtraGeneratorStep(Model, ((DataBatches)_batches!).BatchSize, _built!.Random.Noise);
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
        json.WriteString("data", _data);
        json.WriteString("loss", _recipe.Gan.Loss);
        json.WriteStartArray("bounds");
        foreach (double b in _bounds)
            json.WriteNumberValue(b);
        json.WriteEndArray();
        WriteRounded(json, "real", _real!.data<float>().ToArray());

        var fake = gan.Decode(_z!);
        WriteRounded(json, "fake", fake.data<float>().ToArray());

        var scores = GanPanel.ShownScores(gan, _heatGrid!, out bool probabilities);
        double low = probabilities ? 0 : scores.min().item<float>();
        double high = probabilities ? 1 : scores.max().item<float>();
        var scaled = ((scores - low) / Math.Max(high - low, 1e-9) * 255).round().clamp(0, 255).to(int32);
        json.WriteStartObject("heat");
        json.WriteNumber("side", HeatCells);
        json.WriteBoolean("probabilities", probabilities);
        WriteFigure(json, "min", low);
        WriteFigure(json, "max", high);
        json.WriteStartArray("values");
        foreach (int v in scaled.data<int>())
            json.WriteNumberValue(v);
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteNumber("manifold_side", ManifoldSide);
        WriteRounded(json, "manifold", gan.Decode(_manifoldGrid!).data<float>().ToArray());

        var push = GanPanel.PushOn(gan, fake.slice(0, 0, Arrows, 1));
        WriteRounded(json, "arrows", cat([fake.slice(0, 0, Arrows, 1), push], 1).data<float>().ToArray(), 4);

        json.WriteStartObject("metrics");
        foreach (var (name, value) in _last?.Values ?? [])
            WriteFigure(json, name, value);
        if (_built!.Data is IGaussianMixture mixture && _drawnSet is null)
        {
            var coverage = ModeCoverage.Measure(fake, mixture);
            json.WriteNumber("modes_covered", coverage.ModesCovered);
            json.WriteNumber("mode_count", coverage.ModeCount);
            WriteFigure(json, "high_quality_share", coverage.HighQualityShare);
        }
        json.WriteEndObject();
    }

    protected override void DisposeModel()
    {
        _real?.Dispose();
        _z?.Dispose();
        _heatGrid?.Dispose();
        _manifoldGrid?.Dispose();
        if (!ReferenceEquals(_batches, _built?.Batches))
            (_batches as IDisposable)?.Dispose();
        _drawnSet?.Dispose();
        _built?.Dispose();
    }
}
