using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Latent.Bench.Bare;

/// <summary>
/// The toy autoencoders of WORKLOADS.md as plain loops, full batch: <c>ae2d</c> (2-4-1 / 1-4-2 LeakyReLU, MSE,
/// Adam 0.01, 200 points on a noisy unit circle) and <c>vae2d</c> (2-16-(2, 2) / 2-16-2 ReLU, squared error summed
/// over features + KL, Adam 0.01, 300 points in 3 clusters).
/// </summary>
internal sealed class BareToyAutoencoder : IBareLoop
{
    private readonly Sequential _encoder, _decoder;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _data;
    private readonly bool _variational;

    public BareToyAutoencoder(string workload, long seed)
    {
        manual_seed(seed);
        _variational = workload == "vae2d";
        if (_variational)
        {
            _encoder = Sequential(Linear(2, 16), ReLU(), Linear(16, 4)); // mu and log-variance, 2 each
            _decoder = Sequential(Linear(2, 16), ReLU(), Linear(16, 2));
            var centers = tensor(new float[] { -2, 0, 2, 0, 0, 2 }).reshape(3, 2);
            _data = centers.repeat_interleave(100, 0) + 0.3 * randn(300, 2);
        }
        else
        {
            _encoder = Sequential(Linear(2, 4), LeakyReLU(0.01), Linear(4, 1));
            _decoder = Sequential(Linear(1, 4), LeakyReLU(0.01), Linear(4, 2));
            var angle = rand(200, 1) * (2 * Math.PI);
            _data = cat([angle.cos(), angle.sin()], 1) + 0.05 * randn(200, 2);
        }
        _optimizer = optim.Adam(_encoder.parameters().Concat(_decoder.parameters()), lr: 0.01);
    }

    public void Step()
    {
        Tensor loss;
        if (_variational)
        {
            var code = _encoder.call(_data);
            var mu = code[.., ..2];
            var logVar = code[.., 2..];
            var z = mu + (0.5 * logVar).exp() * randn_like(mu);
            var reconstruction = functional.mse_loss(_decoder.call(z), _data, Reduction.Sum) / _data.shape[0];
            var kl = (-0.5 * (1 + logVar - mu.square() - logVar.exp()).sum(1)).mean();
            loss = reconstruction + kl;
        }
        else
        {
            loss = functional.mse_loss(_decoder.call(_encoder.call(_data)), _data);
        }
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _encoder.Dispose();
        _decoder.Dispose();
        _data.Dispose();
    }
}
