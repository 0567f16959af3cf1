using Latent.Nets;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class DiscriminatorTests
{
    [Fact]
    public void ScoresAreOneRawValuePerExample()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var discriminator = new Discriminator(new DiscriminatorSpec(4, [16, 8]));

        var scores = discriminator.call(randn(5, 4) * 100);

        Assert.Equal(new long[] { 5, 1 }, scores.shape);
        Assert.DoesNotContain(discriminator.modules(), m => m is TorchSharp.Modules.Sigmoid);
        // Without a sigmoid, large inputs give scores outside (0, 1).
        Assert.True(scores.abs().max().item<float>() > 1);
    }

    [Fact]
    public void FeaturesAreTheBodysOutput()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var discriminator = new Discriminator(new DiscriminatorSpec(4, [16, 8], MinibatchStdDev: true));

        var features = discriminator.Features(randn(5, 4));

        Assert.Equal(new long[] { 5, 8 }, features.shape);
    }

    [Fact]
    public void EveryBodyLayerIsAHiddenBlockAsInTheMnistGan()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new Discriminator(new DiscriminatorSpec(784, [512, 256], Activation.LeakyReLU, Dropout: 0.3));

        var names = discriminator.named_modules().Select(m => m.name).Where(n => n.Count(c => c == '.') == 2).ToArray();

        Assert.Equal(
            new[]
            {
                "body.layers.linear0", "body.layers.activation0", "body.layers.dropout0",
                "body.layers.linear1", "body.layers.activation1", "body.layers.dropout1",
                "head.layers.linear0",
            },
            names);
    }

    [Fact]
    public void MinibatchLayersWidenTheHead()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var spec = new DiscriminatorSpec(4, [16], MinibatchStdDev: true, MinibatchDiscrimination: new MinibatchDiscriminationSpec(Kernels: 5, KernelDim: 3));
        using var discriminator = new Discriminator(spec);

        var parameters = discriminator.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        // 16 body features + 1 batch spread + 5 closeness kernels.
        Assert.Equal(new long[] { 1, 22 }, parameters["head.layers.linear0.weight"].shape);
        Assert.Equal(new long[] { 17, 15 }, parameters["minibatch_discrimination.weight"].shape);
        Assert.Equal(new long[] { 6, 1 }, discriminator.call(randn(6, 4)).shape);
    }

    [Fact]
    public void WithMinibatchDiscriminationAScoreDependsOnTheRestOfTheBatch()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var plain = new Discriminator(new DiscriminatorSpec(3, [8]));
        using var batchAware = new Discriminator(new DiscriminatorSpec(3, [8], MinibatchDiscrimination: new MinibatchDiscriminationSpec(4, 2)));
        plain.eval();
        batchAware.eval();
        var x = randn(4, 3);
        var changed = x.clone();
        changed[1] = changed[0];

        Assert.True(plain.call(x)[0].Equals(plain.call(changed)[0]));
        Assert.False(batchAware.call(x)[0].Equals(batchAware.call(changed)[0]));
    }

    [Fact]
    public void SpectralNormWrapsBodyAndHead()
    {
        LatentRuntime.EnsureLoaded();
        using var discriminator = new Discriminator(new DiscriminatorSpec(4, [8], SpectralNorm: true));

        var names = discriminator.named_parameters().Select(p => p.name).Where(n => n.EndsWith("weight_orig", StringComparison.Ordinal)).ToArray();

        Assert.Equal(new[] { "body.layers.linear0.weight_orig", "head.layers.linear0.weight_orig" }, names);
    }

    [Fact]
    public void EmptyHiddenIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new Discriminator(new DiscriminatorSpec(4, [])));
        Assert.Contains("Hidden is empty", error.Message);
    }

    [Fact]
    public void HiddenWidthBelowOneIsRefusedNamingItsIndex()
    {
        LatentRuntime.EnsureLoaded();
        var error = Assert.Throws<ArgumentException>(() => new Discriminator(new DiscriminatorSpec(4, [8, 0])));
        Assert.Contains("Hidden[1] is 0", error.Message);
    }
}
