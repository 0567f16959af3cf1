using System.Buffers.Binary;
using System.Text;

namespace Latent.Tests.Training;

/// <summary>One event of a TensorBoard event file, decoded by <see cref="TensorBoardEvents"/>.</summary>
internal sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, int? SessionStatus, IReadOnlyList<TensorBoardValue> Values);

/// <summary>One summary value: a scalar, an image, a histogram, or a text (a tensor of strings with the "text" plugin).</summary>
internal sealed record TensorBoardValue(string Tag, float? Scalar, TensorBoardImage? Image, TensorBoardHistogram? Histogram, string? Text, string? Plugin);

internal sealed record TensorBoardImage(int Width, int Height, int Colorspace, byte[] Encoded);

internal sealed record TensorBoardHistogram(double Min, double Max, double Num, double Sum, double SumSquares, double[] Limits, double[] Counts);

/// <summary>
/// An independent reader of TensorBoard event files for tests: it checks every record's framing and both masked CRC-32Cs,
/// and decodes the protocol buffers by hand from tensorflow's <c>event.proto</c> and <c>summary.proto</c> field numbers,
/// so that it shares no code with the writer it checks.
/// </summary>
internal static class TensorBoardEvents
{
    /// <summary>The events of every event file in <paramref name="folder"/>, file by file in name order (TensorBoard's order).</summary>
    public static IReadOnlyList<TensorBoardEvent> ReadFolder(string folder) =>
        EventFiles(folder).SelectMany(ReadFile).ToList();

