using Latent.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Evaluation.Classifiers;

/// <summary>
/// A small CNN that classifies images and lends its penultimate layer as the feature space of Latent's image metrics:
/// image → [Conv 3×3, BN, ReLU, MaxPool 2×2] × 3 → flatten → Linear(·, 128), BN, ReLU → Dropout → Linear(128, Classes).
/// </summary>
/// <remarks>
/// <para>Layers at 28×28 (MNIST), each block ending in its pool: Conv(C, 16) → 16×14×14, Conv(16, 32) → 32×7×7,
/// Conv(32, 64) → 64×3×3 (the last pool floors 7 to 3), then Linear(576, 128) and BatchNorm. That is about 2 million
/// multiply-adds per image, so three epochs of 60,000 images train in minutes on one CPU core; blocks of 32, 64 and 128
/// channels cost 3.7 times as much and were not needed for the accuracy. Every convolution keeps the side (padding 1),
/// and neither it nor the hidden Linear has a bias, which the BatchNorm after it removes anyway; every max-pool halves the
/// side, rounding down, so images need at least 8 rows and columns.</para>
/// <para>The features (<see cref="Features"/>) are the input of the last Linear: the 128 units after the ReLU, as an
/// Inception net's pool features are for FID. Dropout is off in eval mode, so in eval mode they are exactly what the
/// classifying layer sees. The BatchNorm before that ReLU is there for the metrics: it centres each unit on the batch, so
/// every unit is positive for a good share of the images. Without it Adam drove a third of the units (41 of 128 on
/// Fashion-MNIST) below zero for every image within the first epoch, and constant features make FID's covariances
/// singular; with it all 128 stay live, each non-zero on at least 30% of the test images.</para>
/// <para>Shape: images float32 (N, Channels, Height, Width), pixels in [0, 1] (the stored bytes scaled by 1/255, no
/// padding) → logits (N, Classes). No softmax: the logits feed the cross-entropy and a caller's softmax.</para>
/// <para>State: <c>convolutions</c> holds <c>conv0</c>, <c>batchnorm0</c>, <c>activation0</c>, <c>pool0</c>, … and
/// <c>flatten</c>; then <c>hidden</c>, <c>batchnorm</c>, <c>activation</c>, <c>dropout</c> and <c>head</c>. BatchNorm's
/// running statistics are buffers, so they are saved with the weights. Weights are drawn from libtorch's global generator
/// (libtorch's default init), which the caller seeds; so are dropout's masks.</para>
/// </remarks>
public sealed class ImageClassifier : nn.Module<Tensor, Tensor>
{
    /// <summary>The dropout probability before the classifying layer unless told otherwise.</summary>
    public const double DefaultDropout = 0.25;

    /// <summary>The smallest image side three 2×2 max-pools can halve down to at least one pixel.</summary>
    public const int MinimumSide = 8;

    // The channels of the three convolution blocks, and the width of the feature layer.
    private static readonly long[] Widths = [16, 32, 64];
    private const int HiddenUnits = 128;

    private readonly Sequential convolutions;
    private readonly Linear hidden;
    private readonly BatchNorm1d batchnorm;
    private readonly ReLU activation;
    private readonly Dropout dropout;
    private readonly Linear head;

