using Latent.Data;
using Latent.Models;
using Latent.Runtime;
using Latent.Training;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>A recipe made real: its random streams, data, model and batch stream, on its device.</summary>
/// <param name="Recipe">The validated recipe.</param>
/// <param name="Random">The run's random streams, seeded from <see cref="Recipe.Seed"/>.</param>
/// <param name="Data">The training data.</param>
/// <param name="Model">The family, with its networks and optimizers.</param>
/// <param name="Batches">The stream each step draws from.</param>
/// <param name="Device">Where the model lives.</param>
public sealed record BuiltRecipe(Recipe Recipe, SeededRandom Random, IDataSource Data, IGenerativeModel Model, IBatchSource Batches, Device Device) : IDisposable
{
    /// <summary>
    /// Trains the model for the recipe's steps with the callbacks the recipe itself implies (its learning-rate
    /// schedule) followed by <paramref name="callbacks"/>: every path that trains a recipe trains the same thing.
    /// </summary>
    /// <returns>The figures of the last step.</returns>
    public StepMetrics Fit(IEnumerable<ITrainingCallback>? callbacks = null, CancellationToken cancellation = default)
    {
        var all = new List<ITrainingCallback>();
        if (Recipe.LrDecay is { } decay)
            all.Add(new LearningRateDecay(decay.Gamma, decay.Every));
        all.AddRange(callbacks ?? []);
        return new Trainer(all).Fit(Model, Batches, Recipe.Steps, cancellation: cancellation);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        (Batches as IDisposable)?.Dispose();
        (Data as IDisposable)?.Dispose();
        Random.Dispose();
    }
}
