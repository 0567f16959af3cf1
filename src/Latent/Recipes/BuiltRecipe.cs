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
/// <remarks>
/// As an <see cref="IResumable"/> it is the state a checkpoint keeps beyond the model: the random streams (<c>random.*</c>)
/// and the batch stream's place in its epoch (<c>batches.*</c>).
/// </remarks>
public sealed record BuiltRecipe(Recipe Recipe, SeededRandom Random, IDataSource Data, IGenerativeModel Model, IBatchSource Batches, Device Device)
    : IResumable, IDisposable
{
    /// <summary>
    /// Trains the model for the recipe's steps with the callbacks the recipe itself implies (its learning-rate
    /// schedule) followed by <paramref name="callbacks"/>: every path that trains a recipe trains the same thing.
    /// </summary>
    /// <returns>The figures of the last step.</returns>
    /// <param name="callbacks">Called after the recipe's own, in order.</param>
    /// <param name="cancellation">Stops after the current step.</param>
    /// <param name="startStep">Steps already done: a run resumed from a checkpoint (with <see cref="RestoreState"/> called).</param>
    public StepMetrics Fit(IEnumerable<ITrainingCallback>? callbacks = null, CancellationToken cancellation = default, long startStep = 0)
    {
        var all = new List<ITrainingCallback>();
        if (Recipe.LrDecay is { } decay)
            all.Add(new LearningRateDecay(decay.Gamma, decay.Every));
        all.AddRange(callbacks ?? []);
        var onNan = Recipe.OnNan == "skip" ? NonFinitePolicy.Skip : NonFinitePolicy.Stop;
        return new Trainer(all, onNan).Fit(Model, Batches, Recipe.Steps, startStep, cancellation);
    }

    private const string RandomPrefix = "random.", BatchesPrefix = "batches.";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> CaptureState()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, value) in Random.CaptureState())
            state[RandomPrefix + name] = value;
        if (Batches is IResumable batches)
        {
            foreach (var (name, value) in batches.CaptureState())
                state[BatchesPrefix + name] = value;
        }
        return state;
    }

    /// <inheritdoc />
    public void RestoreState(IReadOnlyDictionary<string, Tensor> state)
    {
        Random.RestoreState(WithPrefix(state, RandomPrefix));
        if (Batches is IResumable batches)
            batches.RestoreState(WithPrefix(state, BatchesPrefix));
    }

    private static Dictionary<string, Tensor> WithPrefix(IReadOnlyDictionary<string, Tensor> state, string prefix) =>
        state.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        (Batches as IDisposable)?.Dispose();
        (Data as IDisposable)?.Dispose();
        Random.Dispose();
    }
}
