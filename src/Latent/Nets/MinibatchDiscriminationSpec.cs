namespace Latent.Nets;

/// <summary>The size of a <see cref="MinibatchDiscrimination"/> layer.</summary>
/// <param name="Kernels">B, the number of closeness features appended, ≥ 1; 16 by default.</param>
/// <param name="KernelDim">C, the dimension of the space each kernel compares rows in, ≥ 1; 8 by default.</param>
public sealed record MinibatchDiscriminationSpec(int Kernels = 16, int KernelDim = 8);
