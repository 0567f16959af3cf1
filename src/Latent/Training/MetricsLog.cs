using System.Text;

namespace Latent.Training;

/// <summary>
/// Appends one JSON object per step to a file (<c>metrics.jsonl</c>): <c>{"step": 1, "d_loss": 1.38, …}</c>.
/// </summary>
/// <remarks>
/// Values are written with round-trip precision, so two runs with the same seed give byte-identical files;
/// nothing that varies between runs (time, throughput) is written. Non-finite values are written as null.
/// </remarks>
public sealed class MetricsLog : ITrainingCallback, IDisposable
{
    private readonly string _path;
    private StreamWriter? _writer;

    /// <summary>Logs to <paramref name="path"/>; a new run replaces the file, a resumed run appends to it.</summary>
    public MetricsLog(string path)
    {
        _path = path;
    }

    /// <inheritdoc />
    public void OnStart(TrainingContext context)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        _writer = new StreamWriter(_path, append: context.FirstStep > 1, new UTF8Encoding(false));
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics) => _writer!.WriteLine(JsonLine.Of(step, metrics.Values));

    /// <inheritdoc />
    public void OnEnd(TrainingContext context, bool completed) => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
