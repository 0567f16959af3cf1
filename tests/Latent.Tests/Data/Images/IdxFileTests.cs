using System.Buffers.Binary;
using Latent.Data.Images;
using Latent.Runtime;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class IdxFileTests
{
    [Fact]
    public void ImagesRoundTripWithABigEndianHeader()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "images");
        var pixels = arange(3 * 2 * 4, dtype: ScalarType.Int64).mul(7).remainder(256).to(ScalarType.Byte).reshape(3, 1, 2, 4);

        IdxFile.WriteImages(path, pixels);
        byte[] file = File.ReadAllBytes(path);
        var read = IdxFile.ReadImages(path);

        // 2051 = 0x0803, then 3 images of 2 rows × 4 columns, all big-endian; then the 24 pixel bytes.
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4 }, file[..16]);
        Assert.Equal(16 + 24, file.Length);
        Assert.Equal(pixels.data<byte>().ToArray(), file[16..]);
        Assert.Equal(ScalarType.Byte, read.dtype);
        Assert.Equal([3L, 1, 2, 4], read.shape);
        Assert.True(read.equal(pixels).all().item<bool>());
    }

    [Fact]
    public void ImagesWithoutAChannelAxisAreWrittenAsOneChannel()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "images");
        var pixels = full(2, 3, 3, 200, dtype: ScalarType.Byte);

        IdxFile.WriteImages(path, pixels);

        Assert.Equal([2L, 1, 3, 3], IdxFile.ReadImages(path).shape);
    }

    [Fact]
    public void LabelsRoundTripFromInt64AndFromBytes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string fromLongs = Path.Combine(folder.Path, "labels-long");
        string fromBytes = Path.Combine(folder.Path, "labels-byte");
        var labels = tensor(new long[] { 0, 9, 3, 255 });

        IdxFile.WriteLabels(fromLongs, labels);
        IdxFile.WriteLabels(fromBytes, labels.to(ScalarType.Byte));

        // 2049 = 0x0801, a count of 4, then one byte per label.
        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 4, 0, 9, 3, 255 }, File.ReadAllBytes(fromLongs));
        Assert.Equal(File.ReadAllBytes(fromLongs), File.ReadAllBytes(fromBytes));
        var read = IdxFile.ReadLabels(fromLongs);
        Assert.Equal(ScalarType.Int64, read.dtype);
        Assert.Equal(new long[] { 0, 9, 3, 255 }, read.data<long>().ToArray());
    }

    [Fact]
    public void WritingReplacesTheFileAndLeavesNoTemporaryFileBehind()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "labels");
        File.WriteAllText(path, "old content");

        IdxFile.WriteLabels(path, tensor(new long[] { 1, 2 }));

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal(new long[] { 1, 2 }, IdxFile.ReadLabels(path).data<long>().ToArray());
    }

    [Fact]
    public void LoadPairsImagesWithLabelsAndNamesTheDigitsByDefault()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        var (images, labels) = WriteSet(folder, [4, 0, 9]);

        using var set = IdxFile.Load(images, labels, "tiny");

        Assert.Equal("tiny", set.Name);
        Assert.Equal(3, set.Count);
        Assert.Equal((1, 2, 2), (set.Channels, set.Height, set.Width));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], set.ClassNames);
        Assert.Equal(new long[] { 4, 0, 9 }, set.Labels.data<long>().ToArray());
        // WriteSet fills image i with the value 10 i.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 10, 10, 10, 10, 20, 20, 20, 20 }, set.Pixels.data<byte>().ToArray());
    }

    [Fact]
    public void ImageFileWithTheLabelMagicIsRefusedNamingBothMagics()
    {
        using var folder = new TemporaryFolder();
        string path = WriteBytes(folder, "images", Header(IdxFile.LabelsMagic, 1, 1, 1), [0]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("magic number 2049", error.Message);
        Assert.Contains("byte offset 0", error.Message);
        Assert.Contains("expected 2051", error.Message);
    }

    [Fact]
    public void LabelFileWithAnUnknownMagicIsRefusedNamingBothMagics()
    {
        using var folder = new TemporaryFolder();
        // "PK\3\4": a zip file, say, where the IDX file was expected.
        string path = WriteBytes(folder, "labels", [0x50, 0x4B, 3, 4, 0, 0, 0, 1], [0]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"magic number {0x504B0304}", error.Message);
        Assert.Contains("expected 2049", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(15)]
    public void TruncatedImageHeaderIsRefusedNamingWhereTheFileEnds(int length)
    {
        using var folder = new TemporaryFolder();
        string path = WriteBytes(folder, "images", Header(IdxFile.ImagesMagic, 1, 1, 1)[..length], []);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"ends at byte offset {length}", error.Message);
        Assert.Contains("16-byte header", error.Message);
    }

    [Fact]
    public void ShortFileWithAnotherMagicIsNamedByItsMagicRatherThanItsLength()
    {
        using var folder = new TemporaryFolder();
        // A label file of two labels is 10 bytes: shorter than an image header, but its magic says what it is.
        string path = WriteBytes(folder, "labels-as-images", Header(IdxFile.LabelsMagic, 2), [1, 2]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic number 2049 (that of an IDX label file) at byte offset 0; expected 2051", error.Message);
    }

    [Fact]
    public void TruncatedLabelHeaderIsRefused()
    {
        using var folder = new TemporaryFolder();
        string path = WriteBytes(folder, "labels", [0, 0, 8, 1, 0, 0], []);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("ends at byte offset 6", error.Message);
        Assert.Contains("8-byte header", error.Message);
    }

    [Theory]
    [InlineData(0, 4, "image count")]
    [InlineData(1, 8, "rows")]
    [InlineData(2, 12, "columns")]
    public void ZeroSizeIsRefusedNamingTheDimensionAndItsOffset(int dimension, int offset, string role)
    {
        using var folder = new TemporaryFolder();
        int[] sizes = [2, 2, 2];
        sizes[dimension] = 0;
        string path = WriteBytes(folder, "images", Header(IdxFile.ImagesMagic, sizes), []);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"the {role} at byte offset {offset} is 0", error.Message);
    }

    [Fact]
    public void SizeWithTheSignBitSetIsRefusedAsAbsurd()
    {
        using var folder = new TemporaryFolder();
        byte[] header = Header(IdxFile.LabelsMagic, 1);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0x8000_0000);
        string path = WriteBytes(folder, "labels", header, [0]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("label count at byte offset 4 is 2147483648", error.Message);
    }

    [Fact]
    public void HugeDeclaredSizeIsRefusedFromTheFileLengthWithoutAllocating()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        // 2^31 − 1 images of 65535 × 65535 pixels: about 9 × 10^18 bytes, declared in a 20-byte file.
        string path = WriteBytes(folder, "images", Header(IdxFile.ImagesMagic, int.MaxValue, 65535, 65535), [1, 2, 3, 4]);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("ends early at byte offset 20", error.Message);
        Assert.Contains($"{16 + (Int128)int.MaxValue * 65535 * 65535} bytes long", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the reader allocated for the declared size");
    }

    [Fact]
    public void ImageDataEndingEarlyIsRefusedNamingTheExpectedLengthAndTheOffset()
    {
        using var folder = new TemporaryFolder();
        // 2 images of 3 × 3 need 16 + 18 = 34 bytes; the file has 16 + 17.
        string path = WriteBytes(folder, "images", Header(IdxFile.ImagesMagic, 2, 3, 3), new byte[17]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("should be 34 bytes long", error.Message);
        Assert.Contains("ends early at byte offset 33", error.Message);
    }

    [Fact]
    public void BytesAfterTheDeclaredEndAreRefusedNamingTheOffset()
    {
        using var folder = new TemporaryFolder();
        string path = WriteBytes(folder, "labels", Header(IdxFile.LabelsMagic, 3), [1, 2, 3, 4, 5]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("should be 11 bytes long", error.Message);
        Assert.Contains("2 more bytes after byte offset 11", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountsThatDisagreeAreRefusedNamingBothFiles()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        var (images, _) = WriteSet(folder, [1, 2, 3]);
        string labels = WriteBytes(folder, "two-labels", Header(IdxFile.LabelsMagic, 2), [1, 2]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Load(images, labels, "tiny"));

        Assert.Contains(images, error.Message);
        Assert.Contains(labels, error.Message);
        Assert.Contains("2 labels", error.Message);
        Assert.Contains("3 images", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsRefusedNamingTheRecordItsOffsetAndValue()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        var (images, labels) = WriteSet(folder, [1, 0, 2, 1]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Load(images, labels, "tiny", ["a", "b"]));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains(labels, error.Message);
        Assert.Contains("label 2 of record 2 (byte offset 10)", error.Message);
        Assert.Contains("0..1, the 2 classes", error.Message);
    }

    [Fact]
    public void MissingFileIsReportedByName()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "absent");

        var error = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadImages(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void WritersRefuseWhatAnIdxByteFileCannotHold()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "out");

        var floats = Assert.Throws<ArgumentException>(() => IdxFile.WriteImages(path, zeros(2, 1, 3, 3)));
        Assert.Contains("Float32", floats.Message);
        var colour = Assert.Throws<ArgumentException>(() => IdxFile.WriteImages(path, zeros(2, 3, 3, 3, dtype: ScalarType.Byte)));
        Assert.Contains("[2, 3, 3, 3]", colour.Message);
        var large = Assert.Throws<ArgumentException>(() => IdxFile.WriteLabels(path, tensor(new long[] { 0, 256 })));
        Assert.Contains("label 256 at index 1", large.Message);
        Assert.False(File.Exists(path));
    }

    /// <summary>An IDX header: the magic, then each size, all big-endian 32-bit integers.</summary>
    internal static byte[] Header(int magic, params int[] sizes)
    {
        var header = new byte[4 + 4 * sizes.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < sizes.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), sizes[i]);
        return header;
    }

    private static string WriteBytes(TemporaryFolder folder, string name, byte[] header, byte[] body)
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllBytes(path, [.. header, .. body]);
        return path;
    }

    /// <summary>One 2 × 2 image per label, image i filled with the value 10 i.</summary>
    private static (string Images, string Labels) WriteSet(TemporaryFolder folder, long[] labels)
    {
        using var scope = NewDisposeScope();
        string images = Path.Combine(folder.Path, "images");
        string labelFile = Path.Combine(folder.Path, "labels");
        var pixels = (arange(labels.Length, dtype: ScalarType.Int64) * 10).to(ScalarType.Byte).reshape(-1, 1, 1, 1).expand(-1, 1, 2, 2);
        IdxFile.WriteImages(images, pixels);
        IdxFile.WriteLabels(labelFile, tensor(labels));
        return (images, labelFile);
    }
}
