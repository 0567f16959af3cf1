namespace Latent.Tests;

/// <summary>
/// Tests that turn a process-wide switch off and on (<c>WrittenOutBackward.Enabled</c>, <c>Convolution2d.AllowOneGemm</c>):
/// xUnit runs this collection alone, after the parallel ones, so no other test's training takes the other path for the
/// steps the switch is off (the same updates up to rounding, which a chaotic run such as the mode-collapse diagnosis
/// test would amplify).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessSwitchesCollection
{
    public const string Name = "process switches";
}
