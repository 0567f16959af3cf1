using System.Text;

namespace Latent.Training;

/// <summary>
/// Appends one JSON object per step to a file (<c>metrics.jsonl</c>): <c>{"step": 1, "d_loss": 1.38, …}</c>.
/// </summary>
/// <remarks>
/// Values are written with round-trip precision, so two runs with the same seed give byte-identical files;
/// nothing that varies between runs (time, throughput) is written. Non-finite values are written as null.
/// Each line goes to the file in one write, so a process killed at any instant leaves whole lines only.
/// </remarks>
public sealed class MetricsLog : ITrainingCallback, IDisposable
{
    private readonly string _path;
    private FileStream? _file;

    /// <summary>Logs to <paramref name="path"/>; a new run replaces the file, a resumed run appends to it.</summary>
    public MetricsLog(string path)
    {
        _path = path;
    }

    /// <inheritdoc />
    public void OnStart(TrainingContext context)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        // No buffer: every line is one write(2), whole or not at all when the process dies.
        _file = new FileStream(_path, context.FirstStep > 1 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics) =>
        _file!.Write(Encoding.UTF8.GetBytes(JsonLine.Of(step, metrics.Values) + "\n"));

    /// <inheritdoc />
    public void OnEnd(TrainingContext context, bool completed) => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
