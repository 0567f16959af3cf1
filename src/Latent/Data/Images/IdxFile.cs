using System.Buffers.Binary;
using Latent.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Data.Images;

/// <summary>Reads and writes IDX files, LeCun's format for MNIST: a big-endian header, then the values as unsigned bytes.</summary>
/// <remarks>
/// An image file (magic 2051) has a 16-byte header: the magic, then the image count, rows and columns, each a
/// big-endian 32-bit integer, followed by count × rows × columns pixel bytes, row by row. A label file (magic 2049)
/// has an 8-byte header, the magic and the count, followed by one byte per label. The magic's third byte (8) says
/// "unsigned byte" and its fourth the number of dimensions, so 2051 = 0x0803 and 2049 = 0x0801.
/// <para>
/// Readers check the header against the file's real length before allocating anything, so a corrupt or hostile
/// file gives a <see cref="DataFormatException"/> naming the file and byte offset, never an out-of-memory crash.
/// </para>
/// </remarks>
public static class IdxFile
{
    /// <summary>The magic number of an IDX image file: unsigned bytes in 3 dimensions (0x00000803).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>The magic number of an IDX label file: unsigned bytes in 1 dimension (0x00000801).</summary>
    public const int LabelsMagic = 2049;

    private static readonly string[] ImageDimensionNames = ["image count", "rows", "columns"];
    private static readonly string[] LabelDimensionNames = ["label count"];

    /// <summary>Reads an IDX image file as uint8 (N, 1, rows, columns) on the CPU.</summary>
    /// <exception cref="DataFormatException">A wrong magic, a truncated header, a zero or absurd size, or a length that disagrees with the header.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Tensor ReadImages(string path)
    {
        using var stream = OpenChecked(path, ImagesMagic, ImageDimensionNames, out int[] sizes);
        return ReadPixels(stream, path, sizes);
    }

    /// <summary>Reads an IDX label file as int64 (N) on the CPU, values 0..255.</summary>
    /// <exception cref="DataFormatException">A wrong magic, a truncated header, a zero or absurd count, or a length that disagrees with the header.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Tensor ReadLabels(string path)
    {
        byte[] labels = ReadLabelBytes(path);
        return LabelTensor(labels);
    }

    /// <summary>Reads an image file and its label file as one labelled set.</summary>
    /// <param name="imagesPath">The IDX image file (magic 2051).</param>
    /// <param name="labelsPath">The IDX label file (magic 2049), one label per image.</param>
    /// <param name="name">The set's name (<c>mnist-train</c>).</param>
    /// <param name="classNames">One name per class; default the digits "0" to "9".</param>
    /// <exception cref="DataFormatException">Either file is malformed, their counts disagree (both files are named),
    /// or a label is not below the number of classes (the record and its byte offset are named).</exception>
    public static ImageDataset Load(string imagesPath, string labelsPath, string name, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        classNames ??= Digits;
        if (classNames.Count is 0 or > 256)
            throw new ArgumentException($"{classNames.Count} class names; IDX labels are bytes, so expected 1 to 256", nameof(classNames));

        byte[] labelBytes = ReadLabelBytes(labelsPath);
        // Labels are checked on the raw bytes, where the record's byte offset is known, before the larger image file is read.
        for (int i = 0; i < labelBytes.Length; i++)
        {
            if (labelBytes[i] >= classNames.Count)
                throw new DataFormatException(labelsPath,
                    $"label {labelBytes[i]} of record {i} (byte offset {LabelHeaderLength + i}) is outside 0..{classNames.Count - 1}, the {classNames.Count} classes");
        }
        using var stream = OpenChecked(imagesPath, ImagesMagic, ImageDimensionNames, out int[] imageSizes);
        if (imageSizes[0] != labelBytes.Length)
            throw new DataFormatException(labelsPath,
                $"{labelBytes.Length} labels, but the image file {imagesPath} holds {imageSizes[0]} images; expected one label per image");

        using var scope = NewDisposeScope();
        var pixels = ReadPixels(stream, imagesPath, imageSizes);
        var labels = LabelTensor(labelBytes);
        return new ImageDataset(name, pixels, labels, classNames);
    }

