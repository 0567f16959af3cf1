namespace Latent.Imaging;

/// <summary>The CRC-32 that PNG chunks carry (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), computed from a 256-entry table.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Continues a running CRC over <paramref name="bytes"/>; start with <see cref="Begin"/> and finish with <see cref="End"/>.</summary>
    public static uint Update(uint running, ReadOnlySpan<byte> bytes)
    {
        foreach (byte value in bytes)
            running = Table[(running ^ value) & 0xFF] ^ (running >> 8);
        return running;
    }

    /// <summary>The running value before any byte: all ones.</summary>
    public const uint Begin = 0xFFFFFFFFu;

    /// <summary>The final CRC of a running value: its ones' complement.</summary>
    public static uint End(uint running) => running ^ 0xFFFFFFFFu;

    /// <summary>The CRC-32 of <paramref name="bytes"/> in one call.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes) => End(Update(Begin, bytes));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
