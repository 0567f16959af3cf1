using Latent.Models;
using Latent.Models.Losses;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>The <see cref="ILatentModel"/> contract as callers see it: through the interface, not the family's own type.</summary>
public class LatentModelTests
{
    [Fact]
    public void SampleOfACountThroughTheInterfaceDrawsThatManyExamplesFromAnUnconditionalVae()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var encoder = nn.Linear(3, 4);
        var decoder = nn.Linear(2, 3);
        using var vae = new VariationalAutoencoder(encoder, decoder, optim.SGD(encoder.parameters(), 0.1), 2, ReconstructionLoss.SumSquaredError, random.Noise);
        ILatentModel model = vae;
        using var scope = NewDisposeScope();
        using var rng = new Generator(3);

        // A count, as ImageRunPlots and 'latent sample' pass it: an int, or a long.
        var fromInt = model.Sample(10, rng);
        var fromLong = model.Sample(10L, rng);

        Assert.Equal([10L, 3], fromInt.shape);
        Assert.Equal([10L, 3], fromLong.shape);
    }

    [Fact]
    public void SampleOfACountThroughTheInterfaceDrawsThatManyExamplesFromAnUnconditionalGan()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var generator = nn.Linear(2, 3);
        var critic = nn.Linear(3, 1);
        using var gan = new Gan(generator, critic, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.1),
                                optim.SGD(critic.parameters(), 0.1), random.Noise);
        ILatentModel model = gan;
        using var scope = NewDisposeScope();

        Assert.Equal([7L, 3], model.Sample(7).shape);
    }

    [Fact]
    public void SampleOfACountThroughTheInterfaceCyclesTheClassesOfAConditionalModel()
    {
        LatentRuntime.EnsureLoaded();
        using var random = new SeededRandom(1);
        var generator = new LabelEcho();
        var critic = new LabelEcho();
        using var gan = new Gan(generator, critic, 3, new NonSaturatingLoss(), optim.SGD(generator.parameters(), 0.1),
                                optim.SGD(critic.parameters(), 0.1), random.Noise);
        ILatentModel model = gan;
        using var scope = NewDisposeScope();

        Assert.Equal([0f, 1, 2, 0, 1], model.Sample(5).flatten().data<float>().ToArray());
    }
}
