using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// Appends, for each row, how close it is to the other rows of the batch: o(x_i)_b = Σ_{j≠i} exp(−‖M_i,b − M_j,b‖₁),
/// M = x T (Salimans et al. 2016, "Improved Techniques for Training GANs", §3.2).
/// </summary>
/// <remarks>
/// <para>T (parameter <c>weight</c>, shape (A, B·C)) projects each row to B kernels of dimension C; rows far apart in
/// kernel b add nothing to o_b, identical rows add 1 each. A batch of identical fakes therefore stands out, and the
/// generator is pushed away from collapse.</para>
/// <para>Shape: (N, A) → (N, A + B). Memory and time grow with N²·B·C.</para>
/// <para>T is drawn from N(0, 0.05²) with libtorch's global generator (the scale of the paper's code).</para>
/// </remarks>
public sealed class MinibatchDiscrimination : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the layer for rows of <paramref name="inFeatures"/> features.</summary>
    /// <param name="inFeatures">A, the width of the input rows, ≥ 1.</param>
    /// <param name="spec">B and C; 16 kernels of dimension 8 when null.</param>
    public MinibatchDiscrimination(int inFeatures, MinibatchDiscriminationSpec? spec = null) : base(nameof(MinibatchDiscrimination))
    {
        spec ??= new MinibatchDiscriminationSpec();
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        if (spec.Kernels < 1)
            throw new ArgumentException($"MinibatchDiscriminationSpec.Kernels is {spec.Kernels}; expected ≥ 1", nameof(spec));
        if (spec.KernelDim < 1)
            throw new ArgumentException($"MinibatchDiscriminationSpec.KernelDim is {spec.KernelDim}; expected ≥ 1", nameof(spec));
        InFeatures = inFeatures;
        Spec = spec;
        using (var scope = NewDisposeScope())
        {
            weight = (Parameter)new Parameter(normal(0, 0.05, [(long)inFeatures, (long)spec.Kernels * spec.KernelDim])).DetachFromDisposeScope();
        }
        RegisterComponents();
    }

    /// <summary>A, the width of the input rows.</summary>
    public int InFeatures { get; }

    /// <summary>A + B, the width of the output rows.</summary>
    public int OutFeatures => InFeatures + Spec.Kernels;

    /// <summary>B and C.</summary>
    public MinibatchDiscriminationSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != InFeatures)
            throw new ArgumentException($"minibatch discrimination input [{string.Join(", ", input.shape)}]; expected [N, {InFeatures}] from inFeatures", nameof(input));
        long n = input.shape[0];
        var m = input.mm(weight).view(n, Spec.Kernels, Spec.KernelDim); // (N, B, C)
        var l1 = (m.unsqueeze(1) - m.unsqueeze(0)).abs().sum(3);        // (N, N, B): ‖M_i,b − M_j,b‖₁
        var closeness = exp(-l1).sum(1) - 1;                            // (N, B): Σ_j c_b(i, j) less c_b(i, i) = 1
        return cat([input, closeness], 1);                              // (N, A + B)
    }
}
