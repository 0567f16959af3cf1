namespace Latent.Runtime;

/// <summary>
/// The purposes a run draws random numbers for. Each gets its own generator derived from the run's seed
/// (<see cref="SeededRandom.Derive"/>), so drawing for one purpose never shifts another: a sample plot or an
/// evaluation leaves training's numbers unchanged.
/// </summary>
public enum RandomStream : ulong
{
    /// <summary>Training batches and the points of fixed data sets.</summary>
    Data = 1,

    /// <summary>Latent codes, reparameterization and corruption noise, penalty interpolation weights during training.</summary>
    Noise = 7,

    /// <summary>Samples drawn by <c>latent sample</c>.</summary>
    Sampling = 99,

    /// <summary>Samples drawn for sample plots.</summary>
    Plots = 4242,

    /// <summary>Real data drawn to plot samples against.</summary>
    PlotReference = 4243,

    /// <summary>Samples and reference data drawn for evaluation.</summary>
    Evaluation = 12345,

    /// <summary>Samples, real examples and interpolation weights drawn by the training-health probes (<c>Diagnostics</c>).</summary>
    Health = 31337,
}
