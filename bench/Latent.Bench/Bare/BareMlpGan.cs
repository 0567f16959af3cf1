using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Latent.Bench.Bare;

/// <summary>
/// <c>mnist-gan-mlp</c> as a plain loop: G 100-256 LeakyReLU(0.2) BN 256-512 LeakyReLU BN 512-784 Tanh;
/// D 784-512 LeakyReLU Dropout(0.3) 512-256 LeakyReLU Dropout 256-1; non-saturating loss with real label 0.9;
/// Adam 2e-4 (0.5, 0.999); batch 64 of MNIST scaled to [-1, 1].
/// </summary>
internal sealed class BareMlpGan : IBareLoop
{
    private readonly Sequential _generator, _discriminator;
    private readonly optim.Optimizer _generatorOptimizer, _discriminatorOptimizer;
    private readonly Tensor _images;
    private readonly ShuffledBatches _batches;
    private const int Batch = 64;

    public BareMlpGan(long seed)
    {
        manual_seed(seed);
        _images = MnistTensor.TrainImages().flatten(1).mul_(2).sub_(1); // (60000, 784) in [-1, 1]
        _batches = new ShuffledBatches(_images.shape[0], Batch);
        _generator = Sequential(
            Linear(100, 256), LeakyReLU(0.2), BatchNorm1d(256),
            Linear(256, 512), LeakyReLU(0.2), BatchNorm1d(512),
            Linear(512, 784), Tanh());
        _discriminator = Sequential(
            Linear(784, 512), LeakyReLU(0.2), Dropout(0.3),
            Linear(512, 256), LeakyReLU(0.2), Dropout(0.3),
            Linear(256, 1));
        _generatorOptimizer = optim.Adam(_generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        _discriminatorOptimizer = optim.Adam(_discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
    }

    public void Step()
    {
        var real = _images[_batches.Next()];
        Tensor fake;
        using (no_grad())
            fake = _generator.call(randn(Batch, 100));
        var realScores = _discriminator.call(real);
        var fakeScores = _discriminator.call(fake);
        // BCE with logits, real target 0.9 (one-sided label smoothing), fake target 0.
        var loss = (0.9 * functional.softplus(-realScores) + 0.1 * functional.softplus(realScores)).mean()
                   + functional.softplus(fakeScores).mean();
        _discriminatorOptimizer.zero_grad();
        loss.backward();
        _discriminatorOptimizer.step();

        var generatorLoss = functional.softplus(-_discriminator.call(_generator.call(randn(Batch, 100)))).mean();
        _generatorOptimizer.zero_grad();
        generatorLoss.backward();
        _generatorOptimizer.step();
    }

    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
        _generator.Dispose();
        _discriminator.Dispose();
        _images.Dispose();
    }
}
