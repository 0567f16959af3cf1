using static TorchSharp.torch;

namespace Latent.Tests.Nets;

/// <summary>
/// Runs libtorch on one thread until disposed, then restores the count. The learning tests' convolutions are tiny, so
/// OpenMP's synchronisation outweighs a second thread (by 10–30× when other processes share the cores).
/// </summary>
internal sealed class SingleThread : IDisposable
{
    private readonly int previous = get_num_threads();

    public SingleThread() => set_num_threads(1);

    public void Dispose() => set_num_threads(previous);
}
