namespace Latent.Imaging;

/// <summary>Writes a file under a temporary name in the target's folder and renames it over the target only once complete.</summary>
/// <remarks>
/// The rename is atomic on one file system, so a reader sees either the old file or the whole new one, and
/// a crash or an exception part-way leaves the target as it was (the temporary file is removed on an exception).
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="writeContent"/> writes.</summary>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"path \"{path}\" names a root folder; expected a file path", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"cannot write \"{fullPath}\": folder \"{folder}\" does not exist");

        // A hidden name in the same folder keeps the rename on one file system, which is what makes it atomic.
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                // Reach the disk before the rename, so a power loss cannot leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static void TryDelete(string temporaryPath)
    {
        try
        {
            File.Delete(temporaryPath);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
