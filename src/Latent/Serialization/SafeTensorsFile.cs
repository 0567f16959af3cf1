using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Latent.Imaging;
using static TorchSharp.torch;

namespace Latent.Serialization;

/// <summary>
/// Reads and writes safetensors files, the weights format of Hugging Face that PyTorch, JAX and most model hubs load:
/// named tensors with their dtype and shape in a JSON header, then their raw bytes.
/// </summary>
/// <remarks>
/// <para>Layout: the header length N as a little-endian u64; N bytes of UTF-8 JSON,
/// <c>{"NAME": {"dtype": "F32", "shape": [128, 2], "data_offsets": [BEGIN, END]}, …, "__metadata__": {"KEY": "VALUE"}}</c>,
/// padded with spaces to a multiple of 8 bytes; then the data buffer, in which each tensor takes bytes BEGIN to END
/// (relative to the buffer's start) in C (row-major) order, little-endian. The tensors fill the buffer without gaps or overlaps.</para>
/// <para>Opening checks the whole header before anything is read: its length (at most 100 MiB and within the file), the JSON,
/// every entry's keys, dtype, shape and offsets, with checked arithmetic, and the layout of the buffer. Nothing is allocated
/// from a size the file declares until that size is known to fit in the file. An open file holds its stream until disposed.</para>
/// <para>Element types: F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL, as libtorch's float64, float32, float16,
/// bfloat16, int64, int32, int16, int8, uint8 and bool.</para>
/// </remarks>
/// <example>
/// <code>
/// SafeTensorsFile.Write("weights.safetensors", net.state_dict(), new Dictionary&lt;string, string&gt; { ["format"] = "pt" });
/// using var file = SafeTensorsFile.Open("weights.safetensors");
/// foreach (var info in file.Tensors)
///     Console.WriteLine($"{info.Name} {info.DType} [{string.Join(", ", info.Shape)}]");
/// using var weight = file.Read("layers.linear0.weight");
/// </code>
/// </example>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>The largest header accepted, 100 MiB: far above any real model's (a few MB for thousands of tensors).</summary>
    internal const long MaxHeaderLength = 100L * 1024 * 1024;

    /// <summary>The header is padded so that the data buffer starts at a multiple of this many bytes, as the reference writer does.</summary>
    internal const int Alignment = 8;

    /// <summary>The key of the string-to-string metadata in the header.</summary>
    internal const string MetadataKey = "__metadata__";

    /// <summary>Bytes per read or write of tensor data: blocks of 8 MiB, well under the 2 GB a span can cover.</summary>

    private static readonly DType[] DTypes =
    [
        new("F64", ScalarType.Float64, 8),
        new("F32", ScalarType.Float32, 4),
        new("F16", ScalarType.Float16, 2),
        new("BF16", ScalarType.BFloat16, 2),
        new("I64", ScalarType.Int64, 8),
        new("I32", ScalarType.Int32, 4),
        new("I16", ScalarType.Int16, 2),
        new("I8", ScalarType.Int8, 1),
        new("U8", ScalarType.Byte, 1),
        new("BOOL", ScalarType.Bool, 1),
    ];

    private static readonly string DTypeNames = string.Join(", ", DTypes.Select(d => d.Name));

    private readonly Dictionary<string, Entry> _entries;
    private readonly long _dataStart;
    private FileStream? _stream;

    private SafeTensorsFile(string path, FileStream stream, List<Entry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Path = path;
        _stream = stream;
        _entries = entries.ToDictionary(e => e.Info.Name, StringComparer.Ordinal);
        _dataStart = dataStart;
        Tensors = entries.Select(e => e.Info).ToList();
        Metadata = metadata;
    }

    /// <summary>The file's path, as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The tensors the file holds, in the order of their bytes in the file.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c>; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes <paramref name="tensors"/> as a safetensors file; a temporary file beside <paramref name="path"/> is renamed over it once complete.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="tensors">Names and tensors, of any device and layout (each is copied to the CPU in C order as it is written);
    /// names must be distinct, non-empty and not <c>__metadata__</c>. Not modified or disposed.</param>
    /// <param name="metadata">Strings stored in the header's <c>__metadata__</c>, written sorted by key; none when null or empty.</param>
    /// <remarks>
    /// The tensors are laid out as the reference Python writer lays them out, whatever order they come in: largest
    /// element first, then by name (ordinal). As the buffer starts at a multiple of 8 bytes, every tensor then starts at a
    /// multiple of its element size, and the same tensors always give the same bytes.
    /// </remarks>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated, or a tensor's dtype is not one the format holds (the message names the tensor).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);

        using var scope = NewDisposeScope();
        var items = new List<(string Name, DType DType, Tensor Values)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("a tensor has an empty name; every tensor needs a non-empty name", nameof(tensors));
            if (name == MetadataKey)
                throw new ArgumentException($"a tensor is named '{MetadataKey}', the key the format reserves for metadata", nameof(tensors));
            if (!names.Add(name))
                throw new ArgumentException($"tensor '{name}' is given twice; names must be distinct", nameof(tensors));
            if (tensor is null)
                throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
            var dtype = Array.Find(DTypes, d => d.Type == tensor.dtype)
                ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}; a safetensors file here holds {DTypeNames} (float64, float32, float16, bfloat16, int64, int32, int16, int8, uint8, bool)", nameof(tensors));
            items.Add((name, dtype, tensor.detach().cpu().contiguous()));
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is null || value is null)
                    throw new ArgumentException($"metadata entry '{key}' has a null key or value; expected strings", nameof(metadata));
            }
        }

        // The reference writer's order: largest element first, then by name.
        items.Sort((a, b) => a.DType.Size != b.DType.Size ? b.DType.Size.CompareTo(a.DType.Size) : string.CompareOrdinal(a.Name, b.Name));
        var layout = new List<(string Name, string DType, long[] Shape, long Begin, long End)>(items.Count);
        long offset = 0;
        foreach (var (name, dtype, values) in items)
        {
            long end = checked(offset + values.numel() * dtype.Size);
            layout.Add((name, dtype.Name, values.shape, offset, end));
            offset = end;
        }
        byte[] header = Header(layout, metadata);

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, dtype, values) in items)
                WriteValues(stream, values, dtype.Size);
        });
    }

    /// <summary>Opens a safetensors file and checks its header; tensors are read on demand by <see cref="Read"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="SafeTensorsException">The file is not a valid safetensors file of the supported dtypes; the message names the file, the tensor and what was expected.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = stream.Length;
            if (length < 8)
                throw Invalid(path, $"is {length} bytes long; expected at least 8 (the header length, a little-endian u64)");
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (declared > MaxHeaderLength)
                throw Invalid(path, $"declares a {declared}-byte header; expected at most {MaxHeaderLength} (100 MiB)");
            long headerLength = (long)declared;
            if (headerLength > length - 8)
                throw Invalid(path, $"declares a {headerLength}-byte header, but only {length - 8} bytes follow its 8-byte length");

            var headerBytes = new byte[headerLength];
            stream.ReadExactly(headerBytes);
            long dataStart = 8 + headerLength;
            var (entries, metadata) = ParseHeader(path, headerBytes, length - dataStart);
            return new SafeTensorsFile(path, stream, entries, metadata, dataStart);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads one tensor; safe to call from several threads (reads take turns on the file).</summary>
    /// <param name="name">Its name, one of <see cref="Tensors"/>.</param>
    /// <returns>A new CPU tensor of the stored dtype and shape, bit for bit the stored values.</returns>
    /// <exception cref="KeyNotFoundException">The file has no tensor of that name.</exception>
    /// <exception cref="SafeTensorsException">The file ends early (it changed since it was opened), or a BOOL tensor holds a byte other than 0 or 1.</exception>
    public Tensor Read(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stream = _stream;
        ObjectDisposedException.ThrowIf(stream is null, this);
        if (!_entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"{Path}: has no tensor '{name}'{Listing(_entries.Keys, "; it holds ")}");

        using var scope = NewDisposeScope();
        var values = empty(entry.Shape, dtype: entry.DType.Type);
        long count = values.numel();
        if (count > 0)
        {
            var flat = values.reshape(-1);
            long perBlock = LittleEndianBlocks.BlockBytes / entry.DType.Size;
            lock (stream)
            {
                stream.Position = _dataStart + entry.Begin;
                for (long start = 0; start < count; start += perBlock)
                {
                    using var block = flat.narrow(0, start, Math.Min(perBlock, count - start));
                    var bytes = block.bytes;
                    try
                    {
                        stream.ReadExactly(bytes);
                    }
                    catch (EndOfStreamException e)
                    {
                        throw new SafeTensorsException($"{Path}: ended inside tensor '{name}' (did the file change since it was opened?)", e);
                    }
                    if (entry.DType.Type == ScalarType.Bool && bytes.IndexOfAnyExcept((byte)0, (byte)1) is var at and >= 0)
                        throw Invalid(Path, $"tensor '{name}' (BOOL) holds the byte {bytes[at]} at element {start + at}; expected 0 or 1");
                    LittleEndianBlocks.ToMachineOrder(bytes, entry.DType.Size);
                }
            }
        }
        return values.MoveToOuterDisposeScope();
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>The format's name of a libtorch dtype (<c>F32</c> for float32), or null when the format here cannot hold it.</summary>
    internal static string? DTypeName(ScalarType type) => Array.Find(DTypes, d => d.Type == type)?.Name;

    /// <summary>The header: compact JSON of the metadata and the tensors in layout order, padded with spaces to a multiple of 8 bytes.</summary>
    internal static byte[] Header(IEnumerable<(string Name, string DType, long[] Shape, long Begin, long End)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names such as "a+b" readable; the header is never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var (name, dtype, shape, begin, end) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long size in shape)
                    json.WriteNumberValue(size);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padding = (Alignment - buffer.WrittenCount % Alignment) % Alignment;
        var header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteValues(Stream stream, Tensor values, int elementSize)
    {
        if (values.numel() == 0)
            return;
        using var flat = values.reshape(-1);
        LittleEndianBlocks.Write(stream, flat, elementSize);
    }

    /// <summary>Checks the header against a data buffer of <paramref name="bufferLength"/> bytes; returns the tensors in buffer order and the metadata.</summary>
    private static (List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata) ParseHeader(string path, byte[] headerBytes, long bufferLength)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SafeTensorsException($"{path}: has a header that is not UTF-8 text ({e.Message}); expected a JSON object", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException($"{path}: has a header that is not JSON ({e.Message}): {Excerpt(text)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(path, $"has a header that is a JSON {Kind(root)}; expected an object of tensors");

            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(path, $"lists '{property.Name}' twice in its header; expected each name once");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    entries.Add(ReadEntry(path, property.Name, property.Value, bufferLength));
            }
            CheckLayout(path, entries, bufferLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"has a {MetadataKey} that is a JSON {Kind(value)}; expected an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"has {MetadataKey} '{item.Name}' that is a JSON {Kind(item.Value)}; expected a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Invalid(path, $"lists {MetadataKey} '{item.Name}' twice; expected each key once");
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value, long bufferLength)
    {
        const string Expected = "an object with exactly dtype, shape and data_offsets";
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"tensor '{name}' is a JSON {Kind(value)} in the header; expected {Expected}");
        string? dtypeName = null;
        long[]? shape = null, offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw Invalid(path, $"tensor '{name}' has a dtype that is a JSON {Kind(field.Value)}; expected a string such as \"F32\"");
                    break;
                case "shape" when shape is null:
                    shape = Sizes(path, name, "shape", field.Value, "a list of sizes ≥ 0, such as [128, 2]");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = Sizes(path, name, "data_offsets", field.Value, "[begin, end], two byte offsets ≥ 0");
                    if (offsets.Length != 2)
                        throw Invalid(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end], two byte offsets ≥ 0");
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Invalid(path, $"tensor '{name}' lists '{field.Name}' twice; expected {Expected}");
                default:
                    throw Invalid(path, $"tensor '{name}' has an unknown key '{field.Name}'; expected {Expected}");
            }
        }
        if (dtypeName is null || shape is null || offsets is null)
        {
            string missing = dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Invalid(path, $"tensor '{name}' has no '{missing}'; expected {Expected}");
        }

        var dtype = Array.Find(DTypes, d => d.Name == dtypeName)
            ?? throw Invalid(path, $"tensor '{name}' has dtype '{dtypeName}'; expected one of {DTypeNames}");
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}]; expected begin ≤ end");
        if (end > bufferLength)
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}], beyond the end of the {bufferLength}-byte data buffer");
        long bytes;
        try
        {
            long count = 1;
            foreach (long size in shape)
                count = checked(count * size);
            bytes = checked(count * dtype.Size);
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"tensor '{name}' has shape {Format(shape)}, more elements than any file can hold");
        }
        if (bytes != end - begin)
            throw Invalid(path, $"tensor '{name}' has shape {Format(shape)} and dtype {dtype.Name}, which take {bytes} bytes; its data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(new SafeTensorInfo(name, dtype.Name, shape), dtype, (long[])shape.Clone(), begin, end);
    }

    /// <summary>A JSON list of whole numbers ≥ 0 that fit in a long.</summary>
    private static long[] Sizes(string path, string name, string key, JsonElement value, string expected)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}' has a {key} that is a JSON {Kind(value)}; expected {expected}");
        var sizes = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long size) || size < 0)
                throw Invalid(path, $"tensor '{name}' has {key} {Excerpt(value.GetRawText())}; expected {expected}");
            sizes[i++] = size;
        }
        return sizes;
    }

    /// <summary>
    /// Requires the tensors to fill the data buffer exactly, as the reference reader does: sorted by offset, each begins where
    /// the one before ends, and the last ends with the buffer. Sorts <paramref name="entries"/> into that order.
    /// </summary>
    private static void CheckLayout(string path, List<Entry> entries, long bufferLength)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long filled = 0;
        Entry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < filled)
                throw Invalid(path, $"tensor '{entry.Info.Name}' (data_offsets [{entry.Begin}, {entry.End}]) overlaps tensor '{previous!.Info.Name}' (data_offsets [{previous.Begin}, {previous.End}]); expected each byte to belong to one tensor");
            if (entry.Begin > filled)
                throw Invalid(path, $"leaves bytes {filled} to {entry.Begin} of its data buffer unused, before tensor '{entry.Info.Name}' (data_offsets [{entry.Begin}, {entry.End}]); expected tensors to follow one another without gaps");
            filled = entry.End;
            previous = entry;
        }
        if (filled != bufferLength)
        {
            string last = previous is null ? "it lists no tensor" : $"its last tensor '{previous.Info.Name}' ends at {filled}";
            throw Invalid(path, $"has a {bufferLength}-byte data buffer, but {last}; expected the tensors to fill it exactly");
        }
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Excerpt(string text)
    {
        text = text.TrimEnd();
        return text.Length <= 80 ? text : text[..80] + "…";
    }

    /// <summary>"; it holds 'a', 'b', … and 3 more" for up to five names, or nothing when there are none.</summary>
    internal static string Listing(IEnumerable<string> names, string lead)
    {
        var all = names.ToList();
        if (all.Count == 0)
            return "";
        const int Shown = 5;
        string listed = string.Join(", ", all.Take(Shown).Select(n => $"'{n}'"));
        return lead + listed + (all.Count > Shown ? $" and {all.Count - Shown} more" : "");
    }

    private static SafeTensorsException Invalid(string path, string problem) => new($"{path}: {problem}");

    private sealed record DType(string Name, ScalarType Type, int Size);

    /// <summary>A checked tensor entry; <see cref="Shape"/> is a private copy, so that a caller changing <see cref="SafeTensorInfo.Shape"/> cannot change what <see cref="Read"/> allocates.</summary>
    private sealed record Entry(SafeTensorInfo Info, DType DType, long[] Shape, long Begin, long End);
}
