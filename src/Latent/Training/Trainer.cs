using Latent.Data;
using Latent.Models;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// Runs any model family's training steps, each in its own dispose scope, and hands the figures to callbacks.
/// </summary>
/// <remarks>
/// The loop is the same for every family: draw, step, record. The family's <see cref="IGenerativeModel.TrainStep"/>
/// holds the algorithm; callbacks hold everything else (metrics file, progress, samples, checkpoints).
/// A step whose figures are NaN or infinite stops the run with <see cref="TrainingDivergedException"/>.
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer([new MetricsLog("runs/ring/metrics.jsonl"), new ProgressReporter(Console.Out)]);
/// trainer.Fit(gan, batches, steps: 3000);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly IReadOnlyList<ITrainingCallback> _callbacks;

    /// <summary>Creates a trainer with the given callbacks, called in order.</summary>
    public Trainer(IEnumerable<ITrainingCallback>? callbacks = null)
    {
        _callbacks = callbacks?.ToList() ?? [];
    }

    /// <summary>Trains <paramref name="model"/> until step <paramref name="steps"/>.</summary>
    /// <param name="model">The family to train; left in training mode.</param>
    /// <param name="batches">Where each step draws its batches.</param>
    /// <param name="steps">The step to stop at; at least 1.</param>
    /// <param name="startStep">Steps already done (a resumed run); 0 for a new run.</param>
    /// <param name="cancellation">Stops after the current step; callbacks' <see cref="ITrainingCallback.OnEnd"/> then see completed = false.</param>
    /// <returns>The figures of the last step taken.</returns>
    public StepMetrics Fit(IGenerativeModel model, IBatchSource batches, long steps, long startStep = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(startStep);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startStep, steps);
        var context = new TrainingContext(model, steps, startStep + 1);
        model.SetTraining(true);
        foreach (var callback in _callbacks)
            callback.OnStart(context);

        var last = new StepMetrics();
        bool completed = false;
        try
        {
            for (long step = startStep + 1; step <= steps; step++)
            {
                if (cancellation.IsCancellationRequested)
                    break;
                using (NewDisposeScope())
                    last = model.TrainStep(batches);
                foreach (var (name, value) in last.Values)
                {
                    if (!double.IsFinite(value))
                        throw new TrainingDivergedException(step, name, value);
                }
                foreach (var callback in _callbacks)
                    callback.OnStep(context, step, last);
            }
            completed = !cancellation.IsCancellationRequested;
        }
        finally
        {
            foreach (var callback in _callbacks)
                callback.OnEnd(context, completed);
        }
        return last;
    }
}
