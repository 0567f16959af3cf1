namespace Latent.Tests.Training;

/// <summary>
/// Tests that count every live native tensor of the process (<c>torch.Tensor.TotalCount</c>): xUnit runs this
/// collection alone, after the parallel ones, so no other test's tensors come and go during the count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native memory";
}
