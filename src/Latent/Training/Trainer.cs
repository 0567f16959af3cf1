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
/// A step whose figures are NaN or infinite stops the run with <see cref="TrainingDivergedException"/>, or is undone
/// and skipped under <see cref="NonFinitePolicy.Skip"/>.
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

    /// <summary>Skips in a row after which <see cref="NonFinitePolicy.Skip"/> gives up and stops the run.</summary>
    public const int MaxConsecutiveSkips = 10;

    /// <summary>Creates a trainer with the given callbacks, called in order.</summary>
    /// <param name="callbacks">Called after every step, in order.</param>
    /// <param name="onNonFinite">What a step with NaN or infinite figures does; stop by default.</param>
    public Trainer(IEnumerable<ITrainingCallback>? callbacks = null, NonFinitePolicy onNonFinite = NonFinitePolicy.Stop)
    {
        _callbacks = callbacks?.ToList() ?? [];
        OnNonFinite = onNonFinite;
    }

    /// <summary>What a step with NaN or infinite figures does.</summary>
    public NonFinitePolicy OnNonFinite { get; }

    /// <summary>Trains <paramref name="model"/> until step <paramref name="steps"/>.</summary>
    /// <param name="model">The family to train; left in training mode.</param>
    /// <param name="batches">Where each step draws its batches.</param>
    /// <param name="steps">The step to stop at; at least 1.</param>
    /// <param name="startStep">Steps already done (a resumed run); 0 for a new run.</param>
    /// <param name="cancellation">Stops after the current step; callbacks' <see cref="ITrainingCallback.OnEnd"/> then see completed = false.</param>
    /// <returns>The figures of the last step taken.</returns>
    /// <exception cref="TrainingDivergedException">A step's figures were not finite (under <see cref="NonFinitePolicy.Skip"/>, too many in a row).</exception>
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
        int skipsInARow = 0;
        try
        {
            for (long step = startStep + 1; step <= steps; step++)
            {
                if (cancellation.IsCancellationRequested)
                    break;
                using (var snapshot = OnNonFinite == NonFinitePolicy.Skip ? new ModelSnapshot(model) : null)
                {
                    using (NewDisposeScope())
                        last = model.TrainStep(batches);
                    if (FirstNonFinite(last) is { } bad)
                    {
                        if (snapshot is null)
                            throw new TrainingDivergedException(step, bad.Key, bad.Value);
                        if (++skipsInARow > MaxConsecutiveSkips)
                            throw new TrainingDivergedException(step, bad.Key, bad.Value, skipped: MaxConsecutiveSkips);
                        snapshot.Restore();
                        last.Add("skipped", 1);
                    }
                    else
                    {
                        skipsInARow = 0;
                    }
                }
                foreach (var callback in _callbacks)
                    callback.OnStep(context, step, last);
            }
            completed = !cancellation.IsCancellationRequested;
        }
        catch (Exception e)
        {
            context.Failure = e;
            throw;
        }
        finally
        {
            foreach (var callback in _callbacks)
                callback.OnEnd(context, completed);
        }
        return last;
    }

    private static KeyValuePair<string, double>? FirstNonFinite(StepMetrics metrics)
    {
        foreach (var figure in metrics.Values)
        {
            if (!double.IsFinite(figure.Value))
                return figure;
        }
        return null;
    }
}
