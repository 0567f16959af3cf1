using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Latent.Bench.Bare;

/// <summary>
/// The toy GANs of WORKLOADS.md as one plain loop: <c>gan8g</c> (non-saturating, Adam 1e-3 (0.5, 0.999)),
/// <c>wgan8g</c> (critic ×5, clipping 0.01, RMSprop 5e-4), <c>wgangp8g</c> (critic ×5, penalty λ 1, LeakyReLU,
/// Adam 1e-3 (0, 0.9)) on the 8-Gaussian ring, and <c>gan1d</c> on N(3, 0.5) (LeakyReLU G, minibatch std in D,
/// R1 γ 1, EMA 0.99, Adam 1e-3 (0.5, 0.999)). The recipes are Latent's presets of the same names.
/// </summary>
internal sealed class BareToyGan : IBareLoop
{
    private readonly Sequential _generator;
    private readonly Linear _critic1, _critic2;
    private readonly Module<Tensor, Tensor> _criticActivation;
    private readonly Sequential? _averaged;
    private readonly optim.Optimizer _generatorOptimizer, _criticOptimizer;
    private readonly Tensor _centers;
    private readonly int _latent, _criticSteps, _batch = 256;
    private readonly bool _wasserstein, _oneDimensional, _minibatchStd;
    private readonly double _penalty, _r1, _clip;

    public BareToyGan(string workload, long seed)
    {
        manual_seed(seed);
        _oneDimensional = workload == "gan1d";
        _latent = _oneDimensional ? 1 : 2;
        int width = _oneDimensional ? 64 : 128;
        bool leaky = workload is "wgangp8g";
        _wasserstein = workload is "wgan8g" or "wgangp8g";
        _criticSteps = _wasserstein ? 5 : 1;
        _penalty = workload == "wgangp8g" ? 1 : 0;
        _clip = workload == "wgan8g" ? 0.01 : 0;
        _r1 = _oneDimensional ? 1 : 0;
        _minibatchStd = _oneDimensional;

        _generator = MakeGenerator(_latent, width, leaky || _oneDimensional);
        _critic1 = Linear(_latent, width);
        _criticActivation = leaky ? LeakyReLU(0.2) : ReLU();
        _critic2 = Linear(width + (_minibatchStd ? 1 : 0), 1);
        var criticParameters = _critic1.parameters().Concat(_critic2.parameters()).ToList();
        if (workload == "wgan8g")
        {
            _generatorOptimizer = optim.RMSProp(_generator.parameters(), lr: 5e-4);
            _criticOptimizer = optim.RMSProp(criticParameters, lr: 5e-4);
        }
        else
        {
            double beta1 = workload == "wgangp8g" ? 0 : 0.5, beta2 = workload == "wgangp8g" ? 0.9 : 0.999;
            _generatorOptimizer = optim.Adam(_generator.parameters(), lr: 1e-3, beta1: beta1, beta2: beta2);
            _criticOptimizer = optim.Adam(criticParameters, lr: 1e-3, beta1: beta1, beta2: beta2);
        }
        if (_oneDimensional)
        {
            _averaged = MakeGenerator(_latent, width, leaky: true);
            using (no_grad())
                foreach (var (target, source) in _averaged.parameters().Zip(_generator.parameters()))
                    target.copy_(source).requires_grad_(false);
        }
        var angles = arange(8, dtype: float32) * (2 * Math.PI / 8);
        _centers = stack([2 * angles.cos(), 2 * angles.sin()], 1); // (8, 2)
    }

    private static Sequential MakeGenerator(int latent, int width, bool leaky) =>
        Sequential(Linear(latent, width), leaky ? LeakyReLU(0.2) : ReLU(), Linear(width, latent));

    private Tensor Critic(Tensor x)
    {
        var h = _criticActivation.call(_critic1.call(x)); // (N, width)
        if (_minibatchStd)
        {
            var spread = (h.var(0, unbiased: false) + 1e-8).sqrt().mean(); // the batch's spread, one number
            h = cat([h, spread.expand(h.shape[0], 1)], 1);                   // (N, width + 1)
        }
        return _critic2.call(h); // (N, 1)
    }

    private Tensor Real() => _oneDimensional
        ? 3 + 0.5 * randn(_batch, 1)
        : _centers[randint(8, [_batch])] + 0.05 * randn(_batch, 2);

    public void Step()
    {
        for (int i = 0; i < _criticSteps; i++)
        {
            var real = Real();
            Tensor fake;
            using (no_grad())
                fake = _generator.call(randn(_batch, _latent));
            var realScores = Critic(real);
            var fakeScores = Critic(fake);
            var loss = _wasserstein
                ? fakeScores.mean() - realScores.mean()
                : functional.softplus(-realScores).mean() + functional.softplus(fakeScores).mean();
            if (_penalty > 0)
            {
                var epsilon = rand(_batch, 1);
                var mixed = (epsilon * real + (1 - epsilon) * fake).requires_grad_(true);
                var gradient = autograd.grad([Critic(mixed).sum()], [mixed], create_graph: true, retain_graph: true)[0];
                var norm = (gradient.square().sum(1) + 1e-12).sqrt();
                loss = loss + _penalty * (norm - 1).square().mean();
            }
            if (_r1 > 0)
            {
                var x = real.requires_grad_(true);
                var gradient = autograd.grad([Critic(x).sum()], [x], create_graph: true, retain_graph: true)[0];
                loss = loss + _r1 / 2 * gradient.square().sum(1).mean();
            }
            _criticOptimizer.zero_grad();
            loss.backward();
            _criticOptimizer.step();
            if (_clip > 0)
                using (no_grad())
                    foreach (var parameter in _critic1.parameters().Concat(_critic2.parameters()))
                        parameter.clamp_(-_clip, _clip);
        }

        var scores = Critic(_generator.call(randn(_batch, _latent)));
        var generatorLoss = _wasserstein ? -scores.mean() : functional.softplus(-scores).mean();
        _generatorOptimizer.zero_grad();
        generatorLoss.backward();
        _generatorOptimizer.step();
        if (_averaged is not null)
            using (no_grad())
                foreach (var (target, source) in _averaged.parameters().Zip(_generator.parameters()))
                    target.mul_(0.99).add_(source, alpha: 0.01);
    }

    public void Dispose()
    {
        _generatorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _generator.Dispose();
        _critic1.Dispose();
        _critic2.Dispose();
        _averaged?.Dispose();
        _centers.Dispose();
    }
}
