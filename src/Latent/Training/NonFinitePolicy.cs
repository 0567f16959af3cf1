namespace Latent.Training;

/// <summary>What <see cref="Trainer"/> does with a step whose figures (losses, gradient norms) are NaN or infinite.</summary>
public enum NonFinitePolicy
{
    /// <summary>Stop with <see cref="TrainingDivergedException"/>; callbacks see the failure and keep the last good checkpoint.</summary>
    Stop,

    /// <summary>
    /// Undo the step (weights, optimizer states and the model's counters go back to before it), record it as skipped and
    /// go on with the next batch; <see cref="Trainer.MaxConsecutiveSkips"/> skips in a row stop the run.
    /// </summary>
    Skip,
}
