using Latent.Models.Regularizers;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Models.Regularizers;

public class WeightClippingTests
{
    [Fact]
    public void ClampsEveryParameterIntoTheBoundAndLeavesSmallOnesAlone()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var critic = nn.Linear(3, 1);
        using (no_grad())
        {
            critic.weight.copy_(tensor(new float[,] { { -1, 0.005f, 0.5f } }));
            critic.bias!.fill_(-0.02);
        }

        new WeightClipping(0.01).Apply(critic);

        Assert.Equal(new float[] { -0.01f, 0.005f, 0.01f }, critic.weight.data<float>().ToArray());
        Assert.Equal(new float[] { -0.01f }, critic.bias!.data<float>().ToArray());
    }

    [Fact]
    public void ParametersStayTrainableLeaves()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var critic = nn.Linear(3, 1);

        new WeightClipping().Apply(critic);

        Assert.All(critic.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
        Assert.True(critic.weight.abs().max().item<float>() <= 0.01f);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.01)]
    public void ClipMustBePositive(double clip)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightClipping(clip));
    }
}
