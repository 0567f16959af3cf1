using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using Latent.Runtime;
using Latent.Tests.Nets;

namespace Latent.Tests.Evaluation.Classifiers;

/// <summary>One classifier trained on <see cref="TinyClassification"/>, shared by the tests of a class.</summary>
public sealed class TinyTrainedClassifier : IDisposable
{
    public TinyTrainedClassifier()
    {
        LatentRuntime.EnsureLoaded();
        using var oneThread = new SingleThread();
        using var train = TinyClassification.Train();
        Test = TinyClassification.Test();
        Classifier = ClassifierTraining.Train("bars", train, Test, TinyClassification.Recipe);
    }

    public TrainedClassifier Classifier { get; }

    public ImageDataset Test { get; }

    public void Dispose()
    {
        Classifier.Dispose();
        Test.Dispose();
    }
}
