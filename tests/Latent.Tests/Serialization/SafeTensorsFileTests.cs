using System.Buffers.Binary;
using System.Text;
using Latent.Runtime;
using Latent.Serialization;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Serialization;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public SafeTensorsFileTests() => LatentRuntime.EnsureLoaded();

    public void Dispose() => _folder.Dispose();

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    [Theory]
    [InlineData(ScalarType.Float64, "F64")]
    [InlineData(ScalarType.Float32, "F32")]
    [InlineData(ScalarType.Float16, "F16")]
    [InlineData(ScalarType.BFloat16, "BF16")]
    [InlineData(ScalarType.Int64, "I64")]
    [InlineData(ScalarType.Int32, "I32")]
    [InlineData(ScalarType.Int16, "I16")]
    [InlineData(ScalarType.Int8, "I8")]
    [InlineData(ScalarType.Byte, "U8")]
    [InlineData(ScalarType.Bool, "BOOL")]
    public void EveryDTypeReadsBackBitForBit(ScalarType type, string name)
    {
        using var scope = NewDisposeScope();
        var random = new Random(17);
        // Random bytes cover NaN payloads, infinities, subnormals and −0 of the float types.
        var tensors = new Dictionary<string, Tensor>
        {
            ["matrix"] = RandomBits(type, [5, 3], random),
            ["scalar"] = RandomBits(type, [], random),
            ["empty"] = RandomBits(type, [0, 4], random),
            ["cube"] = RandomBits(type, [2, 3, 4], random),
            ["transposed"] = RandomBits(type, [3, 7], random).t(), // not contiguous: written in C order of its shape
        };
        string path = PathOf("all.safetensors");

        SafeTensorsFile.Write(path, tensors);
        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (key, expected) in tensors)
        {
            var info = file.Tensors.Single(t => t.Name == key);
            Assert.Equal(name, info.DType);
            Assert.Equal(expected.shape, info.Shape);
            var read = file.Read(key);
            Assert.Equal(type, read.dtype);
            Assert.Equal(expected.shape, read.shape);
            Assert.Equal(DeviceType.CPU, read.device_type);
            Assert.Equal(Bytes(expected), Bytes(read));
        }
    }

    [Fact]
    public void MetadataReadsBackAsWritten()
    {
        using var scope = NewDisposeScope();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["recipe"] = "{\"name\": \"gan8g\", \"gan\": {\"latent_dim\": 2}}",
            ["note"] = "λ = 10, <b>&amp;</b> \"quoted\"\nsecond line",
            ["empty"] = "",
        };
        string path = PathOf("meta.safetensors");

        SafeTensorsFile.Write(path, [new("x", ones(2))], metadata);
        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(metadata.OrderBy(m => m.Key), file.Metadata.OrderBy(m => m.Key));
    }

    [Fact]
    public void AFileWithoutMetadataHasNone()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("plain.safetensors");

        SafeTensorsFile.Write(path, [new("x", ones(2))]);
        using var file = SafeTensorsFile.Open(path);

        Assert.Empty(file.Metadata);
        Assert.DoesNotContain("__metadata__", HeaderText(path));
    }

    [Fact]
    public void TensorsAreLaidOutLargestElementFirstThenByNameAfterAPaddedHeader()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("layout.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["d"] = tensor(new[] { true, false, true }),
            ["b"] = ones(3),
            ["a"] = ones(1, dtype: ScalarType.Float16),
            ["e"] = ones(2),
            ["c"] = tensor(7L),
        };

        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(0, headerLength % 8);
        Assert.Equal(
            "{\"__metadata__\":{\"format\":\"pt\"},\"c\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]},\"e\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[20,28]},"
            + "\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[28,30]},\"d\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[30,33]}}",
            HeaderText(path).TrimEnd(' '));
        Assert.Equal(8 + headerLength + 33, bytes.Length);
        Assert.Equal(["c", "b", "e", "a", "d"], file.Tensors.Select(t => t.Name));
        Assert.Equal(7L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan((int)(8 + headerLength))));
    }

    [Fact]
    public void WritingReplacesTheFileAndLeavesNoTemporaryFile()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("w.safetensors");
        File.WriteAllText(path, "old");

        SafeTensorsFile.Write(path, [new("x", ones(4))]);

        Assert.Equal(["w.safetensors"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("x", Assert.Single(file.Tensors).Name);
    }

    [Fact]
    public void ADTypeTheFormatDoesNotHoldIsRefusedBeforeAnythingIsWritten()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("complex.safetensors");

        var error = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new("ok", ones(2)), new("waves", ones(2, dtype: ScalarType.ComplexFloat32))]));

        Assert.Contains("tensor 'waves'", error.Message);
        Assert.Contains("ComplexFloat32", error.Message);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void RepeatedOrReservedNamesAreRefused()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("names.safetensors");

        var twice = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new("w", ones(1)), new("w", ones(1))]));
        var reserved = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new("__metadata__", ones(1))]));

        Assert.Contains("tensor 'w' is given twice", twice.Message);
        Assert.Contains("__metadata__", reserved.Message);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void ReadingAnUnknownNameSaysWhichNamesThereAre()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("w.safetensors");
        SafeTensorsFile.Write(path, [new("weight", ones(1)), new("bias", ones(1))]);
        using var file = SafeTensorsFile.Open(path);

        var error = Assert.Throws<KeyNotFoundException>(() => file.Read("wieght"));

        Assert.Contains("'wieght'", error.Message);
        Assert.Contains("'weight'", error.Message);
    }

    [Fact]
    public void ChangingAListedShapeDoesNotChangeWhatIsRead()
    {
        using var scope = NewDisposeScope();
        string path = PathOf("w.safetensors");
        SafeTensorsFile.Write(path, [new("w", ones(2, 3))]);
        using var file = SafeTensorsFile.Open(path);

        file.Tensors[0].Shape[0] = 1_000_000_000;
        var read = file.Read("w");

        Assert.Equal([2L, 3], read.shape);
    }

    [Fact]
    public void AFileShorterThanItsHeaderLengthIsRefused()
    {
        AssertRejected([1, 0, 0], "is 3 bytes long", "expected at least 8");
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileIsRefused()
    {
        AssertRejected(FileBytes("{}", declaredLength: 1000), "declares a 1000-byte header", "only 2 bytes follow");
    }

    [Fact]
    public void AHeaderLengthOfTwoToTheSixtyThirdIsRefusedWithoutAllocating()
    {
        AssertRejected(FileBytes("{}", declaredLength: 1UL << 63), "declares a 9223372036854775808-byte header", "expected at most 104857600");
    }

    [Fact]
    public void AHeaderThatIsNotJsonIsRefused()
    {
        AssertRejected(FileBytes("{\"w\": {\"dtype\": \"F32\", "), "header that is not JSON");
    }

    [Fact]
    public void AHeaderThatIsNotUtf8IsRefused()
    {
        byte[] bytes = FileBytes("{\"w\":1}   ");
        bytes[10] = 0xFF;
        AssertRejected(bytes, "not UTF-8");
    }

    [Fact]
    public void AHeaderThatIsNotAJsonObjectIsRefused()
    {
        AssertRejected(FileBytes("[1, 2]"), "a JSON array", "expected an object");
    }

    [Fact]
    public void TruncatedDataIsRefusedNamingTheTensorItCutsOff()
    {
        AssertRejected(
            FileBytes(Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[4]", 8, 24), new byte[20]),
            "tensor 'b'", "data_offsets [8, 24]", "beyond the end of the 20-byte data buffer");
    }

    [Fact]
    public void OffsetsOutOfRangeAreRefused()
    {
        AssertRejected(FileBytes(Entry("w", "F32", "[2]", 100, 108), new byte[8]), "tensor 'w'", "[100, 108]", "8-byte data buffer");
    }

    [Fact]
    public void OffsetsThatRunBackwardsAreRefused()
    {
        AssertRejected(FileBytes(Entry("w", "U8", "[0]", 8, 4), new byte[8]), "tensor 'w'", "[8, 4]", "expected begin ≤ end");
    }

    [Fact]
    public void OverlappingTensorsAreRefusedNamingBoth()
    {
        AssertRejected(
            FileBytes(Entry("first", "F32", "[4]", 0, 16) + "," + Entry("second", "F32", "[4]", 8, 24), new byte[24]),
            "tensor 'second'", "overlaps tensor 'first'", "[0, 16]", "[8, 24]");
    }

    [Fact]
    public void AGapBetweenTensorsIsRefused()
    {
        AssertRejected(
            FileBytes(Entry("first", "F32", "[1]", 0, 4) + "," + Entry("second", "F32", "[1]", 8, 12), new byte[12]),
            "bytes 4 to 8", "tensor 'second'", "without gaps");
    }

    [Fact]
    public void BytesAfterTheLastTensorAreRefused()
    {
        AssertRejected(FileBytes(Entry("w", "F32", "[1]", 0, 4), new byte[6]), "6-byte data buffer", "tensor 'w' ends at 4");
    }

    [Fact]
    public void AShapeThatDoesNotFitItsOffsetsIsRefused()
    {
        AssertRejected(
            FileBytes(Entry("layers.linear0.weight", "F32", "[128, 2]", 0, 512), new byte[512]),
            "tensor 'layers.linear0.weight'", "shape [128, 2] and dtype F32, which take 1024 bytes", "[0, 512] span 512");
    }

    [Fact]
    public void AShapeWithMoreElementsThanALongIsRefused()
    {
        AssertRejected(FileBytes(Entry("huge", "F32", "[4611686018427387904, 4]", 0, 8), new byte[8]), "tensor 'huge'", "more elements than any file can hold");
    }

    [Fact]
    public void ANegativeSizeIsRefused()
    {
        AssertRejected(FileBytes(Entry("w", "F32", "[-1, 2]", 0, 8), new byte[8]), "tensor 'w'", "shape [-1, 2]", "sizes ≥ 0");
    }

    [Fact]
    public void AnUnknownDTypeIsRefusedListingTheKnownOnes()
    {
        AssertRejected(FileBytes(Entry("w", "F8_E4M3", "[2]", 0, 2), new byte[2]), "tensor 'w'", "dtype 'F8_E4M3'", "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
    }

    [Fact]
    public void AnUnknownKeyInAnEntryIsRefused()
    {
        AssertRejected(
            FileBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"stride\":[1]}}", new byte[1]),
            "tensor 'w'", "unknown key 'stride'", "dtype, shape and data_offsets");
    }

    [Fact]
    public void AnEntryWithoutOffsetsIsRefused()
    {
        AssertRejected(FileBytes("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", new byte[1]), "tensor 'w'", "no 'data_offsets'");
    }

    [Fact]
    public void ANameListedTwiceIsRefused()
    {
        AssertRejected(FileBytes(Entry("w", "U8", "[1]", 0, 1) + "," + Entry("w", "U8", "[1]", 1, 2), new byte[2]), "'w' twice");
    }

    [Fact]
    public void MetadataThatIsNotStringsIsRefused()
    {
        AssertRejected(FileBytes("{\"__metadata__\":{\"steps\":3000}}"), "__metadata__ 'steps'", "a JSON number", "expected a string");
    }

    [Fact]
    public void ABoolTensorHoldingAByteOtherThanZeroOrOneIsRefusedOnRead()
    {
        string path = PathOf("model.safetensors");
        File.WriteAllBytes(path, FileBytes(Entry("mask", "BOOL", "[3]", 0, 3), [1, 0, 2]));
        using var file = SafeTensorsFile.Open(path);

        var error = Assert.Throws<SafeTensorsException>(() => file.Read("mask"));

        Assert.Contains("tensor 'mask'", error.Message);
        Assert.Contains("byte 2 at element 2", error.Message);
    }

    [Fact]
    public void AnEmptyFileOfNoTensorsIsValid()
    {
        string path = PathOf("none.safetensors");

        SafeTensorsFile.Write(path, []);
        using var file = SafeTensorsFile.Open(path);

        Assert.Empty(file.Tensors);
        Assert.Equal(16, new FileInfo(path).Length); // the length, then "{}" and six spaces
    }

    /// <summary>Opening <paramref name="bytes"/> as model.safetensors fails with a message naming the file and every one of <paramref name="mentions"/>.</summary>
    private void AssertRejected(byte[] bytes, params string[] mentions)
    {
        string path = PathOf("model.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Open(path).Dispose());

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        foreach (string mention in mentions)
            Assert.True(error.Message.Contains(mention, StringComparison.Ordinal), $"the message does not mention \"{mention}\": {error.Message}");
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    /// <summary>A file of the given header text (wrapped in braces when it is a list of entries) and data; its declared header length may lie.</summary>
    private static byte[] FileBytes(string header, byte[]? data = null, ulong? declaredLength = null)
    {
        if (!header.StartsWith('{') && !header.StartsWith('['))
            header = "{" + header + "}";
        byte[] json = Encoding.UTF8.GetBytes(header);
        data ??= [];
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private static string HeaderText(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return Encoding.UTF8.GetString(bytes, 8, length);
    }

    private static Tensor RandomBits(ScalarType type, long[] shape, Random random)
    {
        var values = empty(shape, dtype: type);
        long count = values.numel();
        if (count == 0)
            return values;
        var bytes = new byte[count * values.element_size()];
        random.NextBytes(bytes);
        if (type == ScalarType.Bool)
        {
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] &= 1;
        }
        values.bytes = bytes;
        return values;
    }

    private static byte[] Bytes(Tensor values)
    {
        using var contiguous = values.contiguous();
        return contiguous.numel() == 0 ? [] : contiguous.bytes.ToArray();
    }
}
