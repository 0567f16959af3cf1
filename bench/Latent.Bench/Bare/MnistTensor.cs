using static TorchSharp.torch;

namespace Latent.Bench.Bare;

/// <summary>The MNIST training images as one float tensor (60000, 1, 28, 28) in [0, 1], read plainly from the IDX file.</summary>
internal static class MnistTensor
{
    public static string Folder => Environment.GetEnvironmentVariable("LATENT_DATA") is { } root
        ? Path.Combine(root, "mnist")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "latent", "data", "mnist");

    public static Tensor TrainImages()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, "train-images-idx3-ubyte"));
        const int header = 16, count = 60_000, pixels = 28 * 28;
        if (bytes.Length != header + count * pixels)
            throw new InvalidDataException($"{Folder}/train-images-idx3-ubyte has {bytes.Length} bytes; expected {header + count * pixels}");
        using var raw = tensor(bytes[header..], uint8);
        return raw.reshape(count, 1, 28, 28).to(float32).div_(255);
    }
}

/// <summary>An epoch-shuffled stream of batch indices, as a plain loop draws them.</summary>
internal sealed class ShuffledBatches(long count, int batch)
{
    private Tensor? _order;
    private long _at;

    public Tensor Next()
    {
        if (_order is null || _at + batch > count)
        {
            _order?.Dispose();
            _order = randperm(count).DetachFromDisposeScope();
            _at = 0;
        }
        var indices = _order.narrow(0, _at, batch);
        _at += batch;
        return indices;
    }
}