    /// <summary>Writes images as an IDX image file, atomically: under a temporary name, renamed over <paramref name="path"/> once complete.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="pixels">uint8 (N, 1, H, W) or (N, H, W), every size at least 1, on any device.</param>
    public static void WriteImages(string path, Tensor pixels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(pixels);
        bool shapeFits = pixels.dim() == 3 || (pixels.dim() == 4 && pixels.shape[1] == 1);
        if (pixels.dtype != ScalarType.Byte || !shapeFits || pixels.shape.Any(size => size < 1 || size > int.MaxValue))
            throw new ArgumentException(
                $"pixels are {pixels.dtype} [{string.Join(", ", pixels.shape)}]; expected uint8 (N, 1, H, W) or (N, H, W) with every size ≥ 1", nameof(pixels));
        long count = pixels.shape[0];
        long rows = pixels.shape[^2];
        long columns = pixels.shape[^1];

        var header = new byte[ImageHeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), (int)count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), (int)rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), (int)columns);
        WriteValues(path, header, pixels);
    }

    /// <summary>Writes labels as an IDX label file, atomically: under a temporary name, renamed over <paramref name="path"/> once complete.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="labels">int64 or uint8 (N) with N ≥ 1 and values 0..255, on any device.</param>
    public static void WriteLabels(string path, Tensor labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Byte) || labels.dim() != 1 || labels.shape[0] < 1 || labels.shape[0] > int.MaxValue)
            throw new ArgumentException(
                $"labels are {labels.dtype} [{string.Join(", ", labels.shape)}]; expected int64 or uint8 (N) with N ≥ 1", nameof(labels));

        using var scope = NewDisposeScope();
        var values = labels.detach().cpu();
        if (labels.dtype == ScalarType.Int64)
        {
            var outside = (values < 0).logical_or(values > 255);
            if (outside.any().item<bool>())
            {
                long index = outside.nonzero()[0, 0].item<long>();
                throw new ArgumentException($"label {values[index].item<long>()} at index {index} does not fit an IDX byte; expected 0..255", nameof(labels));
            }
            values = values.to(ScalarType.Byte);
        }
        var header = new byte[LabelHeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), (int)labels.shape[0]);
        WriteValues(path, header, values);
    }

    /// <summary>The digits "0" to "9": MNIST's class names.</summary>
    internal static IReadOnlyList<string> Digits { get; } = [.. Enumerable.Range(0, 10).Select(digit => digit.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private const int ImageHeaderLength = 16;
    private const int LabelHeaderLength = 8;

    /// <summary>
    /// Opens an IDX file of unsigned bytes and checks its header against its length, leaving the stream at the first value;
    /// <paramref name="sizes"/> gets the size of each dimension, all at least 1, whose product fits one block.
    /// </summary>
    private static FileStream OpenChecked(string path, int expectedMagic, string[] dimensionNames, out int[] sizes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string kind = expectedMagic == ImagesMagic ? "image" : "label";
        int headerLength = 4 + 4 * dimensionNames.Length;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            sizes = CheckHeader(stream, path, kind, expectedMagic, headerLength, dimensionNames);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static int[] CheckHeader(FileStream stream, string path, string kind, int expectedMagic, int headerLength, string[] dimensionNames)
    {
        long fileLength = stream.Length;
        Span<byte> header = stackalloc byte[headerLength];
        stream.ReadExactly(header[..(int)Math.Min(fileLength, headerLength)]);
        // The magic first, when there is one: a label file read as images is better named as such than as a short header.
        if (fileLength >= 4)
        {
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                string hint = magic switch
                {
                    ImagesMagic => " (that of an IDX image file)",
                    LabelsMagic => " (that of an IDX label file)",
                    _ => "",
                };
                throw new DataFormatException(path,
                    $"magic number {magic}{hint} at byte offset 0; expected {expectedMagic}, an IDX {kind} file of unsigned bytes in {dimensionNames.Length} dimension(s)");
            }
        }
        if (fileLength < headerLength)
            throw new DataFormatException(path,
                $"the file ends at byte offset {fileLength}, inside the {headerLength}-byte header of an IDX {kind} file " +
                $"(magic {expectedMagic}, then {string.Join(", ", dimensionNames)}, each a big-endian 32-bit integer)");

        var sizes = new int[dimensionNames.Length];
        Int128 valueCount = 1;
        for (int d = 0; d < sizes.Length; d++)
        {
            int offset = 4 + 4 * d;
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[offset..]);
            if (size == 0 || size > int.MaxValue)
                throw new DataFormatException(path,
                    $"the {dimensionNames[d]} at byte offset {offset} is {size}; expected 1 to {int.MaxValue}");
            sizes[d] = (int)size;
            valueCount *= size;
        }
        // The declared size is checked against the real length first, so a corrupt header never drives an allocation.
        Int128 declaredEnd = headerLength + valueCount;
        string declared = $"the header declares {string.Join(" × ", sizes)} values ({string.Join(" × ", dimensionNames)}), " +
                          $"so the file should be {declaredEnd} bytes long";
        if (declaredEnd > fileLength)
            throw new DataFormatException(path, $"{declared}, but it ends early at byte offset {fileLength}");
        if (declaredEnd < fileLength)
            throw new DataFormatException(path, $"{declared}, but it has {fileLength - (long)declaredEnd} more bytes after byte offset {declaredEnd}");
        if (valueCount > Array.MaxLength)
            throw new DataFormatException(path, $"{declared}: {valueCount} values, more than the {Array.MaxLength} that Latent reads into one block");
        return sizes;
    }

    private static byte[] ReadLabelBytes(string path)
    {
        using var stream = OpenChecked(path, LabelsMagic, LabelDimensionNames, out int[] sizes);
        var labels = new byte[sizes[0]];
        ReadBody(stream, path, labels);
        return labels;
    }

    /// <summary>Reads the pixels straight into a new tensor's memory: no second copy of a 47 MB file.</summary>
    private static Tensor ReadPixels(FileStream stream, string path, int[] sizes)
    {
        var pixels = empty([sizes[0], 1, sizes[1], sizes[2]], ScalarType.Byte);
        try
        {
            ReadBody(stream, path, pixels.bytes);
            return pixels;
        }
        catch
        {
            pixels.Dispose();
            throw;
        }
    }

    private static void ReadBody(FileStream stream, string path, Span<byte> values)
    {
        long end = stream.Position + values.Length;
        try
        {
            stream.ReadExactly(values);
        }
        catch (EndOfStreamException e)
        {
            // Only when the file shrank after its length was checked.
            throw new DataFormatException(path, $"the file ended before byte offset {end} while it was read (was it being written?)", e);
        }
    }

    private static Tensor LabelTensor(byte[] labels)
    {
        using var bytes = tensor(labels, [labels.Length], ScalarType.Byte);
        return bytes.to(ScalarType.Int64);
    }

    private static void WriteValues(string path, byte[] header, Tensor values)
    {
        // The readers take one block per file; a file they would refuse is not written.
        if (values.numel() > Array.MaxLength)
            throw new ArgumentException($"{values.numel()} values are more than the {Array.MaxLength} an IDX file read by Latent can hold", nameof(values));
        using var scope = NewDisposeScope();
        var body = values.detach().cpu().contiguous();
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(body.bytes);
        });
    }
}
