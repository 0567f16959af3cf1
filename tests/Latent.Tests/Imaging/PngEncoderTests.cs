using System.Text;
using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class PngEncoderTests
{
    // 3 × 2 pixels: red, green, blue / white, black, a mid grey.
    private static readonly byte[] ThreeByTwo =
    [
        255, 0, 0,   0, 255, 0,   0, 0, 255,
        255, 255, 255,   0, 0, 0,   128, 128, 128,
    ];

    [Fact]
    public void FileStartsWithSignatureAndHeaderDescribesAnEightBitTruecolorImage()
    {
        byte[] png = PngEncoder.Encode(ThreeByTwo, 3, 2);

        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        // The first chunk is IHDR with 13 bytes of data.
        Assert.Equal(new byte[] { 0, 0, 0, 13 }, png[8..12]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));

        var decoded = PngTestDecoder.Decode(png);
        Assert.Equal(3, decoded.Width);
        Assert.Equal(2, decoded.Height);
        Assert.Equal(8, decoded.BitDepth);
        Assert.Equal(2, decoded.ColorType);
        Assert.Equal(0, decoded.CompressionMethod);
        Assert.Equal(0, decoded.FilterMethod);
        Assert.Equal(0, decoded.InterlaceMethod);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.ChunkTypes);
    }

    [Fact]
    public void ThreeByTwoRgbImageRoundTripsPixelExactly()
    {
        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(ThreeByTwo, 3, 2));

        Assert.Equal(ThreeByTwo, decoded.Pixels);
    }

    [Fact]
    public void RgbaImageRoundTripsWithColorTypeSix()
    {
        byte[] pixels = [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40];

        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, 2, 2, PngPixelFormat.Rgba8));

        Assert.Equal(6, decoded.ColorType);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void MixedContentRoundTripsThroughSeveralRowFilters()
    {
        // Flat rows, gradients and noise make different filters win on different rows.
        const int width = 37, height = 24;
        var random = new Random(4711);
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width * 3; x++)
            {
                pixels[y * width * 3 + x] = (y % 4) switch
                {
                    0 => 200,
                    1 => (byte)(x * 7),
                    2 => (byte)(y * 11 + x),
                    _ => (byte)random.Next(256),
                };
            }
        }

        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, width, height));

        Assert.Equal(pixels, decoded.Pixels);
        Assert.True(decoded.FilterTypesUsed.Count >= 2, $"filters used: {string.Join(", ", decoded.FilterTypesUsed)}");
    }

    [Fact]
    public void Crc32OfTheStandardCheckStringIsCbf43926()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void BufferOfTheWrongLengthIsRefusedWithTheExpectedLength()
    {
        var error = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[17], 3, 2));

        Assert.Contains("17 bytes", error.Message);
        Assert.Contains("expected 18 = 3 × 2 × 3", error.Message);
    }

    [Fact]
    public void NonPositiveSizesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 3, -1));
    }

    [Fact]
    public void WriteReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "image.png");
        File.WriteAllText(path, "old content");

        PngEncoder.Write(path, ThreeByTwo, 3, 2);

        Assert.Equal(ThreeByTwo, PngTestDecoder.Decode(File.ReadAllBytes(path)).Pixels);
        Assert.Equal(["image.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteThatFailsPartWayLeavesNoFileAtTheTarget()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "image.png");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new IOException("disk full");
        }));

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void WriteThatFailsPartWayKeepsTheOldFileIntact()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "image.png");
        PngEncoder.Write(path, ThreeByTwo, 3, 2);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[10]);
            throw new IOException("disk full");
        }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void InvalidPixelsWriteNothing()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "image.png");

        Assert.Throws<ArgumentException>(() => PngEncoder.Write(path, new byte[5], 3, 2));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void WriteIntoAMissingFolderNamesTheFolder()
    {
        using var folder = new TemporaryFolder();
        string missing = Path.Combine(folder.Path, "missing");

        var error = Assert.Throws<DirectoryNotFoundException>(() => PngEncoder.Write(Path.Combine(missing, "image.png"), ThreeByTwo, 3, 2));

        Assert.Contains(missing, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }
}
