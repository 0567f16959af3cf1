using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>Runs a computation with networks in evaluation mode and without gradients, then restores their mode.</summary>
internal static class EvaluationMode
{
    internal static Tensor Run(IEnumerable<nn.Module> networks, Func<Tensor> compute)
    {
        var modes = networks.Select(n => (Network: n, WasTraining: n.training)).ToList();
        foreach (var (network, _) in modes)
            network.train(false);
        try
        {
            using var _ = no_grad();
            return compute();
        }
        finally
        {
            foreach (var (network, wasTraining) in modes)
                network.train(wasTraining);
        }
    }
}
