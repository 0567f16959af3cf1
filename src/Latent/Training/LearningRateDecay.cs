using Latent.Models;

namespace Latent.Training;

/// <summary>
/// Step decay of every optimizer's learning rate: lr = lr₀ · γ^⌊step / every⌋ (seed 004: "decay both lr by 0.99 every epoch").
/// </summary>
/// <remarks>The rate is a function of the step alone, so a resumed run continues on the same schedule.</remarks>
public sealed class LearningRateDecay : ITrainingCallback
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">γ, the factor per period; in (0, 1].</param>
    /// <param name="every">Steps per period; at least 1.</param>
    public LearningRateDecay(double gamma, long every)
    {
        if (!(gamma > 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Gamma = gamma;
        Every = every;
    }

    /// <summary>γ, the factor per period.</summary>
    public double Gamma { get; }

    /// <summary>Steps per period.</summary>
    public long Every { get; }

    /// <summary>The factor on the initial learning rate after <paramref name="step"/> steps.</summary>
    public double FactorAfter(long step) => Math.Pow(Gamma, step / Every);

    /// <inheritdoc />
    public void OnStart(TrainingContext context) => Apply(context.Model, context.FirstStep - 1);

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        if (step % Every == 0)
            Apply(context.Model, step);
    }

    private void Apply(IGenerativeModel model, long step)
    {
        double factor = FactorAfter(step);
        foreach (var optimizer in model.Optimizers.Values)
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = group.InitialLearningRate * factor;
        }
    }
}
