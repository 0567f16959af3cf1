using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using Latent.Tests.Data.Images;

namespace Latent.Tests.Evaluation.Classifiers;

/// <summary>
/// A classification task the classifier learns in a second or two: 12 × 12 bar images of 3 classes (the bar's row is the
/// class), 240 for training and 60 held out, drawn with different seeds; and a recipe sized for it.
/// </summary>
internal static class TinyClassification
{
    public const int Side = 12;
    public const int Classes = 3;

    /// <summary>6 epochs of 15 steps of 16 images; chance is 1/3.</summary>
    public static ClassifierRecipe Recipe { get; } = new() { Epochs = 6, BatchSize = 16, LearningRate = 3e-3 };

    public static ImageDataset Train() => TinyImages.Dataset(240, Classes, Side, seed: 1);

    public static ImageDataset Test() => TinyImages.Dataset(60, Classes, Side, seed: 2);
}
