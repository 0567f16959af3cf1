using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>A labelled set of images held in memory as bytes: pixels (N, C, H, W) uint8 and one class label per image.</summary>
/// <remarks>
/// Bytes keep a data set at a quarter of its float32 size (MNIST's 60,000 training images take 47 MB);
/// convert a batch at a time to the range a model wants. The tensors live on the CPU, outside any
/// dispose scope, for the dataset's lifetime: read them, never dispose them.
/// </remarks>
public sealed class ImageDataset : IDisposable
{
    private readonly string[] classNames;
    private bool disposed;

    /// <summary>Checks the tensors and takes ownership of them (they are released by <see cref="Dispose"/>).</summary>
    /// <param name="name">What the set is, for messages and reports (<c>mnist-train</c>).</param>
    /// <param name="pixels">uint8 (N, C, H, W) on the CPU, every size at least 1.</param>
    /// <param name="labels">int64 (N) on the CPU, each in [0, <paramref name="classNames"/>.Count).</param>
    /// <param name="classNames">One non-empty name per class, in label order; copied.</param>
    /// <exception cref="ArgumentException">A tensor of the wrong type, shape or device, or a label out of range.</exception>
    public ImageDataset(string name, Tensor pixels, Tensor labels, IReadOnlyList<string> classNames)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0)
            throw new ArgumentException($"{name}: classNames is empty; expected one name per class", nameof(classNames));
        for (int i = 0; i < classNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(classNames[i]))
                throw new ArgumentException($"{name}: class name {i} is empty; expected one non-empty name per class", nameof(classNames));
        }
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape.Any(size => size < 1) || pixels.device_type != DeviceType.CPU)
            throw new ArgumentException(
                $"{name}: pixels are {pixels.dtype} [{string.Join(", ", pixels.shape)}] on {pixels.device}; expected uint8 (N, C, H, W) on the CPU with every size ≥ 1",
                nameof(pixels));
        long count = pixels.shape[0];
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != count || labels.device_type != DeviceType.CPU)
            throw new ArgumentException(
                $"{name}: labels are {labels.dtype} [{string.Join(", ", labels.shape)}] on {labels.device}; expected int64 [{count}] on the CPU, one per image",
                nameof(labels));
        CheckLabelRange(name, labels, classNames.Count);

        Name = name;
        this.classNames = [.. classNames];
        Pixels = pixels.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>What the set is (<c>mnist-train</c>, <c>fashion-mnist-test</c>).</summary>
    public string Name { get; }

    /// <summary>The images, uint8 (<see cref="Count"/>, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>) on the CPU, values 0..255.</summary>
    public Tensor Pixels { get; }

    /// <summary>The class of each image, int64 (<see cref="Count"/>) on the CPU, values in [0, <see cref="Classes"/>).</summary>
    public Tensor Labels { get; }

    /// <summary>The name of each class, in label order.</summary>
    public IReadOnlyList<string> ClassNames => classNames;

    /// <summary>The number of classes (<see cref="ClassNames"/>.Count).</summary>
    public int Classes => classNames.Length;

    /// <summary>The number of images (N).</summary>
    public long Count => Pixels.shape[0];

    /// <summary>Channels per image (C: 1 for grey).</summary>
    public int Channels => (int)Pixels.shape[1];

    /// <summary>Rows per image (H).</summary>
    public int Height => (int)Pixels.shape[2];

    /// <summary>Columns per image (W).</summary>
    public int Width => (int)Pixels.shape[3];

    /// <summary>How many images each class has, indexed by label.</summary>
    public long[] CountPerClass()
    {
        using var scope = NewDisposeScope();
        return bincount(Labels, minlength: Classes).data<long>().ToArray();
    }

    /// <summary>The name, count and image shape, for logs (<c>mnist-train: 60000 images of 1×28×28, 10 classes</c>).</summary>
    public override string ToString() => $"{Name}: {Count} images of {Channels}×{Height}×{Width}, {Classes} classes";

    /// <summary>Releases the pixels and labels.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        Pixels.Dispose();
        Labels.Dispose();
    }

    private static void CheckLabelRange(string name, Tensor labels, int classes)
    {
        using var scope = NewDisposeScope();
        var outside = (labels < 0).logical_or(labels >= classes);
        if (!outside.any().item<bool>())
            return;
        long index = outside.nonzero()[0, 0].item<long>();
        long value = labels[index].item<long>();
        throw new ArgumentException($"{name}: label {value} of image {index} is outside 0..{classes - 1}, the {classes} classes", nameof(labels));
    }
}
