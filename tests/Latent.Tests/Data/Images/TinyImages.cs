using Latent.Data.Images;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

/// <summary>The paths of a tiny labelled image set written as IDX files.</summary>
internal sealed record TinyIdxFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels);

/// <summary>
/// Small labelled image sets with structure a tiny net learns in seconds: image i belongs to class i mod K and shows one
/// bright horizontal bar at a row that depends only on its class, with ends that vary from image to image.
/// </summary>
internal static class TinyImages
{
    /// <summary>uint8 (count, 1, side, side) bar images and int64 (count) labels, drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static (Tensor Pixels, Tensor Labels) Bars(int count, int classes, int side, long seed)
    {
        using var scope = NewDisposeScope();
        using var rng = new Generator((ulong)seed);
        var pixels = new byte[count * side * side];
        var labels = new long[count];
        // The row of each class's bar, spread over the image; the bar is two rows high when there is room.
        int thickness = side >= 16 ? 2 : 1;
        var starts = randint(0, Math.Max(1, side / 4), [count], generator: rng, dtype: ScalarType.Int64).data<long>().ToArray();
        var ends = randint(0, Math.Max(1, side / 4), [count], generator: rng, dtype: ScalarType.Int64).data<long>().ToArray();
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[i] = label;
            int row = 1 + label * (side - 1 - thickness) / Math.Max(1, classes - 1);
            for (int r = row; r < Math.Min(side, row + thickness); r++)
            {
                for (int c = (int)starts[i]; c < side - ends[i]; c++)
                    pixels[(i * side + r) * side + c] = 255;
            }
        }
        return (tensor(pixels, [count, 1, side, side], ScalarType.Byte).MoveToOuterDisposeScope(), tensor(labels).MoveToOuterDisposeScope());
    }

    /// <summary>An in-memory set of bar images.</summary>
    public static ImageDataset Dataset(int count, int classes, int side, long seed = 0)
    {
        var (pixels, labels) = Bars(count, classes, side, seed);
        return new ImageDataset("bars", pixels, labels, Enumerable.Range(0, classes).Select(c => $"c{c}").ToList());
    }

    /// <summary>
    /// Images whose first pixel is their index (so a test can tell which image it was given after any shuffle) and whose
    /// label is the index mod <paramref name="classes"/>: (count, 1, 2, 2), count ≤ 256.
    /// </summary>
    public static ImageDataset Numbered(int count, int classes)
    {
        var pixels = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            pixels[i * 4] = (byte)i;
            pixels[i * 4 + 3] = 255;
        }
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % classes)).ToArray();
        return new ImageDataset("numbered", tensor(pixels, [count, 1, 2, 2], ScalarType.Byte), tensor(labels),
                                Enumerable.Range(0, classes).Select(c => $"c{c}").ToList());
    }

    /// <summary>Writes a training and a test split of bar images as four IDX files in <paramref name="folder"/>.</summary>
    public static TinyIdxFiles WriteIdx(string folder, int trainCount, int testCount, int classes, int side = 28)
    {
        using var scope = NewDisposeScope();
        var files = new TinyIdxFiles(Path.Combine(folder, "train-images"), Path.Combine(folder, "train-labels"),
                                     Path.Combine(folder, "test-images"), Path.Combine(folder, "test-labels"));
        var (trainPixels, trainLabels) = Bars(trainCount, classes, side, seed: 1);
        var (testPixels, testLabels) = Bars(testCount, classes, side, seed: 2);
        IdxFile.WriteImages(files.TrainImages, trainPixels);
        IdxFile.WriteLabels(files.TrainLabels, trainLabels);
        IdxFile.WriteImages(files.TestImages, testPixels);
        IdxFile.WriteLabels(files.TestLabels, testLabels);
        return files;
    }
}
