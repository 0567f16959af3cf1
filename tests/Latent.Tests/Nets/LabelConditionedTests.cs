using Latent.Nets;
using Latent.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Nets;

public class LabelConditionedTests
{
    [Fact]
    public void FeatureJoinAppendsTheEmbeddingAsInTheTutorialsConditionalGan()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(1);
        // G takes noise ++ a 50-wide embedding, D an image ++ a 784-wide one; the inner nets' first widths prove the joins.
        using var generator = new LabelConditioned(new Mlp(new MlpSpec([100 + 50, 256, 784], Output: Activation.Tanh)), classes: 10, embeddingDim: 50);
        using var discriminator = new LabelConditioned(new Discriminator(new DiscriminatorSpec(784 * 2, [512, 256])), classes: 10, embeddingDim: 784);
        var labels = tensor(new long[] { 0, 3, 9, 3 });

        var fake = generator.call(randn(4, 100), labels);
        var scores = discriminator.call(fake.view(4, 1, 28, 28), labels);

        Assert.Equal(new long[] { 4, 784 }, fake.shape);
        Assert.Equal(new long[] { 4, 1 }, scores.shape);
    }

    [Fact]
    public void FeatureJoinPassesTheInputThenItsLabelsRow()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var identity = new LabelConditioned(nn.Identity(), classes: 3, embeddingDim: 2);
        var table = identity.named_parameters().Single(p => p.name == "embedding.weight").parameter;
        var x = randn(2, 1, 2, 2);

        var joined = identity.call(x, tensor(new long[] { 2, 0 }));

        Assert.Equal(new long[] { 2, 6 }, joined.shape);
        Assert.True(joined[.., ..4].Equals(x.flatten(1)));
        Assert.True(joined[0, 4..].Equals(table[2]));
        Assert.True(joined[1, 4..].Equals(table[0]));
    }

    [Fact]
    public void ChannelJoinAddsTheEmbeddingAsOneMoreImageChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var identity = new LabelConditioned(nn.Identity(), classes: 10, embeddingDim: 28 * 28, LabelJoin.Channel);
        var table = identity.named_parameters().Single(p => p.name == "embedding.weight").parameter;
        var x = randn(2, 3, 28, 28);

        var joined = identity.call(x, tensor(new long[] { 7, 1 }));

        Assert.Equal(new long[] { 2, 4, 28, 28 }, joined.shape);
        Assert.True(joined[.., ..3].Equals(x));
        Assert.True(joined[0, 3].Equals(table[7].view(28, 28)));
    }

    [Fact]
    public void ChannelJoinConditionsADcganCriticWithOneMoreChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var critic = new LabelConditioned(
            new DcganDiscriminator(new DcganDiscriminatorSpec(28, 2, Width: 4, BatchNorm: false)), classes: 10, embeddingDim: 784, LabelJoin.Channel);
        var first = critic.named_parameters().Single(p => p.name == "inner.body.conv0.weight").parameter;

        var scores = critic.call(randn(5, 1, 28, 28), tensor(new long[] { 0, 1, 2, 3, 4 }));

        Assert.Equal(new long[] { 4, 2, 4, 4 }, first.shape);
        Assert.Equal(new long[] { 5, 1 }, scores.shape);
    }

    [Fact]
    public void DifferentLabelsGiveDifferentOutputsForTheSameInput()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var generator = new LabelConditioned(new DcganGenerator(new DcganGeneratorSpec(8 + 4, 8, 1, Width: 4)), classes: 10, embeddingDim: 4);
        generator.eval();
        var z = randn(1, 8).expand(10, 8);

        var images = generator.call(z, arange(10, dtype: ScalarType.Int64));

        // Every pair of classes draws a different image from the same noise.
        var distances = cdist(images.flatten(1), images.flatten(1));
        var offDiagonal = distances + eye(10) * 1e9;
        Assert.True(offDiagonal.min().item<float>() > 1e-4, $"closest pair {offDiagonal.min().item<float>()}");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-1)]
    public void LabelsOutsideTheClassesAreRefusedNamingTheValue(long bad)
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var conditioned = new LabelConditioned(nn.Identity(), classes: 10, embeddingDim: 2);

        var error = Assert.Throws<ArgumentException>(() => conditioned.call(randn(3, 4), tensor(new long[] { 1, bad, 2 })));

        Assert.Contains($"label {bad} is outside [0, 10)", error.Message);
    }

    [Fact]
    public void ChannelJoinWithAnEmbeddingOtherThanHTimesWIsRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var conditioned = new LabelConditioned(nn.Identity(), classes: 10, embeddingDim: 50, LabelJoin.Channel);

        var error = Assert.Throws<ArgumentException>(() => conditioned.call(randn(2, 1, 28, 28), tensor(new long[] { 1, 2 })));

        Assert.Contains("H·W = 784, but the embedding width is 50", error.Message);
    }

    [Fact]
    public void LabelsOfAnotherBatchSizeAreRefused()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var conditioned = new LabelConditioned(nn.Identity(), classes: 10, embeddingDim: 2);

        var error = Assert.Throws<ArgumentException>(() => conditioned.call(randn(3, 4), tensor(new long[] { 1, 2 })));

        Assert.Contains("labels [2]; expected [N] with N = 3", error.Message);
    }

    [Fact]
    public void FeaturesComeFromTheInnerDiscriminatorOnTheJoinedInput()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(6);
        var inner = new DcganDiscriminator(new DcganDiscriminatorSpec(8, 2, Width: 4));
        using var conditioned = new LabelConditioned(inner, classes: 3, embeddingDim: 64, LabelJoin.Channel);
        conditioned.eval();
        var x = randn(2, 1, 8, 8);
        var labels = tensor(new long[] { 0, 2 });
        var table = conditioned.named_parameters().Single(p => p.name == "embedding.weight").parameter;

        var features = conditioned.Features(x, labels);

        var expected = inner.Features(cat([x, table[labels].view(2, 1, 8, 8)], 1));
        Assert.Equal(new long[] { 2, 4 * 4 * 4 }, features.shape);
        Assert.True(features.allclose(expected));
    }

    [Fact]
    public void FeaturesOfAnInnerNetWithoutThemAreAnInvalidOperation()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var conditioned = new LabelConditioned(new Mlp(new MlpSpec([6, 1])), classes: 3, embeddingDim: 2);

        var error = Assert.Throws<InvalidOperationException>(() => conditioned.Features(randn(2, 4), tensor(new long[] { 0, 1 })));

        Assert.Contains("Mlp", error.Message);
        Assert.Contains(nameof(IFeatureExtractor), error.Message);
    }

    [Fact]
    public void CheckpointKeysAreEmbeddingAndInner()
    {
        LatentRuntime.EnsureLoaded();
        using var conditioned = new LabelConditioned(new Mlp(new MlpSpec([6, 1])), classes: 3, embeddingDim: 2);

        Assert.Equal(new[] { "embedding.weight", "inner.layers.linear0.weight", "inner.layers.linear0.bias" }, conditioned.state_dict().Keys);
        Assert.Equal(3, conditioned.Classes);
        Assert.IsType<Mlp>(conditioned.Inner);
    }
}
