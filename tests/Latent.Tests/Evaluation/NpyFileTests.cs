using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Latent.Evaluation;
using Latent.Runtime;
using Latent.Tests.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Evaluation;

public class NpyFileTests
{
    [Fact]
    public void AWrittenMatrixReadsBackAsTheSameDoubles()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var rng = new Generator(71);
        var matrix = randn(37, 5, generator: rng); // float32: written as its exact float64 values
        string path = Path.Combine(folder.Path, "features.npy");

        NpyFile.Write(path, matrix);
        var read = NpyFile.Read(path);

        Assert.Equal(ScalarType.Float64, read.dtype);
        Assert.Equal([37L, 5], read.shape);
        Assert.Equal(matrix.to(ScalarType.Float64).data<double>().ToArray(), read.data<double>().ToArray());
        Assert.Equal(["features.npy"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TheHeaderIsVersionOnePaddedToSixtyFourBytes()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "features.npy");

        NpyFile.Write(path, tensor(new double[] { 1, -2, 0.5, 1e300, double.Epsilon, -0.0 }, [3, 2]));
        byte[] bytes = File.ReadAllBytes(path);

        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 6 * 8, bytes.Length);
        // C order, little-endian: the second value of the first row comes second.
        Assert.Equal(-2.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + headerLength + 8, 8)));
    }

    [Fact]
    public void LittleEndianFloat32FilesAreReadAsDoubles()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "float32.npy");
        float[] values = [1.5f, -2.25f, 3.1f, 0];
        var data = new byte[16];
        for (int i = 0; i < 4; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", data));

        var read = NpyFile.Read(path);

        Assert.Equal([2L, 2], read.shape);
        Assert.Equal(values.Select(v => (double)v), read.data<double>().ToArray());
    }

    [Fact]
    public void AnEmptyMatrixKeepsItsShape()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "empty.npy");

        NpyFile.Write(path, zeros(0, 7));

        Assert.Equal([0L, 7], NpyFile.Read(path).shape);
    }

    [Fact]
    public void ATruncatedFileIsRefusedNamingItAndTheExpectedLength()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "short.npy");
        NpyFile.Write(path, zeros(3, 4));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("holds 91 data bytes after its header; expected 3 × 4 × 8 = 96", error.Message);
    }

    [Fact]
    public void AWrongMagicIsRefusedNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "text.npy");
        File.WriteAllText(path, "real,fake\n1,2\n3,4\n");

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void AThreeDimensionalShapeIsRefusedNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "cube.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", new byte[64]));

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("has shape (2, 2, 2); expected a 2-D matrix (N, F)", error.Message);
    }

    [Fact]
    public void ABigEndianDtypeIsRefusedNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "big.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (1, 2), }", new byte[16]));

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("has dtype '>f8'; expected '<f8' or '<f4'", error.Message);
    }

    [Fact]
    public void OtherMalformedFilesAreRefusedBeforeAnyAllocation()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "bad.npy");

        string Refusal(byte[] bytes)
        {
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
            Assert.Contains(path, error.Message);
            return error.Message;
        }

        // A shape asking for 8 × 10¹² values in a 96-byte file: refused from the length, nothing allocated.
        Assert.Contains("expected 1000000 × 1000000 × 8", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[16])));
        Assert.Contains("more values than any file can hold", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", [])));
        Assert.Contains("Fortran", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2), }", new byte[16])));
        Assert.Contains("unexpected header key 'extra'", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), 'extra': 1}", new byte[16])));
        Assert.Contains("no 'shape'", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False}", [])));
        Assert.Contains("not the expected dict literal", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2)", new byte[16])));
        Assert.Contains("format version 3.0; expected 1.0 or 2.0", Refusal(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", new byte[16], major: 3)));
        Assert.Contains("is 4 bytes long", Refusal([0x93, (byte)'N', (byte)'U', (byte)'M']));
        var header = NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", []);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 60_000);
        Assert.Contains("declares a 60000-byte header", Refusal(header));
    }

    [Fact]
    public void VersionTwoHeadersAreRead()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "v2.npy");
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 4.5);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -1);
        File.WriteAllBytes(path, NpyBytes("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 1)}", data, major: 2));

        Assert.Equal([4.5, -1], NpyFile.Read(path).data<double>().ToArray());
    }

    [Fact]
    public void WriteRefusesAMatrixThatIsNotTwoDimensional()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<ArgumentException>(() => NpyFile.Write(Path.Combine(folder.Path, "x.npy"), zeros(2, 3, 4)));
        Assert.Contains("matrix [2, 3, 4] must be 2-D", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [DebianPythonFact("numpy")]
    public void NumPyLoadsWhatLatentWrites()
    {
        LatentRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        using var rng = new Generator(72);
        var matrix = randn(123, 17, dtype: ScalarType.Float64, generator: rng);
        string path = Path.Combine(folder.Path, "features.npy");
        NpyFile.Write(path, matrix);

        var result = DebianPython.Run("-c",
            "import sys, numpy; a = numpy.load(sys.argv[1], allow_pickle=False); " +
            "print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'], sep='\\n'); print(repr(float(a[5, 3]))); print(repr(float(a.sum())))",
            path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = result.Stdout.Trim().Split('\n');
        Assert.Equal(["<f8", "(123, 17)", "True"], lines[..3]);
        // repr of a float is the shortest string that round-trips, so the element comes back bit for bit.
        Assert.Equal(matrix[5, 3].item<double>(), double.Parse(lines[3], CultureInfo.InvariantCulture));
        RelativeAssert.Close(matrix.sum().item<double>(), double.Parse(lines[4], CultureInfo.InvariantCulture), 1e-12);
    }

    /// <summary>A .npy file by hand: magic, version, header length, the header padded to 64 bytes with '\n', then the data.</summary>
    private static byte[] NpyBytes(string dict, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int padding = (64 - (prefix + dict.Length + 1) % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        var bytes = new byte[prefix + header.Length + data.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 }.CopyTo(bytes, 0);
        if (major == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(prefix));
        data.CopyTo(bytes, prefix + header.Length);
        return bytes;
    }
}
