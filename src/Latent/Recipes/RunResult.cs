using Latent.Training;

namespace Latent.Recipes;

/// <summary>What a finished run produced.</summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Recipe">The resolved recipe, as written to <c>recipe.json</c>.</param>
/// <param name="LastStep">The figures of the last step.</param>
/// <param name="Evaluation">The figures of <see cref="RunEvaluator"/>, as written to <c>eval.json</c>.</param>
/// <param name="SamplesPlot">The final samples plot, or null when plots were off.</param>
/// <param name="Seconds">Wall time of the training loop.</param>
/// <param name="Completed">False when training was cancelled before its last step.</param>
public sealed record RunResult(string Folder, Recipe Recipe, StepMetrics LastStep, IReadOnlyList<KeyValuePair<string, double>> Evaluation,
                               string? SamplesPlot, double Seconds, bool Completed);
