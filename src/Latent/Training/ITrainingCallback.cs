using Latent.Models;

namespace Latent.Training;

/// <summary>
/// Watches a training run: writes metrics, reports progress, draws samples, saves checkpoints.
/// </summary>
/// <remarks>
/// Callbacks run after each step, outside the step's dispose scope; a callback that makes tensors opens its own scope.
/// They observe and record; none changes the model's numbers, so a run is the same with or without them.
/// </remarks>
public interface ITrainingCallback
{
    /// <summary>Before the first step.</summary>
    void OnStart(TrainingContext context) { }

    /// <summary>After step <paramref name="step"/> (1-based: the number of updates done).</summary>
    void OnStep(TrainingContext context, long step, StepMetrics metrics) { }

    /// <summary>
    /// After the last step, or after training stopped early with <paramref name="completed"/> false: cancelled, or failed
    /// (then <see cref="TrainingContext.Failure"/> says why).
    /// </summary>
    void OnEnd(TrainingContext context, bool completed) { }
}

/// <summary>What a callback sees of the run.</summary>
/// <param name="Model">The model being trained.</param>
/// <param name="TotalSteps">The step the run ends at.</param>
/// <param name="FirstStep">The first step of this call of <see cref="Trainer.Fit"/> (1 for a new run).</param>
public sealed record TrainingContext(IGenerativeModel Model, long TotalSteps, long FirstStep)
{
    /// <summary>
    /// Why training stopped, when it failed (a <see cref="TrainingDivergedException"/>, an exception of a callback); set
    /// before <see cref="ITrainingCallback.OnEnd"/>. The model is then not to be saved as good.
    /// </summary>
    public Exception? Failure { get; internal set; }
}
