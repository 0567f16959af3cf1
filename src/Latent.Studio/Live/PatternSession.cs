using System.Text.Json;
using Latent.Data;
using Latent.Models;
using Latent.Recipes;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Studio.Live;

/// <summary>
/// The 3x3 autoencoder of seed 001 (the ae3x3 preset: 9-16-3 / 3-16-9), trained live; the page draws a pattern and
/// asks for its 3-number code and reconstruction, or moves the code's sliders and asks for the decoded pattern.
/// </summary>
internal sealed class PatternSession : LiveSession
{
    private readonly Recipe _recipe;
    private BuiltRecipe? _built;
    private StepMetrics? _last;

    private PatternSession(Recipe recipe) : base("patterns") => _recipe = recipe;

    /// <summary>The session a page asks for; the seed and speed are the only choices.</summary>
    public static PatternSession FromRequest(JsonElement body)
    {
        var parameters = Http.Parameters.FromJson(body);
        long seed = parameters.Whole("seed", 0, int.MaxValue, 0);
        double lr = parameters.LearningRate("lr", 0.5, 0.01);
        var preset = Presets.Get("ae3x3");
        var session = new PatternSession(preset with
        {
            Seed = seed,
            Threads = 1,
            Autoencoder = preset.Autoencoder with { Optimizer = preset.Autoencoder.Optimizer with { Lr = lr } },
        });
        session.Control(stepsPerFrame: parameters.Whole("steps_per_frame", 1, 50, 20), playing: parameters.Flag("playing", true));
        return session;
    }

    private Autoencoder Model => (Autoencoder)_built!.Model;

    /// <summary>The training steps after which the session pauses by itself: the preset's, where it reconstructs all ten.</summary>
    private long StopAt => _recipe.Steps;

    protected override void Build() => _built = RecipeBuilds.Build(_recipe);

    protected override void TrainStep()
    {
        _last = Model.TrainStep(_built!.Batches);
        if (Step + 1 == StopAt)
            Control(playing: false);
    }

    /// <summary>The code (3 values in [−1, 1]) and the reconstruction (9 values in [0, 1]) of a pattern.</summary>
    public (float[] Code, float[] Reconstruction) Encode(float[] pixels)
    {
        var x = tensor(pixels, [1, 9]);
        var code = Model.Encode(x);
        return (code.data<float>().ToArray(), Model.Decode(code).data<float>().ToArray());
    }

    /// <summary>The pattern a code decodes to, 9 values in [0, 1].</summary>
    public float[] Decode(float[] code) => Model.Decode(tensor(code, [1, code.Length])).data<float>().ToArray();

    protected override void WriteFrame(Utf8JsonWriter json)
    {
        json.WriteStartObject("metrics");
        foreach (var (name, value) in _last?.Values ?? [])
            WriteFigure(json, name, value);
        json.WriteEndObject();
        // The ten training patterns' codes, to place them in the code space.
        var patterns = (BinaryPatterns3x3)_built!.Data;
        WriteRounded(json, "codes", Model.Encode(patterns.Points).data<float>().ToArray());
        json.WriteStartArray("names");
        foreach (string name in patterns.PatternNames)
            json.WriteStringValue(name);
        json.WriteEndArray();
    }

    protected override void DisposeModel() => _built?.Dispose();
}
