namespace Latent.Models;

/// <summary>
/// State a model keeps beyond its networks and optimizers (a step count that drives a schedule), saved in
/// checkpoints next to the weights so that a loaded model continues where it stopped.
/// </summary>
public interface ITrainingState
{
    /// <summary>The state by name, as whole numbers.</summary>
    IReadOnlyDictionary<string, long> CaptureState();

    /// <summary>Restores state captured by <see cref="CaptureState"/>.</summary>
    /// <exception cref="InvalidDataException">A name the model needs is missing.</exception>
    void RestoreState(IReadOnlyDictionary<string, long> state);
}