    /// <summary>The event files in <paramref name="folder"/>, in name order.</summary>
    public static IReadOnlyList<string> EventFiles(string folder) =>
        Directory.GetFiles(folder).Where(f => Path.GetFileName(f).Contains("tfevents", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Reads one event file, checking each record: u64 length, masked CRC of the length, data, masked CRC of the data.</summary>
    /// <exception cref="InvalidDataException">A record is cut short or a checksum does not match.</exception>
    public static IReadOnlyList<TensorBoardEvent> ReadFile(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<TensorBoardEvent>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (at + 12 > bytes.Length)
                throw new InvalidDataException($"{path}: record header cut short at byte {at}");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)) != MaskedCrc32C(bytes.AsSpan(at, 8)))
                throw new InvalidDataException($"{path}: length checksum mismatch at byte {at}");
            if ((ulong)(bytes.Length - at - 16) < length)
                throw new InvalidDataException($"{path}: record data cut short at byte {at}");
            var data = bytes.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)) != MaskedCrc32C(data))
                throw new InvalidDataException($"{path}: data checksum mismatch at byte {at}");
            events.Add(DecodeEvent(data.ToArray()));
            at += 16 + (int)length;
        }
        return events;
    }

    /// <summary>The (step, value) points of scalar <paramref name="tag"/>, in file order.</summary>
    public static List<(long Step, float Value)> Scalars(IEnumerable<TensorBoardEvent> events, string tag) =>
        [.. events.SelectMany(e => e.Values.Where(v => v.Tag == tag && v.Scalar is not null).Select(v => (e.Step, v.Scalar!.Value)))];

    /// <summary>The (step, value) of every value with <paramref name="tag"/>.</summary>
    public static List<(long Step, TensorBoardValue Value)> Values(IEnumerable<TensorBoardEvent> events, string tag) =>
        [.. events.SelectMany(e => e.Values.Where(v => v.Tag == tag).Select(v => (e.Step, v)))];

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>TFRecord's masking: rotate right by 15 bits, add 0xa282ead8.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    // event.proto: Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; SessionLog session_log = 7; }
    private static TensorBoardEvent DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        int? sessionStatus = null;
        var values = new List<TensorBoardValue>();
        foreach (var field in Fields(data))
        {
            switch (field.Number)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)field.Fixed); break;
                case 2: step = (long)field.Varint; break;
                case 3: fileVersion = Encoding.UTF8.GetString(field.Bytes!); break;
                case 5: values.AddRange(Fields(field.Bytes!).Where(f => f.Number == 1).Select(f => DecodeValue(f.Bytes!))); break;
                case 7: sessionStatus = (int)Fields(field.Bytes!).Where(f => f.Number == 1).Select(f => f.Varint).FirstOrDefault(); break;
            }
        }
        return new TensorBoardEvent(wallTime, step, fileVersion, sessionStatus, values);
    }

    // summary.proto: Value { string tag = 1; float simple_value = 2; Image image = 4; HistogramProto histo = 5; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
    private static TensorBoardValue DecodeValue(byte[] data)
    {
        string tag = "";
        float? scalar = null;
        TensorBoardImage? image = null;
        TensorBoardHistogram? histogram = null;
        string? text = null, plugin = null;
        foreach (var field in Fields(data))
        {
            switch (field.Number)
            {
                case 1: tag = Encoding.UTF8.GetString(field.Bytes!); break;
                case 2: scalar = BitConverter.Int32BitsToSingle((int)field.Fixed); break;
                case 4: image = DecodeImage(field.Bytes!); break;
                case 5: histogram = DecodeHistogram(field.Bytes!); break;
                // TensorProto { repeated bytes string_val = 8; }
                case 8: text = string.Concat(Fields(field.Bytes!).Where(f => f.Number == 8).Select(f => Encoding.UTF8.GetString(f.Bytes!))); break;
                // SummaryMetadata { PluginData plugin_data = 1; }, PluginData { string plugin_name = 1; }
                case 9:
                    plugin = Fields(field.Bytes!).Where(f => f.Number == 1)
                        .SelectMany(f => Fields(f.Bytes!)).Where(f => f.Number == 1).Select(f => Encoding.UTF8.GetString(f.Bytes!)).FirstOrDefault();
                    break;
            }
        }
        return new TensorBoardValue(tag, scalar, image, histogram, text, plugin);
    }

    // Image { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; }
    private static TensorBoardImage DecodeImage(byte[] data)
    {
        int height = 0, width = 0, colorspace = 0;
        byte[] encoded = [];
        foreach (var field in Fields(data))
        {
            switch (field.Number)
            {
                case 1: height = (int)field.Varint; break;
                case 2: width = (int)field.Varint; break;
                case 3: colorspace = (int)field.Varint; break;
                case 4: encoded = field.Bytes!; break;
            }
        }
        return new TensorBoardImage(width, height, colorspace, encoded);
    }

    // HistogramProto { double min = 1; max = 2; num = 3; sum = 4; sum_squares = 5; repeated double bucket_limit = 6 [packed]; bucket = 7 [packed]; }
    private static TensorBoardHistogram DecodeHistogram(byte[] data)
    {
        var scalars = new double[6];
        var limits = new List<double>();
        var counts = new List<double>();
        foreach (var field in Fields(data))
        {
            if (field.Number is >= 1 and <= 5)
                scalars[field.Number] = BitConverter.Int64BitsToDouble((long)field.Fixed);
            else if (field.Number is 6 or 7)
                (field.Number == 6 ? limits : counts).AddRange(field.Bytes is { } packed ? PackedDoubles(packed) : [BitConverter.Int64BitsToDouble((long)field.Fixed)]);
        }
        return new TensorBoardHistogram(scalars[1], scalars[2], scalars[3], scalars[4], scalars[5], [.. limits], [.. counts]);
    }

    private static IEnumerable<double> PackedDoubles(byte[] packed)
    {
        for (int i = 0; i + 8 <= packed.Length; i += 8)
            yield return BinaryPrimitives.ReadDoubleLittleEndian(packed.AsSpan(i));
    }

    private sealed record Field(int Number, ulong Varint, ulong Fixed, byte[]? Bytes);

    /// <summary>The fields of one protocol-buffer message: varints (wire type 0), 64-bit (1), length-delimited (2), 32-bit (5).</summary>
    private static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        int at = 0;
        while (at < message.Length)
        {
            ulong key = Varint(message, ref at);
            int number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    fields.Add(new Field(number, Varint(message, ref at), 0, null));
                    break;
                case 1:
                    fields.Add(new Field(number, 0, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at)), null));
                    at += 8;
                    break;
                case 2:
                    int length = (int)Varint(message, ref at);
                    fields.Add(new Field(number, 0, 0, message.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                case 5:
                    fields.Add(new Field(number, 0, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at)), null));
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"unexpected protocol-buffer wire type {key & 7} at byte {at}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }
}
