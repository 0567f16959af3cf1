using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class MinibatchDiscriminationTests
{
    [Fact]
    public void IdenticalRowsGiveNMinusOne()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchDiscrimination(4, new MinibatchDiscriminationSpec(Kernels: 3, KernelDim: 2));
        var x = randn(1, 4).expand(5, 4);

        var y = layer.call(x);

        // Each row is at L1 distance 0 from the 4 others: Σ_{j≠i} e^0 = 4 in every kernel.
        Assert.Equal(new long[] { 5, 7 }, y.shape);
        Assert.True(y[.., 4..].allclose(full(5, 3, 4f)));
        Assert.True(y[.., ..4].Equals(x));
    }

    [Fact]
    public void FarApartRowsGiveZero()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchDiscrimination(2, new MinibatchDiscriminationSpec(Kernels: 2, KernelDim: 3));
        using (no_grad())
            layer.parameters().Single().fill_(1);
        var x = arange(4, dtype: ScalarType.Float32).unsqueeze(1).expand(4, 2) * 100; // rows 0, 100, 200, 300

        var y = layer.call(x);

        Assert.True(y[.., 2..].abs().max().item<float>() < 1e-30);
    }

    [Fact]
    public void ClosenessIsExpOfMinusTheL1DistanceInKernelSpace()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchDiscrimination(1, new MinibatchDiscriminationSpec(Kernels: 1, KernelDim: 2));
        using (no_grad())
            layer.parameters().Single().copy_(tensor(new float[,] { { 1, 2 } }));
        // M_0 = (0, 0), M_1 = (1, 2): ‖M_0 − M_1‖₁ = 3, so each row gets e^−3.
        var x = tensor(new float[,] { { 0 }, { 1 } });

        var y = layer.call(x);

        Assert.Equal(Math.Exp(-3), y[0, 1].item<float>(), 1e-7);
        Assert.Equal(Math.Exp(-3), y[1, 1].item<float>(), 1e-7);
    }

    [Fact]
    public void GradientsReachTheProjection()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchDiscrimination(4);

        layer.call(randn(6, 4) * 0.1).sum().backward();

        var grad = layer.parameters().Single().grad;
        Assert.NotNull(grad);
        Assert.Equal(new long[] { 4, 16 * 8 }, grad!.shape);
        Assert.True(grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void WrongInputWidthIsRefusedWithBothShapes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var layer = new MinibatchDiscrimination(4);

        var error = Assert.Throws<ArgumentException>(() => layer.call(ones(3, 5)));
        Assert.Contains("[3, 5]", error.Message);
        Assert.Contains("[N, 4]", error.Message);
    }

    [Fact]
    public void KernelsBelowOneAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new MinibatchDiscrimination(4, new MinibatchDiscriminationSpec(Kernels: 0)));
        Assert.Contains("Kernels is 0", error.Message);
    }
}
