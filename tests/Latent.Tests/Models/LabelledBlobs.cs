using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Tests.Models;

/// <summary>
/// A labelled toy problem for conditional models: class 0 is N((−2, 0), 0.2²·I), class 1 is N((2, 0), 0.2²·I); every batch
/// draws its classes uniformly. Knowing the label tells the whole answer, ignoring it leaves a coin flip.
/// </summary>
internal sealed class LabelledBlobs(int batchSize, Generator rng) : IBatchSource
{
    public const double Std = 0.2;

    /// <summary>The centre of each class, by label.</summary>
    public static readonly float[][] Centres = [[-2, 0], [2, 0]];

    public Batch Next()
    {
        var labels = randint(0, 2, [batchSize], dtype: int64, generator: rng);
        var centres = tensor(Centres.SelectMany(c => c).ToArray()).reshape(2, 2).index_select(0, labels);
        return new Batch(centres + Std * randn([batchSize, 2], generator: rng), labels);
    }

    /// <summary>The share of <paramref name="samples"/> within <paramref name="radius"/> of the centre of their class <paramref name="label"/>.</summary>
    public static double ShareNear(Tensor samples, int label, double radius)
    {
        var centre = tensor(Centres[label]).unsqueeze(0);
        return (samples.cpu() - centre).norm(1).le(radius).to(float64).mean().item<double>();
    }
}
