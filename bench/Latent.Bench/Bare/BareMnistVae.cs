using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Latent.Bench.Bare;

/// <summary>
/// <c>mnist-vae-mlp</c> as a plain loop: 784-400 ReLU 400-(20, 20); 20-400 ReLU 400-784 Sigmoid; BCE summed over
/// pixels + KL, averaged over the batch; Adam 1e-3; batch 128.
/// </summary>
internal sealed class BareMnistVae : IBareLoop
{
    private readonly Sequential _encoder, _decoder;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _images;
    private readonly ShuffledBatches _batches;
    private const int Batch = 128;

    public BareMnistVae(long seed)
    {
        manual_seed(seed);
        _images = MnistTensor.TrainImages().flatten(1); // (60000, 784) in [0, 1]
        _batches = new ShuffledBatches(_images.shape[0], Batch);
        _encoder = Sequential(Linear(784, 400), ReLU(), Linear(400, 40));
        _decoder = Sequential(Linear(20, 400), ReLU(), Linear(400, 784), Sigmoid());
        _optimizer = optim.Adam(_encoder.parameters().Concat(_decoder.parameters()), lr: 1e-3);
    }

    public void Step()
    {
        var x = _images[_batches.Next()];
        var code = _encoder.call(x);
        var mu = code[.., ..20];
        var logVar = code[.., 20..];
        var z = mu + (0.5 * logVar).exp() * randn_like(mu);
        var reconstruction = functional.binary_cross_entropy(_decoder.call(z), x, reduction: Reduction.Sum) / Batch;
        var kl = (-0.5 * (1 + logVar - mu.square() - logVar.exp()).sum(1)).mean();
        var loss = reconstruction + kl;
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _encoder.Dispose();
        _decoder.Dispose();
        _images.Dispose();
    }
}
