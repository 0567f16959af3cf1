using Latent.Data;
using Latent.Models;
using Latent.Models.Corruption;
using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using Latent.Recipes;
using TorchSharp;

namespace Latent.Tests.Recipes;

public class RecipeBuilderTests
{
    [Fact]
    public void AGanRecipeBuildsItsLossRegularizersConstraintsAndOptions()
    {
        var recipe = new Recipe
        {
            Gan = new()
            {
                Loss = "hinge", LatentDim = 3, CriticSteps = 4, GradientPenalty = 5, R1 = 2, WeightClip = 0.1,
                FeatureMatching = 0.5, GradientClipNorm = 3, Ema = 0.99,
            },
        };
        using var built = RecipeBuilder.Build(recipe);

        var gan = Assert.IsType<Gan>(built.Model);
        Assert.IsType<HingeLoss>(gan.Loss);
        Assert.Equal(3, gan.Options.LatentDim);
        Assert.Equal(4, gan.Options.CriticSteps);
        Assert.Equal(["gp", "r1"], gan.Options.Regularizers.Select(r => r.Name));
        Assert.Equal(5, gan.Options.Regularizers[0].Weight);
        Assert.Equal(1, gan.Options.Regularizers[1].Weight); // γ/2
        Assert.Equal(0.1, Assert.IsType<WeightClipping>(Assert.Single(gan.Options.Constraints)).Clip);
        Assert.Equal(0.5, gan.Options.FeatureMatchingWeight);
        Assert.Equal(3, gan.Options.GradientClipNorm);
        Assert.Equal(0.99, gan.Options.EmaDecay);
        Assert.Equal(["generator", "discriminator", "generator_ema"], built.Model.Networks.Keys);
        Assert.IsType<RingOfGaussians>(built.Data);
    }

    [Fact]
    public void RealLabelReachesTheLoss()
    {
        using var built = RecipeBuilder.Build(new Recipe { Gan = new() { RealLabel = 0.9 } });

        Assert.Equal(0.9, Assert.IsType<NonSaturatingLoss>(((Gan)built.Model).Loss).RealLabel);
    }

    [Fact]
    public void AutoencoderAndVaeRecipesBuildTheirFamilies()
    {
        using (var dae = RecipeBuilder.Build(Presets.Get("dae2d")))
        {
            var autoencoder = Assert.IsType<Autoencoder>(dae.Model);
            Assert.Equal(0.3, Assert.IsType<GaussianCorruption>(autoencoder.Corruption).Std);
            Assert.Equal(ReconstructionLoss.MeanSquaredError, autoencoder.Loss);
            Assert.IsType<NoisySine>(dae.Data);
        }
        var masked = Presets.Get("ae3x3") with { Autoencoder = Presets.Get("ae3x3").Autoencoder with { Corruption = new() { Kind = "masking", Probability = 0.2 } } };
        using (var built = RecipeBuilder.Build(masked))
            Assert.Equal(0.2, Assert.IsType<MaskingCorruption>(((Autoencoder)built.Model).Corruption).Probability);
        using (var vae = RecipeBuilder.Build(Presets.Get("vae2d")))
        {
            var model = Assert.IsType<VariationalAutoencoder>(vae.Model);
            Assert.Equal(2, model.LatentDim);
            Assert.Equal(ReconstructionLoss.SumSquaredError, model.Loss);
            Assert.IsType<ClusterMixture>(vae.Data);
        }
    }

    [Fact]
    public void TheSameSeedBuildsTheSameWeightsAndAnotherSeedOthers()
    {
        using var first = RecipeBuilder.Build(Presets.Get("gan8g") with { Seed = 9 });
        using var second = RecipeBuilder.Build(Presets.Get("gan8g") with { Seed = 9 });
        using var other = RecipeBuilder.Build(Presets.Get("gan8g") with { Seed = 10 });

        var a = first.Model.Networks["generator"].parameters().First();
        Assert.True(a.Equals(second.Model.Networks["generator"].parameters().First()));
        Assert.False(a.Equals(other.Model.Networks["generator"].parameters().First()));
    }

    [Fact]
    public void DisposingABuiltRecipeReleasesEveryTensorItMade()
    {
        var leftLive = new List<string>();
        foreach (var name in new[] { "gan1d", "gan8g", "grid25", "vae2d", "ae2d", "dae2d", "ae3x3" })
        {
            RecipeBuilder.Build(Presets.Get(name)).Dispose(); // warm up anything made once per process
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

            RecipeBuilder.Build(Presets.Get(name)).Dispose();

            long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
            if (live != 0)
                leftLive.Add($"{name} ({live})");
        }

        Assert.True(leftLive.Count == 0, $"tensors still live after BuiltRecipe.Dispose: {string.Join(", ", leftLive)}");
    }
}