    /// <summary>Builds the classifier and draws its weights from libtorch's global generator.</summary>
    /// <param name="channels">C, colour channels of the images: at least 1 (1 for MNIST).</param>
    /// <param name="height">H, rows of the images: at least <see cref="MinimumSide"/>.</param>
    /// <param name="width">W, columns of the images: at least <see cref="MinimumSide"/>.</param>
    /// <param name="classes">The number of classes: at least 2.</param>
    /// <param name="dropout">The probability of zeroing a feature while training, in [0, 1); default <see cref="DefaultDropout"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, class count or dropout probability out of range, naming the argument.</exception>
    public ImageClassifier(int channels, int height, int width, int classes, double dropout = DefaultDropout) : base(nameof(ImageClassifier))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (height < MinimumSide)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"must be ≥ {MinimumSide}: three 2×2 max-pools halve the image three times");
        if (width < MinimumSide)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"must be ≥ {MinimumSide}: three 2×2 max-pools halve the image three times");
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "must be ≥ 2: a classifier needs two classes to tell apart");
        if (!(dropout >= 0 && dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "must be in [0, 1)");

        // Runs the once-per-process check of oneDNN's convolutions, which are wrong on some CPUs (LatentRuntime.OneDnnStatus).
        LatentRuntime.EnsureConvolutionsChecked();
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        Dropout = dropout;

        convolutions = nn.Sequential(BuildConvolutions(channels));
        long flat = Widths[^1] * (height >> Widths.Length) * (width >> Widths.Length);
        hidden = nn.Linear(flat, HiddenUnits, hasBias: false);
        batchnorm = nn.BatchNorm1d(HiddenUnits);
        activation = nn.ReLU();
        this.dropout = nn.Dropout(dropout);
        head = nn.Linear(HiddenUnits, classes);
        RegisterComponents();
    }

    /// <summary>C, the colour channels the classifier takes.</summary>
    public int Channels { get; }

    /// <summary>H, the rows of the images it takes.</summary>
    public int Height { get; }

    /// <summary>W, the columns of the images it takes.</summary>
    public int Width { get; }

    /// <summary>The number of classes, the width of the logits.</summary>
    public int Classes { get; }

    /// <summary>The dropout probability before the classifying layer while training.</summary>
    public double Dropout { get; }

    /// <summary>The width of <see cref="Features"/>: 128.</summary>
    public int FeatureDim => HiddenUnits;

    /// <summary>Class logits.</summary>
    /// <param name="images">float32 (N, Channels, Height, Width), pixels in [0, 1].</param>
    /// <returns>(N, Classes), unnormalized.</returns>
    /// <exception cref="ArgumentException">The images are not (N, Channels, Height, Width).</exception>
    public override Tensor forward(Tensor images) => head.forward(dropout.forward(Features(images))); // (N, Classes)

    /// <summary>The penultimate layer, the input of the classifying Linear: (N, <see cref="FeatureDim"/>), each ≥ 0.</summary>
    /// <param name="images">float32 (N, Channels, Height, Width), pixels in [0, 1].</param>
    /// <remarks>Runs in the module's mode: call <c>eval()</c> first for BatchNorm's running statistics, as inference wants.</remarks>
    /// <exception cref="ArgumentException">The images are not (N, Channels, Height, Width).</exception>
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != Channels || images.shape[2] != Height || images.shape[3] != Width)
            throw new ArgumentException(
                $"image batch [{string.Join(", ", images.shape)}]; expected [N, {Channels}, {Height}, {Width}] from the classifier's channels, height and width",
                nameof(images));
        var x = convolutions.forward(images);                           // (N, 64·⌊H/8⌋·⌊W/8⌋)
        return activation.forward(batchnorm.forward(hidden.forward(x))); // (N, 128)
    }

    /// <summary>Logits from features (the classifying layer alone), for callers that want both without running the convolutions twice.</summary>
    internal Tensor Classify(Tensor features) => head.forward(dropout.forward(features));

    private static List<(string, nn.Module<Tensor, Tensor>)> BuildConvolutions(int channels)
    {
        var result = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inputs = channels;
        for (int i = 0; i < Widths.Length; i++)
        {
            result.Add(($"conv{i}", nn.Conv2d(inputs, Widths[i], 3, padding: 1, bias: false)));
            result.Add(($"batchnorm{i}", nn.BatchNorm2d(Widths[i])));
            result.Add(($"activation{i}", nn.ReLU()));
            result.Add(($"pool{i}", nn.MaxPool2d(2)));
            inputs = Widths[i];
        }
        result.Add(("flatten", nn.Flatten()));
        return result;
    }
}
