using static TorchSharp.torch;

namespace Latent.Models.Regularizers;

/// <summary>A constraint applied to the critic's parameters after each of its optimizer steps (weight clipping).</summary>
public interface ICriticConstraint
{
    /// <summary>Applies the constraint in place, without gradients.</summary>
    void Apply(nn.Module critic);
}
