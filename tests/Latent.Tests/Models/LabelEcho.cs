using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// A conditional network that outputs the label it was given, f(x, y) = y as one float column: it shows which class a
/// model asked for. Its one unused layer gives the model a parameter to find its device by and an optimizer to hold.
/// </summary>
internal sealed class LabelEcho : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear unused;

    public LabelEcho() : base(nameof(LabelEcho))
    {
        unused = nn.Linear(1, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor labels) => labels.to(unused.weight.dtype).unsqueeze(1);
}
