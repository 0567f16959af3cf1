using Latent.Models;
using Latent.Recipes;
using Latent.Tests.Imaging;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

public class CheckpointTests
{
    private static readonly Recipe SmallGan = new()
    {
        Seed = 1, Steps = 5, BatchSize = 32, Family = "gan", Data = new() { Kind = "ring" },
        Gan = new() { Generator = new() { Hidden = [16] }, Discriminator = new() { Hidden = [16] }, Ema = 0.9 },
    };

    [Fact]
    public void AModelLoadedIntoAFreshBuildOfTheSameRecipeSamplesTheSame()
    {
        using var folder = new TemporaryFolder();
        using var trained = RecipeBuilder.Build(SmallGan);
        new Trainer().Fit(trained.Model, trained.Batches, SmallGan.Steps);
        Checkpoint.Save(trained.Model, folder.Path);
        using var fresh = RecipeBuilder.Build(SmallGan with { Seed = 2 }); // other initial weights
        using var scope = NewDisposeScope();
        using var rng = new Generator(11);
        using var sameRng = new Generator(11);
        using var beforeRng = new Generator(11);
        var before = ((Gan)fresh.Model).Sample(64, beforeRng);

        Checkpoint.Load(fresh.Model, folder.Path);

        var expected = ((Gan)trained.Model).Sample(64, rng);
        var loaded = ((Gan)fresh.Model).Sample(64, sameRng);
        Assert.True(loaded.Equals(expected));
        Assert.False(before.Equals(expected));
    }

    [Fact]
    public void SaveWritesEveryNetworkAndOptimizerAndLoadRestoresOptimizerState()
    {
        using var folder = new TemporaryFolder();
        using var trained = RecipeBuilder.Build(SmallGan);
        new Trainer().Fit(trained.Model, trained.Batches, SmallGan.Steps);

        Checkpoint.Save(trained.Model, folder.Path);

        Assert.Equal(["checkpoint.json", "discriminator.optimizer", "discriminator.safetensors", "generator.optimizer", "generator.safetensors",
                      "generator_ema.safetensors", "state.safetensors"],
                     Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var fresh = RecipeBuilder.Build(SmallGan with { Seed = 2 });
        Checkpoint.Load(fresh.Model, folder.Path, withOptimizers: true);
        // Adam's step count travels with the state: the next step of both models is then the same update.
        using var scope = NewDisposeScope();
        var real = trained.Batches.Next().Examples;
        var batches = new CountingBatches(make: () => real.alias());
        trained.Random.Noise.set_state(fresh.Random.Noise.get_state());
        var a = trained.Model.TrainStep(batches);
        var b = fresh.Model.TrainStep(batches);
        Assert.Equal(a.Values, b.Values);
        Assert.True(((Gan)trained.Model).Generator.parameters().First().Equals(((Gan)fresh.Model).Generator.parameters().First()));
    }

    [Fact]
    public void AVaesStepCountTravelsWithItsCheckpointSoKlWarmUpResumesWhereItStopped()
    {
        // VariationalAutoencoder.StepsTaken drives the KL warm-up and is documented as "saved in checkpoints".
        var preset = Presets.Get("vae2d");
        var recipe = preset with { Vae = preset.Vae with { KlWarmupSteps = 10 } };
        using var folder = new TemporaryFolder();
        using var trained = RecipeBuilder.Build(recipe);
        new Trainer().Fit(trained.Model, trained.Batches, 4);
        Checkpoint.Save(trained.Model, folder.Path);
        using var resumed = RecipeBuilder.Build(recipe);

        Checkpoint.Load(resumed.Model, folder.Path, withOptimizers: true);

        var vae = (VariationalAutoencoder)resumed.Model;
        Assert.Equal(4, vae.StepsTaken);
        Assert.Equal(0.5, vae.KlWeight, 1e-12); // (4 + 1) / 10
    }

    [Fact]
    public void LoadingIntoADifferentArchitectureNamesTheNetwork()
    {
        using var folder = new TemporaryFolder();
        using (var trained = RecipeBuilder.Build(SmallGan))
            Checkpoint.Save(trained.Model, folder.Path);
        using var other = RecipeBuilder.Build(SmallGan with { Gan = SmallGan.Gan with { Discriminator = new() { Hidden = [32] } } });

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(other.Model, folder.Path));

        Assert.Contains("network 'discriminator'", error.Message);
        Assert.Contains("discriminator.safetensors", error.Message);
        Assert.Contains("'body.layers.linear0.weight' has shape [16, 2]; expected [32, 2]", error.Message);
    }

    [Fact]
    public void LoadingFromAFolderWithoutTheFilesNamesTheMissingNetwork()
    {
        using var folder = new TemporaryFolder();
        using var built = RecipeBuilder.Build(SmallGan);

        var error = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(built.Model, folder.Path));

        Assert.Contains("network 'generator'", error.Message);
    }
}
