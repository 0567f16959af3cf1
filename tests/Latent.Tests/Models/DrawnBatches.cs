using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>A test's own data stream: each batch drawn afresh by a function.</summary>
internal sealed class DrawnBatches(Func<Batch> draw) : IBatchSource
{
    /// <summary>Unlabelled batches of the drawn examples.</summary>
    public DrawnBatches(Func<Tensor> draw) : this(() => new Batch(draw()))
    {
    }

    public Batch Next() => draw();
}
