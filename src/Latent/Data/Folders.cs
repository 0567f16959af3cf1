namespace Latent.Data;

/// <summary>Folder chores shared by what stages a folder and renames it into place (data sets, classifiers, checkpoints).</summary>
internal static class Folders
{
    /// <summary>
    /// Deletes <paramref name="folder"/> and everything in it when it exists, and leaves it when that fails: the stores
    /// only delete staging and replaced folders, whose names start with a dot and never count as installed, and remove
    /// leftovers on a later save.
    /// </summary>
    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
