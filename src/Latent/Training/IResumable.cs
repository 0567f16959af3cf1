using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// A part of a run whose state an exact resume needs beyond the networks and optimizers: a batch stream's place in
/// its epoch. Checkpoints save the state as named CPU tensors and hand the same names back on resume.
/// </summary>
public interface IResumable
{
    /// <summary>The state as named tensors on the CPU; the caller owns (and disposes) them.</summary>
    IReadOnlyDictionary<string, Tensor> CaptureState();

    /// <summary>Continues from a state captured by <see cref="CaptureState"/>; the tensors stay the caller's.</summary>
    /// <exception cref="InvalidDataException">A name is missing or a tensor does not fit this object.</exception>
    void RestoreState(IReadOnlyDictionary<string, Tensor> state);
}
