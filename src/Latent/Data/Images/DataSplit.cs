namespace Latent.Data.Images;

/// <summary>Which part of a data set: the images to train on, or the held-out images to evaluate on.</summary>
public enum DataSplit
{
    /// <summary>The training images (MNIST: 60,000; Fashion-MNIST: 60,000 in Latent's split).</summary>
    Train,

    /// <summary>The held-out test images (MNIST: 10,000; Fashion-MNIST: the last 1,000 of each class).</summary>
    Test,
}
