using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Latent.Recipes;
using Latent.Runtime;
using Latent.Serialization;

namespace Latent.Cli.Tests.Commands;

[Collection(TrainedRunsCollection.Name)]
public sealed class ExportCommandTests(TrainedRuns runs) : CliTest
{
    [Fact]
    public void AGanRunExportsItsEmaGeneratorIntoTheRunsExportFolder()
    {
        string run = Folder.CopyIn(runs.Gan1d.Folder, "run1");

        var result = Latent("export", run).ShouldExitWith(ExitCodes.Success);

        string file = Path.Combine(run, "export", "generator_ema.safetensors");
        Assert.True(File.Exists(file), $"no {file}\n{result}");
        var (tensors, metadata) = ReadHeader(file);
        // gan1d's generator is an MLP 1-64-1: two linear layers.
        Assert.Equal(["layers.linear0.bias", "layers.linear0.weight", "layers.linear1.bias", "layers.linear1.weight"], tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([64L, 1], tensors["layers.linear0.weight"].Shape);
        Assert.Equal("F32", tensors["layers.linear0.weight"].DType);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("gan1d", metadata["recipe"]);
        Assert.Equal("gan", metadata["family"]);
        Assert.Equal("generator_ema", metadata["network"]);
        Assert.Equal("Mlp", metadata["architecture"]);
        Assert.Equal("1", metadata["latent_dim"]);
        Assert.Equal("[1]", metadata["data_shape"]);
        Assert.Equal("gan1d", JsonDocument.Parse(metadata["recipe_json"]).RootElement.GetProperty("name").GetString());
        Assert.Equal($"wrote generator_ema of gan1d (Mlp, 4 tensors, 193 parameters) to {file}", result.StdoutLines.Single());
    }

    [Fact]
    public void TheExportedWeightsAreTheRunsOwnBitForBit()
    {
        Latent("export", runs.Gan1d.Folder, "--out", "g.safetensors").ShouldExitWith(ExitCodes.Success);

        LatentRuntime.EnsureLoaded();
        using var run = RecipeRunner.Load(runs.Gan1d.Folder);
        using var file = SafeTensorsFile.Open(Folder["g.safetensors"]);
        var state = run.Model.Networks["generator_ema"].state_dict();
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (name, expected) in state)
        {
            using var read = file.Read(name);
            Assert.True(expected.bytes.SequenceEqual(read.bytes), $"'{name}' differs from the run's generator_ema");
        }
    }

    [Fact]
    public void AGanWithoutEmaExportsItsGenerator()
    {
        var result = Latent("export", runs.Ring.Folder, "--out", "ring.safetensors").ShouldExitWith(ExitCodes.Success);

        var (tensors, metadata) = ReadHeader(Folder["ring.safetensors"]);
        Assert.Equal("generator", metadata["network"]);
        Assert.Equal([128L, 2], tensors["layers.linear0.weight"].Shape);
        Assert.Equal([2L, 128], tensors["layers.linear1.weight"].Shape);
        Assert.Contains("wrote generator of wgangp8g", result.Stdout);
    }

    [Fact]
    public void AnAutoencoderExportsItsDecoder()
    {
        Latent("export", runs.Autoencoder.Folder, "--out", "out/decoder.safetensors").ShouldExitWith(ExitCodes.Success);

        var (tensors, metadata) = ReadHeader(Folder["out/decoder.safetensors"]);
        Assert.Equal("decoder", metadata["network"]);
        Assert.Equal("autoencoder", metadata["family"]);
        Assert.Equal("1", metadata["latent_dim"]);
        Assert.Equal([4L, 1], tensors["layers.linear0.weight"].Shape); // ae2d's decoder: 1-4-2
    }

    [Fact]
    public void NetworkChoosesAnyOfTheRunsNetworks()
    {
        var result = Latent("export", runs.Ring.Folder, "--network", "discriminator", "--out", "d.safetensors").ShouldExitWith(ExitCodes.Success);

        var (tensors, metadata) = ReadHeader(Folder["d.safetensors"]);
        Assert.Equal("discriminator", metadata["network"]);
        Assert.NotEmpty(tensors);
        Assert.Contains("wrote discriminator of wgangp8g", result.Stdout);
    }

    [Fact]
    public void AnUnknownNetworkIsBadInputListingTheRunsNetworks()
    {
        AssertBadInput(["export", runs.Ring.Folder, "--network", "critic"], "--network critic", "generator", "discriminator");
    }

    [Fact]
    public void AFolderThatIsNotARunIsBadInput()
    {
        Directory.CreateDirectory(Folder["empty"]);

        AssertBadInput(["export", "empty"], "'empty' is not a run folder");
    }

    [Fact]
    public void AMissingRunIsBadInput()
    {
        AssertBadInput(["export", "missing-run"], "'missing-run'", "does not exist");
    }

    [Fact]
    public void AnUnknownFormatIsBadInput()
    {
        AssertBadInput(["export", runs.Ring.Folder, "--format", "onnx", "--out", "x.onnx"], "--format onnx", "expected safetensors");
    }

    [Fact]
    public void OutAtAFolderIsBadInput()
    {
        Directory.CreateDirectory(Folder["weights"]);

        AssertBadInput(["export", runs.Ring.Folder, "--out", "weights"], "--out weights", "is a folder");
    }

    [Fact]
    public void HelpOfExportMentionsItsOptions()
    {
        var result = Latent("export", "--help").ShouldExitWith(ExitCodes.Success);

        Assert.Contains("--format", result.Stdout);
        Assert.Contains("--out FILE", result.Stdout);
        Assert.Contains("--network NAME", result.Stdout);
        Assert.Contains("load_state_dict", result.Stdout);
    }

    /// <summary>The tensors and metadata of a safetensors file, read with nothing but System.Text.Json (not the library's reader).</summary>
    private static (Dictionary<string, (string DType, long[] Shape)> Tensors, Dictionary<string, string> Metadata) ReadHeader(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, length));
        var tensors = new Dictionary<string, (string, long[])>();
        var metadata = new Dictionary<string, string>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var item in entry.Value.EnumerateObject())
                    metadata[item.Name] = item.Value.GetString()!;
                continue;
            }
            tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!,
                                   entry.Value.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()).ToArray());
        }
        return (tensors, metadata);
    }
}
