using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>An endless stream of training batches on the training device; a model draws as many per step as it needs.</summary>
public interface IBatchSource
{
    /// <summary>The next batch, (batch size, features...) on the training device.</summary>
    Tensor Next();
}
