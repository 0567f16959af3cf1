using Latent.Evaluation.Classifiers;

namespace Latent.Tests.Evaluation.Classifiers;

public class ClassifierRecipeTests
{
    [Fact]
    public void DefaultIsThreeEpochsOfBatch128WithAdamWAt2e3()
    {
        var recipe = ClassifierRecipe.Default;

        Assert.Equal(3, recipe.Epochs);
        Assert.Equal(128, recipe.BatchSize);
        Assert.Equal(2e-3, recipe.LearningRate);
        Assert.Equal(0, recipe.WeightDecay);
        Assert.Equal(0.25, recipe.Dropout);
        Assert.Equal(0, recipe.Seed);
        recipe.Validate();
    }

    [Fact]
    public void RecipesCompareByValue()
    {
        Assert.Equal(ClassifierRecipe.Default, new ClassifierRecipe());
        Assert.NotEqual(ClassifierRecipe.Default, ClassifierRecipe.Default with { Seed = 1 });
    }

    [Theory]
    [InlineData("Epochs", "is 0")]
    [InlineData("BatchSize", "is 1")]
    [InlineData("LearningRate", "is 0")]
    [InlineData("WeightDecay", "is -1")]
    [InlineData("Dropout", "is 1")]
    [InlineData("Seed", "is -1")]
    public void AFieldOutOfRangeIsRefusedNamingIt(string field, string value)
    {
        var recipe = field switch
        {
            "Epochs" => ClassifierRecipe.Default with { Epochs = 0 },
            "BatchSize" => ClassifierRecipe.Default with { BatchSize = 1 },
            "LearningRate" => ClassifierRecipe.Default with { LearningRate = 0 },
            "WeightDecay" => ClassifierRecipe.Default with { WeightDecay = -1 },
            "Dropout" => ClassifierRecipe.Default with { Dropout = 1 },
            _ => ClassifierRecipe.Default with { Seed = -1 },
        };

        var error = Assert.Throws<ArgumentException>(recipe.Validate);

        Assert.Contains($"ClassifierRecipe.{field} {value}; expected", error.Message);
    }
}
