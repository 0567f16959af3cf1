using Latent.Data;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// A model family (autoencoder, VAE, GAN): it owns its networks and optimizers and knows its one training step.
/// </summary>
/// <remarks>
/// <see cref="TrainStep"/> is the whole algorithm of one update: losses, backward, optimizer steps.
/// The caller (normally <c>Trainer</c>) opens the dispose scope around it; the step opens none.
/// Implement this interface to bring a family of your own to the trainer, its callbacks and checkpoints.
/// </remarks>
public interface IGenerativeModel : IDisposable
{
    /// <summary>One training update, drawing the batches it needs from <paramref name="batches"/>.</summary>
    /// <returns>The step's losses and diagnostics, read once from the tensors.</returns>
    StepMetrics TrainStep(IBatchSource batches);

    /// <summary>The networks by name (<c>generator</c>, <c>discriminator</c>, <c>encoder</c>, …), as saved in checkpoints.</summary>
    IReadOnlyDictionary<string, nn.Module> Networks { get; }

    /// <summary>The optimizers by name, as saved in checkpoints.</summary>
    IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    /// <summary>Switches every network to training (<c>true</c>) or evaluation mode.</summary>
    void SetTraining(bool training);
}
