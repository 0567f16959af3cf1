using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Latent.Imaging;

/// <summary>Encodes 8-bit RGB or RGBA pixel buffers as PNG files (ISO/IEC 15948), with no dependency beyond the .NET runtime.</summary>
/// <remarks>
/// The file holds the signature, an <c>IHDR</c> chunk, one <c>IDAT</c> chunk (a zlib stream made by
/// <see cref="ZLibStream"/>) and <c>IEND</c>, each with its CRC-32. Every row is filtered with whichever of
/// the five PNG filters (none, sub, up, average, Paeth) gives the smallest sum of absolute byte values,
/// the heuristic the PNG specification recommends; flat plot backgrounds then compress to almost nothing.
/// Images are not interlaced.
/// </remarks>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The PNG file for a pixel buffer.</summary>
    /// <param name="pixels">Rows top to bottom, pixels left to right, channels in the order <paramref name="format"/> names; exactly width × height × channels bytes.</param>
    /// <param name="width">Image width in pixels, ≥ 1.</param>
    /// <param name="height">Image height in pixels, ≥ 1.</param>
    /// <param name="format">The channel layout of <paramref name="pixels"/>; default <see cref="PngPixelFormat.Rgb8"/>.</param>
    /// <returns>The complete PNG file.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the format is unknown.</exception>
    /// <exception cref="ArgumentException">The buffer length does not match width × height × channels.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format = PngPixelFormat.Rgb8)
    {
        int channels = ChannelCount(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long expectedLength = (long)width * height * channels;
        if (pixels.Length != expectedLength)
            throw new ArgumentException(
                $"pixel buffer has {pixels.Length} bytes; expected {expectedLength} = {width} × {height} × {channels} ({format})", nameof(pixels));
        long stride = (long)width * channels;
        if (stride + 1 > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"a row of {stride} bytes is too long to encode");

        using var file = new MemoryStream();
        file.Write(Signature);
        WriteChunk(file, "IHDR", Header(width, height, format));
        WriteChunk(file, "IDAT", CompressedScanlines(pixels, (int)stride, height, channels));
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Encodes a pixel buffer and writes it to <paramref name="path"/> atomically.</summary>
    /// <remarks>
    /// The file is written under a temporary name in the same folder and renamed over the target when complete,
    /// so a crash never leaves a half-written PNG and an existing file stays intact when writing fails.
    /// </remarks>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="pixels">Rows top to bottom; exactly width × height × channels bytes.</param>
    /// <param name="width">Image width in pixels, ≥ 1.</param>
    /// <param name="height">Image height in pixels, ≥ 1.</param>
    /// <param name="format">The channel layout of <paramref name="pixels"/>; default <see cref="PngPixelFormat.Rgb8"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, ReadOnlySpan<byte> pixels, int width, int height, PngPixelFormat format = PngPixelFormat.Rgb8)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] png = Encode(pixels, width, height, format);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    private static int ChannelCount(PngPixelFormat format) => format switch
    {
        PngPixelFormat.Rgb8 => 3,
        PngPixelFormat.Rgba8 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "expected Rgb8 or Rgba8"),
    };

    private static byte[] Header(int width, int height, PngPixelFormat format)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                              // bits per channel
        header[9] = format == PngPixelFormat.Rgba8 ? (byte)6 : (byte)2; // color type: truecolor with or without alpha
        header[10] = 0;                                             // compression: deflate
        header[11] = 0;                                             // filter method: adaptive, five filter types
        header[12] = 0;                                             // no interlace
        return header;
    }

    private static void WriteChunk(Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);

        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        file.Write(typeBytes);
        file.Write(data);

        // The CRC covers the chunk type and data, not the length.
        uint crc = Crc32.End(Crc32.Update(Crc32.Update(Crc32.Begin, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        file.Write(word);
    }

    private static byte[] CompressedScanlines(ReadOnlySpan<byte> pixels, int stride, int height, int channels)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var previous = new byte[stride];          // the row above the first row is all zeros
            var candidates = new byte[5][];
            for (int filter = 0; filter < 5; filter++)
                candidates[filter] = new byte[stride + 1];

            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
                byte[] best = candidates[0];
                long bestScore = long.MaxValue;
                for (int filter = 0; filter < 5; filter++)
                {
                    byte[] line = candidates[filter];
                    line[0] = (byte)filter;
                    long score = ApplyFilter(filter, row, previous, channels, line.AsSpan(1));
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = line;
                    }
                }
                zlib.Write(best);
                row.CopyTo(previous);
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Filters one row into <paramref name="output"/> and returns the sum of the filtered bytes read as signed values.</summary>
    private static long ApplyFilter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int channels, Span<byte> output)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= channels ? row[i - channels] : 0;
            int up = above[i];
            int upLeft = i >= channels ? above[i - channels] : 0;
            int prediction = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                _ => Paeth(left, up, upLeft),
            };
            byte value = (byte)(row[i] - prediction);
            output[i] = value;
            score += Math.Abs((int)(sbyte)value); // widened first: Math.Abs(sbyte.MinValue) overflows
        }
        return score;
    }

    /// <summary>The neighbour (left, up or upper-left) closest to left + up − upper-left, ties in that order (PNG spec, 9.4).</summary>
    private static int Paeth(int left, int up, int upLeft)
    {
        int estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left);
        int toUp = Math.Abs(estimate - up);
        int toUpLeft = Math.Abs(estimate - upLeft);
        if (toLeft <= toUp && toLeft <= toUpLeft)
            return left;
        return toUp <= toUpLeft ? up : upLeft;
    }
}
