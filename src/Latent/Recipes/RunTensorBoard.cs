using System.Text.Json;
using Latent.Training;

namespace Latent.Recipes;

/// <summary>
/// The TensorBoard log of a recipe's run, in <c>RUN/tensorboard/</c>, as the recipe's <see cref="LoggingSpec"/> asks:
/// training scalars, the evaluations of <c>evals.jsonl</c>, the samples picture and weight histograms.
/// </summary>
internal static class RunTensorBoard
{
    /// <summary>
    /// The log for <paramref name="built"/>'s run in <paramref name="folder"/>, or null when its recipe turns TensorBoard off.
    /// Add it after the callbacks that write <c>evals.jsonl</c> and the <c>samples-STEP.png</c> pictures: it reads what they wrote at the same step.
    /// </summary>
    /// <param name="built">The run.</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="pictures">Whether the run draws pictures (<see cref="RunOptions.WritePlots"/>); no sample pictures in TensorBoard either when false.</param>
    public static TensorBoardLog? For(BuiltRecipe built, string folder, bool pictures)
    {
        var recipe = built.Recipe;
        var logging = recipe.Logging;
        if (!logging.Tensorboard)
            return null;
        string board = Path.Combine(folder, RunFolder.TensorBoardFolder);
        return new TensorBoardLog(board, new TensorBoardOptions
        {
            ScalarsEvery = logging.ScalarsEvery,
            HistogramsEvery = logging.HistogramsEvery,
            ImagesEvery = recipe.SampleEvery,
            SampleImage = pictures && logging.Images ? step => SamplesPicture(built, folder, board, step) : null,
            Evaluations = recipe.Evaluation.Every > 0 ? EvaluationsAt(recipe, new EvaluationLines(Path.Combine(folder, RunFolder.EvaluationHistoryFile))) : null,
            // Indented four spaces: a code block in Markdown, which TensorBoard's text tab renders.
            Description = string.Join("\n", RecipeJson.Serialize(recipe).Split('\n').Select(line => "    " + line)),
        });
    }

    /// <summary>The figures of <c>evals.jsonl</c> at the steps its periodic evaluation writes a line (every <see cref="EvaluationSpec.Every"/> and the last).</summary>
    private static Func<long, IReadOnlyList<KeyValuePair<string, double>>?> EvaluationsAt(Recipe recipe, EvaluationLines lines) =>
        step => step % recipe.Evaluation.Every == 0 || step == recipe.Steps ? lines.Since(step) : null;

    /// <summary>
    /// The run's samples picture at <paramref name="step"/>: the <c>samples-STEP.png</c> already drawn at this step, else drawn
    /// now by <see cref="RunPlotter"/> (which draws from its own generator, not the run's).
    /// </summary>
    private static byte[] SamplesPicture(BuiltRecipe built, string folder, string board, long step)
    {
        string drawn = Path.Combine(folder, $"samples-{step:D6}.png");
        if (File.Exists(drawn))
            return File.ReadAllBytes(drawn);
        string temporary = Path.Combine(board, $"samples-{step}.png.tmp");
        try
        {
            RunPlotter.Plot(built, temporary, $"{built.Recipe.Name}, step {step}");
            return File.ReadAllBytes(temporary);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads the lines appended to <c>evals.jsonl</c> since the last call, returning the figures of the newest.</summary>
    private sealed class EvaluationLines(string path)
    {
        private long _read;

        public IReadOnlyList<KeyValuePair<string, double>>? Since(long step)
        {
            if (!File.Exists(path) || new FileInfo(path).Length == _read)
                return null;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _read)
                _read = 0; // the file was started again
            stream.Seek(_read, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            string text = reader.ReadToEnd();
            int end = text.LastIndexOf('\n');
            if (end < 0)
                return null; // half a line: wait for the rest
            _read += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, end + 1));
            string line = text[..end].Split('\n')[^1];
            using var json = JsonDocument.Parse(line);
            if (!json.RootElement.TryGetProperty("step", out var at) || at.GetInt64() != step)
                return null;
            return json.RootElement.EnumerateObject()
                .Where(p => p.Name != "step" && p.Value.ValueKind == JsonValueKind.Number)
                .Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble()))
                .ToList();
        }
    }
}
