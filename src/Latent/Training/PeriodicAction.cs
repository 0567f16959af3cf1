namespace Latent.Training;

/// <summary>Calls an action every N steps and after the last step (sample images, evaluation snapshots).</summary>
public sealed class PeriodicAction : ITrainingCallback
{
    private readonly long _every;
    private readonly Action<long> _action;

    /// <summary>Calls <paramref name="action"/> with the step number every <paramref name="every"/> steps (0: only at the end).</summary>
    public PeriodicAction(long every, Action<long> action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(every);
        _every = every;
        _action = action;
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        if ((_every > 0 && step % _every == 0) || step == context.TotalSteps)
            _action(step);
    }
}
