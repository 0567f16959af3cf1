using System.Security.Cryptography;

namespace Latent.Cli.Tests;

/// <summary>A fresh, empty folder under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latent-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>The absolute path of <paramref name="relative"/> inside the folder.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>
    /// Every file and folder below this one, by relative path: a file maps to the SHA-256 of its bytes, a folder to "/".
    /// Two equal snapshots mean nothing was created, deleted or changed.
    /// </summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
        {
            string relative = System.IO.Path.GetRelativePath(Path, entry);
            entries[relative] = Directory.Exists(entry) ? "/" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)));
        }
        return entries;
    }

    /// <summary>Copies a folder, with everything in it, to <paramref name="relative"/> inside this one.</summary>
    public string CopyIn(string source, string relative)
    {
        string target = this[relative];
        foreach (string folder in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, folder)));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file)));
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process killed on timeout may still hold a file; the system's temporary folder is cleaned eventually.
        }
    }
}
