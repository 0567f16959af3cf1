using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace Latent.Training;

/// <summary>
/// Appends one JSON object per step to a file (<c>metrics.jsonl</c>): <c>{"step": 1, "d_loss": 1.38, …}</c>.
/// </summary>
/// <remarks>
/// <para>Values are written with round-trip precision, so two runs with the same seed give byte-identical files;
/// nothing that varies between runs (time, throughput) is written. Non-finite values are written as null.</para>
/// <para>Lines are collected and written together, whole, in one write at least every <see cref="FlushInterval"/>
/// (so a live reader such as <c>latent studio</c> lags by at most that), when <see cref="Flush"/> is called (before
/// every checkpoint) and at the end. A process killed at any instant leaves whole lines only, and every line up to
/// its last checkpoint. One write per step would cost more than a toy network's step: a system call here costs
/// about 25 µs of the steps around it.</para>
/// </remarks>
public sealed class MetricsLog : ITrainingCallback, IDisposable
{
    /// <summary>The longest time a finished step's line waits before it is written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(0.5);

    private const int FlushBytes = 1 << 16;
    private readonly string _path;
    private readonly ArrayBufferWriter<byte> _pending = new(FlushBytes);
    private readonly Stopwatch _sinceFlush = new();
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
        // No FileStream buffer: each Flush is one write(2) of whole lines.
        _file = new FileStream(_path, context.FirstStep > 1 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _sinceFlush.Restart();
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        Encoding.UTF8.GetBytes(JsonLine.Of(step, metrics.Values), _pending);
        _pending.Write("\n"u8);
        if (_pending.WrittenCount >= FlushBytes || _sinceFlush.Elapsed >= FlushInterval)
            Flush();
    }

    /// <summary>Writes the lines collected so far, in one write.</summary>
    public void Flush()
    {
        if (_file is not null && _pending.WrittenCount > 0)
            _file.Write(_pending.WrittenSpan);
        _pending.ResetWrittenCount();
        _sinceFlush.Restart();
    }

    /// <inheritdoc />
    public void OnEnd(TrainingContext context, bool completed) => Dispose();

    /// <summary>Writes what is pending and closes the file.</summary>
    public void Dispose()
    {
        Flush();
        _file?.Dispose();
        _file = null;
    }
}
