namespace Latent.Data;

/// <summary>An endless stream of training batches on the training device; a model draws as many per step as it needs.</summary>
public interface IBatchSource
{
    /// <summary>The next batch: examples (batch size, features...) and their labels where the data has them.</summary>
    Batch Next();
}
