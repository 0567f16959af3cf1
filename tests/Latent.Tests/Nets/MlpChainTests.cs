using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Runtime;
using Latent.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

/// <summary><see cref="MlpChain"/>'s written-out backward gives autograd's gradients, checked in float64.</summary>
public class MlpChainTests
{
    public MlpChainTests() => LatentRuntime.EnsureLoaded();

    [Theory]
    [InlineData(Activation.ReLU, Activation.None)]
    [InlineData(Activation.LeakyReLU, Activation.None)]
    [InlineData(Activation.Tanh, Activation.Tanh)]
    [InlineData(Activation.Sigmoid, Activation.Sigmoid)]
    [InlineData(Activation.ReLU, Activation.LeakyReLU)]
    public void BackwardGivesAutogradsParameterAndInputGradients(Activation hidden, Activation output)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var mlp = new Mlp(new MlpSpec([3, 16, 8, 2], hidden, output)).to(float64);
        var x = randn(40, 3, dtype: float64);
        var outputGradient = randn(40, 2, dtype: float64);

        var leaf = x.clone().requires_grad_(true);
        mlp.call(leaf).backward([outputGradient]);
        var expected = Gradients(mlp);
        var expectedInput = leaf.grad!.clone();
        ZeroGradients(mlp);

        var chain = MlpChain.Of(mlp)!;
        var tape = chain.Forward(x);
        var inputGradient = chain.Backward(tape, outputGradient, inputGradient: true)!;

        AssertClose(mlp.call(x).detach(), tape.Output, "output");
        AssertClose(expectedInput, inputGradient, "input gradient");
        foreach (var (name, gradient) in Gradients(mlp))
            AssertClose(expected[name], gradient, name);
    }

    [Fact]
    public void BackwardAddsIntoTheGradientsAsAutogradDoes()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var mlp = new Mlp(new MlpSpec([2, 8, 1])).to(float64);
        var x = randn(10, 2, dtype: float64);
        var outputGradient = ones(10, 1, dtype: float64);
        mlp.call(x).backward([outputGradient]);
        var once = Gradients(mlp);

        var chain = MlpChain.Of(mlp)!;
        chain.Backward(chain.Forward(x), outputGradient);

        foreach (var (name, gradient) in Gradients(mlp))
            AssertClose(2 * once[name], gradient, name);
    }

    [Theory]
    [InlineData(Activation.ReLU, 1)]
    [InlineData(Activation.LeakyReLU, 1)]
    [InlineData(Activation.LeakyReLU, 2)]
    public void TheGradientPenaltysParameterGradientsAreAutogradsDoubleBackward(Activation activation, int hiddenLayers)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        int[] hidden = hiddenLayers == 1 ? [32] : [32, 16];
        var critic = new Discriminator(new DiscriminatorSpec(2, hidden, Activation: activation)).to(float64);
        var x = randn(50, 2, dtype: float64);

        // Autograd: the penalty's graph through the input gradient, as GradientPenalty builds it.
        var leaf = x.clone().requires_grad_(true);
        var gradient = autograd.grad([critic.call(leaf).sum()], [leaf], create_graph: true, retain_graph: true)[0];
        var penalty = GradientPenalty.OfGradient(gradient);
        penalty.backward();
        var expected = Gradients(critic);
        ZeroGradients(critic);

        var chain = MlpChain.Of(critic)!;
        var inputGradient = chain.InputGradientOfSum(chain.Forward(x));
        var gradientLeaf = inputGradient.Gradient.clone().requires_grad_(true);
        var penaltyGradient = autograd.grad([GradientPenalty.OfGradient(gradientLeaf)], [gradientLeaf])[0];
        chain.BackwardThroughInputGradient(inputGradient, penaltyGradient);

        AssertClose(gradient.detach(), inputGradient.Gradient, "input gradient");
        foreach (var (name, value) in Gradients(critic))
            AssertClose(expected[name], value, name);
    }

    [Fact]
    public void TheInputGradientIsRefusedWhereTheMasksWouldMoveWithTheParameters()
    {
        using var scope = NewDisposeScope();
        var critic = new Discriminator(new DiscriminatorSpec(2, [8], Activation: Activation.Tanh));
        var chain = MlpChain.Of(critic)!;

        Assert.False(chain.IsPiecewiseLinear);
        Assert.Throws<InvalidOperationException>(() => chain.InputGradientOfSum(chain.Forward(randn(4, 2))));
    }

    [Fact]
    public void OnlyPlainPerceptronsHaveAChain()
    {
        using var scope = NewDisposeScope();
        Assert.NotNull(MlpChain.Of(new Mlp(new MlpSpec([2, 8, 2], Activation.LeakyReLU))));
        Assert.NotNull(MlpChain.Of(new Discriminator(new DiscriminatorSpec(2, [8, 8]))));
        Assert.Null(MlpChain.Of(new Mlp(new MlpSpec([2, 8, 2], BatchNorm: true))));
        Assert.Null(MlpChain.Of(new Mlp(new MlpSpec([2, 8, 2], Dropout: 0.3))));
        Assert.Null(MlpChain.Of(new Mlp(new MlpSpec([2, 8, 2], SpectralNorm: true))));
        Assert.Null(MlpChain.Of(new Mlp(new MlpSpec([2, 8, 2], Activation.LeakyReLU, LeakySlope: 1.5))));
        Assert.Null(MlpChain.Of(new Discriminator(new DiscriminatorSpec(2, [8], MinibatchStdDev: true))));
        Assert.Null(MlpChain.Of(nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))));
        var frozen = new Mlp(new MlpSpec([2, 8, 2]));
        frozen.parameters().First().requires_grad_(false);
        Assert.Null(MlpChain.Of(frozen));
    }

    [Fact]
    public void GradientsAreMadeWhereAParameterHasNone()
    {
        using var scope = NewDisposeScope();
        var mlp = new Mlp(new MlpSpec([2, 4, 1])).to(float64);
        Assert.All(mlp.parameters(), p => Assert.Null(p.grad));

        var chain = MlpChain.Of(mlp)!;
        chain.Backward(chain.Forward(randn(3, 2, dtype: float64)), ones(3, 1, dtype: float64));

        Assert.All(mlp.parameters(), p => Assert.True(p.grad!.abs().sum().item<double>() > 0));
    }

    [Fact]
    public void PackedParametersReceiveTheirGradientsInTheFlatGradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var mlp = new Mlp(new MlpSpec([2, 64, 1])).to(float64); // 64×2: a column-major slot in the pack
        using var pack = PackedParameters.Pack(mlp.parameters());
        var x = randn(20, 2, dtype: float64);
        mlp.call(x).sum().backward();
        var expected = pack.Flat.grad!.clone();
        pack.Flat.grad!.zero_();

        var chain = MlpChain.Of(mlp)!;
        chain.Backward(chain.Forward(x), ones(20, 1, dtype: float64));

        AssertClose(expected, pack.Flat.grad!, "flat gradient");
    }

    /// <summary>Each parameter's gradient; zeros where there is none (the penalty's graph does not reach the biases).</summary>
    private static Dictionary<string, Tensor> Gradients(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone() ?? zeros_like(p.parameter));

    private static void ZeroGradients(nn.Module module)
    {
        foreach (var parameter in module.parameters())
            parameter.grad?.zero_();
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = (expected - actual).abs().max().item<double>(), scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-12 * Math.Max(1, scale), $"{what}: max error {error:E2} (scale {scale:E2})");
    }
}
