using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Latent.Tests.Imaging;

/// <summary>A decoded 8-bit, non-interlaced PNG: the header fields, the chunk sequence, the filters used and the raw pixels.</summary>
internal sealed record DecodedPng(
    int Width,
    int Height,
    int BitDepth,
    int ColorType,
    int CompressionMethod,
    int FilterMethod,
    int InterlaceMethod,
    IReadOnlyList<string> ChunkTypes,
    IReadOnlySet<int> FilterTypesUsed,
    byte[] Pixels)
{
    public int Channels => ColorType == 6 ? 4 : 3;

    public (byte R, byte G, byte B) Rgb(int x, int y)
    {
        int offset = (y * Width + x) * Channels;
        return (Pixels[offset], Pixels[offset + 1], Pixels[offset + 2]);
    }
}

/// <summary>
/// A deliberately separate PNG reader for checking the encoder: it verifies the signature and every chunk CRC
/// (bit by bit, without a table, so it shares no code with the encoder), inflates IDAT and undoes all five row filters.
/// </summary>
internal static class PngTestDecoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static DecodedPng Decode(byte[] file)
    {
        Assert.True(file.Length >= Signature.Length && file.AsSpan(0, Signature.Length).SequenceEqual(Signature), "PNG signature missing");
        var chunkTypes = new List<string>();
        byte[]? header = null;
        using var idat = new MemoryStream();
        int position = Signature.Length;
        while (position < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(position));
            string type = Encoding.ASCII.GetString(file, position + 4, 4);
            var typeAndData = file.AsSpan(position + 4, 4 + length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position + 8 + length));
            Assert.True(storedCrc == BitwiseCrc32(typeAndData), $"CRC mismatch in chunk {type}");
            var data = file.AsSpan(position + 8, length);
            chunkTypes.Add(type);
            if (type == "IHDR")
                header = data.ToArray();
            else if (type == "IDAT")
                idat.Write(data);
            position += 12 + length;
        }
        Assert.Equal(file.Length, position);
        Assert.NotNull(header);
        Assert.Equal(13, header.Length);

        int width = BinaryPrimitives.ReadInt32BigEndian(header);
        int height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int colorType = header[9];
        int channels = colorType == 6 ? 4 : 3;
        int stride = width * channels;

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        byte[] scanlines = inflated.ToArray();
        Assert.Equal(height * (stride + 1), scanlines.Length);

        var pixels = new byte[height * stride];
        var filters = new HashSet<int>();
        for (int y = 0; y < height; y++)
        {
            int filter = scanlines[y * (stride + 1)];
            filters.Add(filter);
            for (int i = 0; i < stride; i++)
            {
                int raw = scanlines[y * (stride + 1) + 1 + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => throw new InvalidDataException($"unknown filter type {filter} on row {y}"),
                };
                pixels[y * stride + i] = (byte)(raw + predicted);
            }
        }
        return new DecodedPng(width, height, header[8], colorType, header[10], header[11], header[12], chunkTypes, filters, pixels);
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in bytes)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
