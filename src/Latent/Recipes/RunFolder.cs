using System.Globalization;
using System.Text;

namespace Latent.Recipes;

/// <summary>
/// The layout of a run folder: <c>recipe.json</c> (resolved, every default filled in), <c>metrics.jsonl</c>
/// (one line per step), <c>health.jsonl</c>, <c>eval.json</c>, <c>samples.png</c> and <c>samples-STEP.png</c>, <c>checkpoints/</c>,
/// and <c>tensorboard/</c> (event files for <c>tensorboard --logdir runs</c>).
/// </summary>
public static class RunFolder
{
    /// <summary>The resolved recipe.</summary>
    public const string RecipeFile = "recipe.json";

    /// <summary>Per-step figures.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Training-health events (<see cref="Diagnostics.HealthLog"/>): one JSON object per issue raised or cleared.</summary>
    public const string HealthFile = "health.jsonl";

    /// <summary>The final evaluation.</summary>
    public const string EvaluationFile = "eval.json";

    /// <summary>Evaluations during training (<see cref="EvaluationSpec.Every"/>), one JSON object per line with its step.</summary>
    public const string EvaluationHistoryFile = "evals.jsonl";

    /// <summary>The curve of the first figure of <see cref="EvaluationHistoryFile"/> (FID for images) over training.</summary>
    public const string EvaluationPlotFile = "evals.png";

    /// <summary>The final samples plot.</summary>
    public const string SamplesFile = "samples.png";

    /// <summary>Latent interpolation strips of an image model.</summary>
    public const string InterpolationFile = "interpolation.png";

    /// <summary>Test images beside their reconstructions, for image autoencoders and VAEs.</summary>
    public const string ReconstructionsFile = "reconstructions.png";

    /// <summary>The checkpoints: <c>step-NNNNNN/</c> folders of weights, optimizer states and random state (see <see cref="Training.CheckpointHistory"/>).</summary>
    public const string CheckpointsFolder = "checkpoints";

    /// <summary>The logs with one line per step or per scoring, cut back to the checkpoint's step when a run resumes.</summary>
    public static readonly IReadOnlyList<string> StepLogs = [MetricsFile, EvaluationHistoryFile, HealthFile];

    /// <summary>TensorBoard event files (<see cref="Training.TensorBoardLog"/>), as the recipe's <see cref="LoggingSpec"/> asks.</summary>
    public const string TensorBoardFolder = "tensorboard";

    /// <summary>Writes text to a temporary file beside <paramref name="path"/> and renames it, so readers never see half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Figures as a flat JSON object (<c>{"modes_covered": 8, …}</c>); non-finite values as null.</summary>
    public static string FiguresJson(IEnumerable<KeyValuePair<string, double>> figures)
    {
        var text = new StringBuilder("{");
        bool first = true;
        foreach (var (name, value) in figures)
        {
            text.Append(first ? "\n  \"" : ",\n  \"").Append(name).Append("\": ");
            text.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
            first = false;
        }
        return text.Append(first ? "}" : "\n}").ToString();
    }

    /// <summary>A fresh folder for a run named <paramref name="name"/> under <paramref name="root"/>: NAME, else NAME-2, NAME-3, ….</summary>
    public static string NextFree(string root, string name)
    {
        string candidate = Path.Combine(root, name);
        for (int i = 2; Directory.Exists(candidate) && Directory.EnumerateFileSystemEntries(candidate).Any(); i++)
            candidate = Path.Combine(root, $"{name}-{i}");
        return candidate;
    }
}
