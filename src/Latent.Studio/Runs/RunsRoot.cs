namespace Latent.Studio.Runs;

/// <summary>
/// The runs root, read-only: run folders by name and files inside them, with no way out of the root: no <c>..</c>,
/// no absolute or encoded paths, no symbolic link whose target lies outside.
/// </summary>
/// <remarks>
/// Every path a client names is checked twice: its segments by their text (after decoding percent-escapes until
/// nothing changes), then its real location, every symbolic link along it followed, which must lie inside the real
/// location of the root. A name that fails either check is reported as not found, never as an error that shows the
/// file system.
/// </remarks>
internal sealed class RunsRoot
{
    /// <summary>File kinds the studio serves from a run folder; checkpoints and anything else stay on disk.</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".json"] = "application/json; charset=utf-8",
        [".jsonl"] = "application/x-ndjson; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
    };

    public RunsRoot(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The root as given, made absolute.</summary>
    public string Path { get; }

    /// <summary>Names of the run folders (those with a recipe.json), sorted; empty when the root does not exist.</summary>
    public IReadOnlyList<string> RunNames()
    {
        if (!Directory.Exists(Path))
            return [];
        var names = new List<string>();
        foreach (var directory in new DirectoryInfo(Path).EnumerateDirectories())
        {
            if (Folder(directory.Name) is { } folder && System.IO.File.Exists(System.IO.Path.Combine(folder, "recipe.json")))
                names.Add(directory.Name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The run folder of that name, or null when the name is not a plain folder name inside the root.</summary>
    public string? Folder(string name)
    {
        if (!IsPlainSegment(name))
            return null;
        string folder = System.IO.Path.Combine(Path, name);
        return Directory.Exists(folder) && IsInside(folder) ? folder : null;
    }

    /// <summary>A servable file of the run by its path relative to the run folder, with its content type; null when out of bounds.</summary>
    public (string Path, string ContentType)? File(string run, string relative)
    {
        if (Folder(run) is not { } folder || string.IsNullOrEmpty(relative) || relative.Length > 512)
            return null;
        string decoded = FullyDecoded(relative);
        if (decoded.StartsWith('/') || decoded.Contains('\\'))
            return null;
        string[] segments = decoded.Split('/');
        if (segments.Length > 8 || !segments.All(IsPlainSegment))
            return null;
        string path = System.IO.Path.Combine([folder, .. segments]);
        if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out string? contentType))
            return null;
        return System.IO.File.Exists(path) && IsInside(path) ? (path, contentType) : null;
    }

    /// <summary>One file or folder name: not empty, not . or .., no separators, controls or colons.</summary>
    private static bool IsPlainSegment(string segment) =>
        segment.Length is > 0 and <= 255
        && segment != "." && segment != ".."
        && !segment.Any(c => c is '/' or '\\' or ':' || char.IsControl(c))
        && FullyDecoded(segment) == segment;

    /// <summary>Decodes percent-escapes until nothing changes (at most 4 rounds), so %252e%252e is seen as ..</summary>
    private static string FullyDecoded(string text)
    {
        for (int i = 0; i < 4; i++)
        {
            string decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
                return text;
            text = decoded;
        }
        return text;
    }

    /// <summary>Whether the real location of <paramref name="path"/>, every link followed, lies inside the real root.</summary>
    private bool IsInside(string path)
    {
        string? root = RealPath(Path);
        string? real = RealPath(path);
        return root is not null && real is not null
            && real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    /// <summary>The path with every symbolic link along it resolved; null when a link cannot be resolved.</summary>
    internal static string? RealPath(string path, int depth = 0)
    {
        if (depth > 32)
            return null;
        string full = System.IO.Path.GetFullPath(path);
        string current = System.IO.Path.GetPathRoot(full) ?? "/";
        foreach (string segment in full[current.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = System.IO.Path.Combine(current, segment);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null)
                    return null;
                string? resolved = RealPath(target.FullName, depth + 1);
                if (resolved is null)
                    return null;
                next = resolved;
            }
            current = next;
        }
        return current;
    }
}
