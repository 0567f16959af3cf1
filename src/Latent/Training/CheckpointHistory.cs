using System.Globalization;
using System.Text.Json;

namespace Latent.Training;

/// <summary>
/// The checkpoints of one run in a folder: <c>step-000500/</c>, <c>step-001000/</c>, …, the last <see cref="KeepLast"/>
/// kept, and the best by a chosen figure recorded in <c>best.json</c> and kept as well.
/// </summary>
/// <remarks>
/// A checkpoint is written into a hidden staging folder and renamed into place as a whole, so a crash at any instant
/// leaves only whole checkpoints under their names; staging left by a crash is deleted by the next save.
/// </remarks>
public sealed class CheckpointHistory
{
    private const string Prefix = "step-";
    private const string StagingPrefix = ".staging-";
    private const string BestFile = "best.json";

    /// <summary>Manages the checkpoints under <paramref name="root"/>.</summary>
    /// <param name="root">The folder of the run's checkpoints; created by the first save.</param>
    /// <param name="keepLast">How many of the most recent checkpoints to keep; at least 1.</param>
    public CheckpointHistory(string root, int keepLast = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        Root = root;
        KeepLast = keepLast;
    }

    /// <summary>The folder of the checkpoints.</summary>
    public string Root { get; }

    /// <summary>How many of the most recent checkpoints are kept.</summary>
    public int KeepLast { get; }

    /// <summary>The folder the checkpoint of <paramref name="step"/> has (or would have).</summary>
    public string PathOf(long step) => Path.Combine(Root, Prefix + step.ToString("D6", CultureInfo.InvariantCulture));

    /// <summary>The whole checkpoints, oldest first.</summary>
    public IReadOnlyList<(long Step, string Folder)> List()
    {
        if (!Directory.Exists(Root))
            return [];
        var found = new List<(long, string)>();
        foreach (string folder in Directory.EnumerateDirectories(Root, Prefix + "*"))
        {
            if (long.TryParse(Path.GetFileName(folder)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                found.Add((step, folder));
        }
        return [.. found.OrderBy(f => f.Item1)];
    }

    /// <summary>The most recent checkpoint, or null when there is none.</summary>
    public (long Step, string Folder)? Latest => List() is [.., var last] ? last : null;

    /// <summary>
    /// Writes the checkpoint of <paramref name="step"/>: <paramref name="write"/> fills a staging folder, which then
    /// replaces any checkpoint of the same step; older checkpoints beyond <see cref="KeepLast"/> are deleted, except the best.
    /// </summary>
    /// <returns>The checkpoint's folder.</returns>
    public string Save(long step, Action<string> write)
    {
        Directory.CreateDirectory(Root);
        foreach (string stale in Directory.EnumerateDirectories(Root, StagingPrefix + "*"))
            Data.Folders.TryDelete(stale);
        string staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));
        string target = PathOf(step);
        try
        {
            write(staging);
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true); // the same step saved again (a resumed run that stops where it started)
            Directory.Move(staging, target);
        }
        catch
        {
            Data.Folders.TryDelete(staging);
            throw;
        }
        Prune();
        return target;
    }

    /// <summary>The best checkpoint so far by a figure, or null when none was recorded.</summary>
    /// <exception cref="InvalidDataException"><c>best.json</c> is malformed.</exception>
    public BestCheckpoint? Best
    {
        get
        {
            string path = Path.Combine(Root, BestFile);
            if (!File.Exists(path))
                return null;
            try
            {
                return JsonSerializer.Deserialize<BestCheckpoint>(File.ReadAllText(path), BestJson)
                       ?? throw new InvalidDataException($"{path} is empty");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a best-checkpoint record: {e.Message}", e);
            }
        }
    }

    /// <summary>Records <paramref name="best"/> as the best checkpoint (it is then never pruned).</summary>
    public void RecordBest(BestCheckpoint best)
    {
        Directory.CreateDirectory(Root);
        string path = Path.Combine(Root, BestFile);
        Imaging.AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, best, BestJson));
        Prune();
    }

    /// <summary>Deletes the checkpoints after <paramref name="step"/> (a resumed run going back to an earlier checkpoint).</summary>
    public void DeleteAfter(long step)
    {
        foreach (var (later, folder) in List().Where(c => c.Step > step))
            Directory.Delete(folder, recursive: true);
        if (Best is { } best && best.Step > step)
            File.Delete(Path.Combine(Root, BestFile));
    }

    private void Prune()
    {
        var all = List();
        long? best = Best?.Step;
        foreach (var (step, folder) in all.Take(Math.Max(0, all.Count - KeepLast)))
        {
            if (step != best)
                Data.Folders.TryDelete(folder);
        }
    }

    private static readonly JsonSerializerOptions BestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
}

/// <summary>The best checkpoint by a figure.</summary>
/// <param name="Step">Its step (its folder is <see cref="CheckpointHistory.PathOf"/>).</param>
/// <param name="Figure">The figure that ranks checkpoints.</param>
/// <param name="Value">The figure's value at that step.</param>
public sealed record BestCheckpoint(long Step, string Figure, double Value);
