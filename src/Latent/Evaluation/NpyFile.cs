using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Latent.Imaging;
using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>Reads and writes feature matrices as NumPy .npy files, so that Python can check Latent's metrics on the same numbers.</summary>
/// <remarks>
/// The NPY format, version 1.0 (numpy.lib.format): the magic bytes \x93NUMPY, the version bytes 1 and 0, the header
/// length as a little-endian uint16, then an ASCII Python dict literal such as
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (2000, 64), }</c> padded with spaces and ended by '\n' so that
/// the data starts at a multiple of 64 bytes; then the values in C (row-major) order.
/// </remarks>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The data of a file starts at a multiple of this many bytes, as numpy writes it.</summary>
    internal const int HeaderAlignment = 64;

    /// <summary>Values per read or write: 8 MB blocks of float64, well under the 2 GB a span can cover.</summary>
    private const int BlockValues = 1 << 20;

    /// <summary>Writes a matrix as a version 1.0 .npy file of little-endian float64 ('&lt;f8') in C order; a temporary file is renamed over <paramref name="path"/> once complete.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="matrix">(N, F), any floating type and device; written as float64; not modified or disposed.</param>
    public static void Write(string path, Tensor matrix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2)
            throw new ArgumentException($"matrix [{FeatureMatrix.Shape(matrix)}] must be 2-D, (N, F)", nameof(matrix));
        if (!matrix.is_floating_point())
            throw new ArgumentException($"matrix has dtype {matrix.dtype}; expected a floating-point matrix", nameof(matrix));

        using var scope = NewDisposeScope();
        var values = matrix.detach().to(ScalarType.Float64).cpu().contiguous().reshape(-1);
        byte[] header = Header(matrix.shape[0], matrix.shape[1]);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            Serialization.LittleEndianBlocks.Write(stream, values, sizeof(double));
        });
    }

    /// <summary>Reads a 2-D .npy file of little-endian float64 ('&lt;f8') or float32 ('&lt;f4') in C order, version 1.0 or 2.0.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>(N, F) float64 on the CPU.</returns>
    /// <exception cref="InvalidDataException">The file is not such a file: wrong magic, version, header, dtype, order, shape or length; the message names the file and what was expected.</exception>
    /// <remarks>The declared shape is checked against the file's length before anything is allocated, so a damaged header cannot ask for more memory than the file holds.</remarks>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = stream.Length;
        if (length < 10)
            throw Invalid(path, $"is {length} bytes long; expected at least 10 (magic \\x93NUMPY, version, header length)");

        Span<byte> prefix = stackalloc byte[12];
        stream.ReadExactly(prefix[..8]);
        if (!prefix[..6].SequenceEqual(Magic))
            throw Invalid(path, "does not start with the magic bytes \\x93NUMPY; expected a NumPy .npy file");
        byte major = prefix[6], minor = prefix[7];
        long headerLength;
        int prefixLength;
        if (major == 1 && minor == 0)
        {
            stream.ReadExactly(prefix[8..10]);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            prefixLength = 10;
        }
        else if (major == 2 && minor == 0)
        {
            if (length < 12)
                throw Invalid(path, $"is {length} bytes long; expected at least 12 for a version 2.0 prefix");
            stream.ReadExactly(prefix[8..12]);
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
            prefixLength = 12;
        }
        else
        {
            throw Invalid(path, $"has format version {major}.{minor}; expected 1.0 or 2.0");
        }
        if (headerLength > length - prefixLength)
            throw Invalid(path, $"declares a {headerLength}-byte header, but only {length - prefixLength} bytes follow its {prefixLength}-byte prefix");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = Encoding.Latin1.GetString(headerBytes);
        var (descr, fortranOrder, shape) = ParseHeader(path, header);

        int itemSize = descr switch
        {
            "<f8" => sizeof(double),
            "<f4" => sizeof(float),
            _ => throw Invalid(path, $"has dtype '{descr}'; expected '<f8' or '<f4' (little-endian float64 or float32)"),
        };
        if (fortranOrder)
            throw Invalid(path, "is stored in Fortran (column-major) order; expected C order ('fortran_order': False)");
        if (shape.Length != 2)
            throw Invalid(path, $"has shape ({string.Join(", ", shape)}); expected a 2-D matrix (N, F)");

        long rows = shape[0], columns = shape[1];
        long dataOffset = prefixLength + headerLength;
        long dataBytes = length - dataOffset;
        long expectedBytes;
        try
        {
            expectedBytes = checked(rows * columns * itemSize);
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"declares shape ({rows}, {columns}), more values than any file can hold");
        }
        if (dataBytes != expectedBytes)
            throw Invalid(path, $"holds {dataBytes} data bytes after its header; expected {rows} × {columns} × {itemSize} = {expectedBytes} for shape ({rows}, {columns}) and dtype '{descr}'");

        using var scope = NewDisposeScope();
        long count = rows * columns;
        var values = empty(count, dtype: itemSize == sizeof(double) ? ScalarType.Float64 : ScalarType.Float32);
        for (long start = 0; start < count; start += BlockValues)
        {
            using var block = values.narrow(0, start, Math.Min(BlockValues, count - start));
            var bytes = block.bytes;
            try
            {
                stream.ReadExactly(bytes);
            }
            catch (EndOfStreamException)
            {
                throw Invalid(path, "ended before its data did (did it change while being read?)");
            }
            Serialization.LittleEndianBlocks.ToMachineOrder(bytes, itemSize);
        }
        return values.to(ScalarType.Float64).reshape(rows, columns).MoveToOuterDisposeScope();
    }

    /// <summary>The magic, version 1.0, header length and padded header dict of a float64 (rows, columns) matrix.</summary>
    internal static byte[] Header(long rows, long columns)
    {
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        // 10 bytes of prefix, the dict, the spaces and the final '\n' make a multiple of 64.
        int unpadded = 10 + dict.Length + 1;
        int padding = (HeaderAlignment - unpadded % HeaderAlignment) % HeaderAlignment;
        string text = dict + new string(' ', padding) + "\n";

        var header = new byte[10 + text.Length];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8, 2), checked((ushort)text.Length));
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }

    /// <summary>The three entries of an NPY header dict; anything else, missing or extra, is refused.</summary>
    private static (string Descr, bool FortranOrder, long[] Shape) ParseHeader(string path, string header)
    {
        Dictionary<string, object> entries;
        try
        {
            entries = new HeaderDict(header).Parse();
        }
        catch (FormatException error)
        {
            string shown = header.Length <= 200 ? header.TrimEnd() : header[..200] + "…";
            throw Invalid(path, $"has a header that is not the expected dict literal ({error.Message}): {shown}");
        }

        foreach (string key in entries.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw Invalid(path, $"has an unexpected header key '{key}'; expected exactly 'descr', 'fortran_order' and 'shape'");
        }
        return (
            Entry<string>(path, entries, "descr", "a string such as '<f8'"),
            Entry<bool>(path, entries, "fortran_order", "True or False"),
            Entry<long[]>(path, entries, "shape", "a tuple of sizes"));
    }

    private static T Entry<T>(string path, Dictionary<string, object> entries, string key, string expected)
    {
        if (!entries.TryGetValue(key, out object? value))
            throw Invalid(path, $"has no '{key}' in its header; expected {expected}");
        return value is T typed ? typed : throw Invalid(path, $"has '{key}' of the wrong kind in its header; expected {expected}");
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"NPY file \"{path}\" {problem}");

    /// <summary>
    /// Parses the small subset of Python literals an NPY header uses: a dict of quoted string keys whose values are
    /// strings, True/False, non-negative integers or tuples of them, trailing commas allowed. Throws FormatException.
    /// </summary>
    private sealed class HeaderDict(string text)
    {
        private int _position;

        public Dictionary<string, object> Parse()
        {
            var entries = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (Peek() != '}')
            {
                string key = ReadString();
                Expect(':');
                if (!entries.TryAdd(key, ReadValue()))
                    throw new FormatException($"key '{key}' appears twice");
                if (Peek() != ',')
                    break;
                _position++;
            }
            Expect('}');
            if (Peek() != '\0')
                throw new FormatException($"text after the closing brace at offset {_position}");
            return entries;
        }

        private object ReadValue()
        {
            char next = Peek();
            if (next is '\'' or '"')
                return ReadString();
            if (next == '(')
                return ReadTuple();
            if (char.IsAsciiDigit(next))
                return ReadSize();
            if (TryWord("True"))
                return true;
            if (TryWord("False"))
                return false;
            throw new FormatException($"unexpected '{next}' at offset {_position}");
        }

        private long[] ReadTuple()
        {
            var sizes = new List<long>();
            Expect('(');
            while (Peek() != ')')
            {
                sizes.Add(ReadSize());
                if (Peek() != ',')
                    break;
                _position++;
            }
            Expect(')');
            return [.. sizes];
        }

        private long ReadSize()
        {
            int start = _position;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                _position++;
            if (_position == start)
                throw new FormatException($"expected a non-negative integer at offset {start}");
            if (!long.TryParse(text.AsSpan(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                throw new FormatException($"size {text[start.._position]} is too large");
            // Files written by Python 2 mark long integers with L.
            if (_position < text.Length && text[_position] == 'L')
                _position++;
            return size;
        }

        private string ReadString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"'))
                throw new FormatException($"expected a quoted string at offset {_position}");
            int end = text.IndexOf(quote, _position + 1);
            if (end < 0)
                throw new FormatException($"unterminated string at offset {_position}");
            string value = text[(_position + 1)..end];
            _position = end + 1;
            return value;
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) != 0)
                return false;
            _position += word.Length;
            return true;
        }

        private void Expect(char expected)
        {
            char next = Peek();
            if (next != expected)
                throw new FormatException($"expected '{expected}' at offset {_position}, found {(next == '\0' ? "the end" : $"'{next}'")}");
            _position++;
        }

        /// <summary>The next character after spaces and newlines, without consuming it; '\0' at the end.</summary>
        private char Peek()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
                _position++;
            return _position < text.Length ? text[_position] : '\0';
        }
    }
}
