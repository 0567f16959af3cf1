using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using Latent.Tests.Data.Images;
using Latent.Tests.Nets;

namespace Latent.Tests.Evaluation.Classifiers;

/// <summary>
/// Latent's classifiers for the real MNIST and Fashion-MNIST by the default recipe, from the store beside the default data
/// store (<c>~/.cache/latent/data/classifiers</c>): trained the first time on a machine, loaded after that.
/// </summary>
/// <remarks>
/// Shared through <see cref="InstalledClassifiersCollection"/>. Training takes a few minutes per data set, once per
/// machine, on one libtorch thread: on a CPU shared with other jobs, two threads that wait on each other were several times
/// slower than one. The data sets are fetched first when missing, as <see cref="InstalledImageData"/> does, and are at
/// hand in <see cref="Data"/>.
/// </remarks>
public sealed class InstalledClassifiers : IDisposable
{
    public InstalledClassifiers()
    {
        Data = new InstalledImageData();
        Store = ClassifierStore.Beside(new DataStore());
        using var oneThread = new SingleThread();
        Mnist = Store.GetOrTrain("mnist", Data.MnistTrain, Data.MnistTest, Console.Out);
        FashionMnist = Store.GetOrTrain("fashion-mnist", Data.FashionTrain, Data.FashionTest, Console.Out);
    }

    /// <summary>The real data sets, both splits of each.</summary>
    public InstalledImageData Data { get; }

    /// <summary>The store the classifiers are cached in.</summary>
    public ClassifierStore Store { get; }

    /// <summary>The MNIST classifier, in eval mode.</summary>
    public TrainedClassifier Mnist { get; }

    /// <summary>The Fashion-MNIST classifier (Latent's split), in eval mode.</summary>
    public TrainedClassifier FashionMnist { get; }

    public void Dispose()
    {
        Mnist.Dispose();
        FashionMnist.Dispose();
        Data.Dispose();
    }
}
