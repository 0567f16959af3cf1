using Latent.Training;

namespace Latent.Recipes;

/// <summary>
/// Writes a run's checkpoints while it trains: every <see cref="CheckpointSpec.Every"/> steps, and after the last step
/// taken, whether the run finished or was stopped (Ctrl+C, SIGTERM). Never after a failed step, so the last checkpoint
/// is always the last good state. Each holds the model, the random streams, the batch position and the resolved recipe:
/// all a resume needs.
/// </summary>
/// <remarks>Runs after the other callbacks, so a checkpoint's figures include the evaluation of its step.</remarks>
internal sealed class RunCheckpointing : ITrainingCallback
{
    private readonly BuiltRecipe _run;
    private readonly CheckpointHistory _history;
    private readonly Func<long, IReadOnlyList<KeyValuePair<string, double>>> _evaluationAt;
    private readonly TextWriter? _log;
    private readonly Action? _beforeSave;
    private long _lastStep;
    private StepMetrics? _lastMetrics;
    private bool _warnedAboutBest;

    /// <param name="run">The run being trained.</param>
    /// <param name="history">Its checkpoint folder.</param>
    /// <param name="resumedFrom">The checkpoint a resumed run started from: the last one until this run writes its own.</param>
    /// <param name="evaluationAt">The evaluation figures of a step, empty when it was not evaluated.</param>
    /// <param name="log">Where a ranking figure that never appears is reported.</param>
    /// <param name="beforeSave">Called before each checkpoint is written: flushes the run's logs.</param>
    public RunCheckpointing(BuiltRecipe run, CheckpointHistory history, (long Step, string Folder)? resumedFrom,
                            Func<long, IReadOnlyList<KeyValuePair<string, double>>> evaluationAt, TextWriter? log, Action? beforeSave = null)
    {
        _beforeSave = beforeSave;
        LastSavedStep = resumedFrom?.Step ?? 0;
        LastSaved = resumedFrom?.Folder;
        _run = run;
        _history = history;
        _evaluationAt = evaluationAt;
        _log = log;
    }

    /// <summary>The folder of the last checkpoint, written by this callback or resumed from; null when there is none.</summary>
    public string? LastSaved { get; private set; }

    /// <summary>Its step.</summary>
    public long LastSavedStep { get; private set; }

    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        _lastStep = step;
        _lastMetrics = metrics;
        long every = _run.Recipe.Checkpoints.Every;
        if (every > 0 && step % every == 0)
            Save(step, metrics);
    }

    public void OnEnd(TrainingContext context, bool completed)
    {
        if (context.Failure is null && _lastMetrics is not null && _lastStep > LastSavedStep)
            Save(_lastStep, _lastMetrics);
    }

    private void Save(long step, StepMetrics metrics)
    {
        var figures = new Dictionary<string, double>();
        foreach (var (name, value) in metrics.Values.Concat(_evaluationAt(step)))
            figures[name] = value;
        _beforeSave?.Invoke(); // the logs reach the checkpoint's step before the checkpoint exists
        LastSaved = _history.Save(step, folder =>
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            Checkpoint.Save(_run.Model, folder, new CheckpointInfo(step, figures), _run.CaptureState());
            // The resolved recipe travels with the weights, so a checkpoint copied elsewhere still says what it is.
            File.WriteAllText(Path.Combine(folder, RunFolder.RecipeFile), RecipeJson.Serialize(_run.Recipe));
        });
        LastSavedStep = step;
        RankBest(step, figures);
    }

    private void RankBest(long step, Dictionary<string, double> figures)
    {
        var spec = _run.Recipe.Checkpoints;
        if (spec.Best is not { } name)
            return;
        if (!figures.TryGetValue(name, out double value) || !double.IsFinite(value))
        {
            if (!_warnedAboutBest && !figures.ContainsKey(name))
                _log?.WriteLine($"checkpoints.best: no figure '{name}' at step {step}; this run's figures there are {string.Join(", ", figures.Keys)}");
            _warnedAboutBest = true;
            return;
        }
        bool better = _history.Best is not { } best || best.Figure != name
                      || (spec.BestMode == "max" ? value > best.Value : value < best.Value);
        if (better)
            _history.RecordBest(new BestCheckpoint(step, name, value));
    }
}
