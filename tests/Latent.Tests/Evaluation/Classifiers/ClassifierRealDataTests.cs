using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation.Classifiers;

[Collection(InstalledClassifiersCollection.Name)]
public class ClassifierRealDataTests(InstalledClassifiers installed)
{
    [Fact]
    public void TheMnistClassifierGets99PercentOfTheTestDigitsRight()
    {
        var classifier = installed.Mnist;

        double accuracy = classifier.Accuracy(installed.Data.MnistTest);

        Assert.True(accuracy >= 0.99, $"{classifier}; measured again {accuracy:P2}; expected ≥ 99%");
        Assert.Equal("mnist", classifier.DataSet);
        Assert.Equal(ClassifierRecipe.Default, classifier.Recipe);
        // Measured again, loaded or freshly trained, it is the recorded figure (up to an image or two that another thread count may tip).
        Assert.Equal(classifier.TestAccuracy, accuracy, 0.0002);
    }

    [Fact]
    public void TheFashionMnistClassifierGets91PercentOfTheTestImagesRight()
    {
        var classifier = installed.FashionMnist;

        double accuracy = classifier.Accuracy(installed.Data.FashionTest);

        Assert.True(accuracy >= 0.91, $"{classifier}; measured again {accuracy:P2}; expected ≥ 91%");
        Assert.Equal("fashion-mnist", classifier.DataSet);
        Assert.Equal(ClassifierRecipe.Default, classifier.Recipe);
        Assert.Equal(classifier.TestAccuracy, accuracy, 0.0002);
    }

    [Fact]
    public void EveryFeatureVariesOverTheMnistTestDigits() => EveryFeatureVaries(installed.Mnist, installed.Data.MnistTest);

    [Fact]
    public void EveryFeatureVariesOverTheFashionMnistTestImages() => EveryFeatureVaries(installed.FashionMnist, installed.Data.FashionTest);

    [Fact]
    public void BothClassifiersAreCachedBesideTheDataStore()
    {
        var store = ClassifierStore.Beside(new DataStore());

        Assert.True(store.Has("mnist"));
        Assert.True(store.Has("fashion-mnist"));
        Assert.Equal(store.Folder("mnist"), installed.Mnist.Folder);
        Assert.Equal(store.Folder("fashion-mnist"), installed.FashionMnist.Folder);
    }

    /// <summary>
    /// FID fits a Gaussian to the features: a unit that is 0 on every image would make its covariance singular. Each unit
    /// must be non-zero on at least 5% of the test images, and the covariance must be well conditioned.
    /// </summary>
    private static void EveryFeatureVaries(TrainedClassifier classifier, ImageDataset test)
    {
        using var scope = NewDisposeScope();
        using var outputs = classifier.Embed(test.Pixels.to(float32) / 255);
        var features = outputs.Features;

        double leastLive = (features > 0).to(float64).mean([0]).min().item<double>();
        var centred = features - features.mean([0], keepdim: true);
        var covariance = centred.T.matmul(centred) / (features.shape[0] - 1);
        var eigenvalues = linalg.eigvalsh(covariance);
        double conditioning = (eigenvalues.min() / eigenvalues.max()).item<double>();

        Assert.True(leastLive >= 0.05, $"{classifier}: a feature unit is non-zero on only {leastLive:P2} of the test images; expected ≥ 5% for every unit");
        Assert.True(conditioning > 1e-8, $"{classifier}: the features' covariance has eigenvalues from {eigenvalues.min().item<double>():g3} to {eigenvalues.max().item<double>():g3}; expected a well-conditioned matrix");
    }
}
