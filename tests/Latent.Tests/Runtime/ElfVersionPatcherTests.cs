using Latent.Runtime;

namespace Latent.Tests.Runtime;

public class ElfVersionPatcherTests
{
    [Fact]
    public void MarksTheRequirementWeakAndOnlyThatOne()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] original = File.ReadAllBytes(shim);
        byte[] bytes = (byte[])original.Clone();

        var result = ElfVersionPatcher.MarkVersionWeak(bytes, "GLIBCXX_3.4.32", out string? problem);

        Assert.Null(problem);
        Assert.Equal(ElfVersionPatcher.Result.Patched, result);
        int[] changed = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != original[i]).ToArray();
        Assert.Single(changed);
        Assert.Equal(original[changed[0]] | 0x2, bytes[changed[0]]);
        // A second pass finds the flag already set.
        Assert.Equal(ElfVersionPatcher.Result.AlreadyWeak, ElfVersionPatcher.MarkVersionWeak(bytes, "GLIBCXX_3.4.32", out _));
        Assert.Equal(ElfVersionPatcher.Result.VersionNotRequired, ElfVersionPatcher.MarkVersionWeak(bytes, "GLIBCXX_9.9.9", out _));
    }

    [Fact]
    public void TruncatedOrForeignFilesAreReportedNotThrown()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] truncated = File.ReadAllBytes(shim).AsSpan(0, 4096).ToArray();

        Assert.Equal(ElfVersionPatcher.Result.NotPatchable, ElfVersionPatcher.MarkVersionWeak(truncated, "GLIBCXX_3.4.32", out string? problem));
        Assert.Contains("outside the file", problem);
        Assert.Equal(ElfVersionPatcher.Result.NotPatchable, ElfVersionPatcher.MarkVersionWeak("#!/bin/sh\n"u8.ToArray().Concat(new byte[64]).ToArray(), "GLIBCXX_3.4.32", out problem));
        Assert.Equal("not an ELF file", problem);
    }
}
