using System.Buffers.Binary;
using System.Text;

namespace Latent.Runtime;

/// <summary>
/// Marks one symbol-version requirement of an ELF64 shared object as weak, in memory.
/// </summary>
/// <remarks>
/// A version needed by a library is listed in its <c>.gnu.version_r</c> section (Verneed entries,
/// each with Vernaux children). The dynamic loader refuses to load a library whose required
/// version is missing from the providing library, unless the Vernaux entry carries
/// <c>VER_FLG_WEAK</c> (0x2): then a missing version is only a warning. This is the whole fix
/// for TorchSharp's shim on GCC 12's libstdc++ (see <see cref="LibTorchLoader"/>). Every offset
/// read is bounds-checked, so a malformed file gives a message instead of an exception.
/// </remarks>
internal static class ElfVersionPatcher
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakVersionFlag = 0x2;              // VER_FLG_WEAK

    /// <summary>Outcome of a patch attempt.</summary>
    internal enum Result { Patched, AlreadyWeak, VersionNotRequired, NotPatchable }

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on the requirement of <paramref name="versionName"/> in <paramref name="elf"/>.
    /// </summary>
    /// <param name="elf">The whole file, patched in place.</param>
    /// <param name="versionName">A version such as <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="problem">Why the file cannot be patched, when the result is <see cref="Result.NotPatchable"/>.</param>
    internal static Result MarkVersionWeak(byte[] elf, string versionName, out string? problem)
    {
        problem = null;
        try
        {
            return MarkVersionWeakUnchecked(elf, versionName, ref problem);
        }
        catch (ArgumentOutOfRangeException)
        {
            problem = "an offset in the ELF headers points outside the file";
            return Result.NotPatchable;
        }
    }

    private static Result MarkVersionWeakUnchecked(byte[] elf, string versionName, ref string? problem)
    {
        var span = elf.AsSpan();
        if (elf.Length < 0x40 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F')
        {
            problem = "not an ELF file";
            return Result.NotPatchable;
        }
        if (span[4] != 2 || span[5] != 1)
        {
            problem = $"expected a 64-bit little-endian ELF, found class {span[4]} and data encoding {span[5]}";
            return Result.NotPatchable;
        }

        long sectionTable = ReadInt64(span, 0x28);
        int sectionSize = ReadUInt16(span, 0x3A);
        int sectionCount = ReadUInt16(span, 0x3C);
        bool sawVersionNeeds = false;
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionTable + (long)i * sectionSize;
            if (ReadUInt32(span, header + 4) != SectionTypeVersionNeed)
                continue;
            sawVersionNeeds = true;
            long offset = ReadInt64(span, header + 0x18);
            uint linkedStrings = ReadUInt32(span, header + 0x28);
            long strings = ReadInt64(span, sectionTable + linkedStrings * (long)sectionSize + 0x18);

            // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            long need = offset;
            for (int guard = 0; guard < 4096; guard++)
            {
                int auxCount = ReadUInt16(span, need + 2);
                long aux = need + ReadUInt32(span, need + 8);
                for (int k = 0; k < auxCount; k++)
                {
                    string name = ReadCString(span, strings + ReadUInt32(span, aux + 8));
                    if (name == versionName)
                    {
                        ushort flags = ReadUInt16(span, aux + 4);
                        if ((flags & WeakVersionFlag) != 0)
                            return Result.AlreadyWeak;
                        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(Checked(span, aux + 4, 2)), (ushort)(flags | WeakVersionFlag));
                        return Result.Patched;
                    }
                    uint nextAux = ReadUInt32(span, aux + 12);
                    if (nextAux == 0)
                        break;
                    aux += nextAux;
                }
                uint next = ReadUInt32(span, need + 12);
                if (next == 0)
                    break;
                need += next;
            }
        }
        if (!sawVersionNeeds)
        {
            problem = "the file has no .gnu.version_r section";
            return Result.NotPatchable;
        }
        return Result.VersionNotRequired;
    }

    private static int Checked(ReadOnlySpan<byte> span, long offset, int length) =>
        offset < 0 || offset + length > span.Length
            ? throw new ArgumentOutOfRangeException(nameof(offset))
            : (int)offset;

    private static ushort ReadUInt16(ReadOnlySpan<byte> s, long o) => BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(Checked(s, o, 2)));
    private static uint ReadUInt32(ReadOnlySpan<byte> s, long o) => BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(Checked(s, o, 4)));
    private static long ReadInt64(ReadOnlySpan<byte> s, long o) => BinaryPrimitives.ReadInt64LittleEndian(s.Slice(Checked(s, o, 8)));

    private static string ReadCString(ReadOnlySpan<byte> s, long o)
    {
        int start = Checked(s, o, 1);
        int end = s.Slice(start).IndexOf((byte)0);
        if (end < 0)
            throw new ArgumentOutOfRangeException(nameof(o));
        return Encoding.ASCII.GetString(s.Slice(start, end));
    }
}
