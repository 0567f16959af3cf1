using System.Buffers.Binary;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Latent.Serialization;

/// <summary>
/// Tensor values to and from little-endian files (<c>.safetensors</c>, <c>.npy</c>) in blocks of at most 8 MiB, so a large
/// tensor is never copied whole; on a big-endian machine each block's bytes are swapped.
/// </summary>
internal static class LittleEndianBlocks
{
    /// <summary>The largest block read or written at once.</summary>
    public const int BlockBytes = 8 << 20;

    /// <summary>Writes the values of a 1-D contiguous CPU tensor of <paramref name="elementSize"/>-byte elements.</summary>
    public static void Write(Stream stream, Tensor flat, int elementSize)
    {
        long count = flat.numel();
        long perBlock = BlockBytes / elementSize;
        byte[]? swapped = BitConverter.IsLittleEndian ? null : new byte[BlockBytes];
        for (long start = 0; start < count; start += perBlock)
        {
            using var block = flat.narrow(0, start, Math.Min(perBlock, count - start));
            if (swapped is null)
            {
                stream.Write(block.bytes);
                continue;
            }
            // A big-endian machine holds the values in the other byte order: swap a copy.
            var bytes = swapped.AsSpan(0, block.bytes.Length);
            block.bytes.CopyTo(bytes);
            Swap(bytes, elementSize);
            stream.Write(bytes);
        }
    }

    /// <summary>Puts little-endian bytes just read into the machine's order (nothing to do on a little-endian machine).</summary>
    public static void ToMachineOrder(Span<byte> bytes, int elementSize)
    {
        if (!BitConverter.IsLittleEndian)
            Swap(bytes, elementSize);
    }

    private static void Swap(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 8:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(bytes), MemoryMarshal.Cast<byte, ulong>(bytes));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes), MemoryMarshal.Cast<byte, uint>(bytes));
                break;
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<byte, ushort>(bytes));
                break;
        }
    }
}
