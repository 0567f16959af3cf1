using Latent.Training;

namespace Latent.Recipes;

/// <summary>What a run produced, finished or stopped.</summary>
/// <param name="Folder">The run folder.</param>
/// <param name="Recipe">The resolved recipe, as written to <c>recipe.json</c>.</param>
/// <param name="LastStep">The figures of the last step.</param>
/// <param name="Evaluation">The figures of <see cref="RunEvaluator"/>, as written to <c>eval.json</c>.</param>
/// <param name="SamplesPlot">The final samples plot, or null when plots were off.</param>
/// <param name="Seconds">Wall time of the training loop.</param>
/// <param name="Completed">False when training was stopped before its last step (then it was not evaluated: <paramref name="Evaluation"/> is empty).</param>
/// <param name="FirstStep">The first step this call trained (1, or the step after the checkpoint a resumed run started from).</param>
/// <param name="StepsDone">Steps done in all, including those before a resume.</param>
/// <param name="Checkpoint">The folder of the last checkpoint written, from which <c>latent train --resume</c> continues.</param>
public sealed record RunResult(string Folder, Recipe Recipe, StepMetrics LastStep, IReadOnlyList<KeyValuePair<string, double>> Evaluation,
                               string? SamplesPlot, double Seconds, bool Completed, long FirstStep, long StepsDone, string? Checkpoint);
