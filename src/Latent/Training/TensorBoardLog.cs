using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using Google.Protobuf;
using Tensorboard;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// Writes a run's figures as TensorBoard event files, so that <c>tensorboard --logdir runs</c> shows Latent's runs:
/// each step's figures as scalars <c>train/NAME</c>, evaluations as <c>eval/NAME</c>, sample pictures under
/// <c>samples</c>, and on request histograms of the weights under <c>weights/NETWORK/PARAMETER</c>.
/// </summary>
/// <remarks>
/// <para>
/// An event file is a sequence of records: the data's length (u64, little-endian), the masked CRC-32C of those 8 bytes,
/// the data (a serialized <c>tensorboard.Event</c> protocol buffer), and the masked CRC-32C of the data. The events are
/// TorchSharp's own protocol-buffer types (<c>Tensorboard.Event</c>, <c>Summary</c>) and histograms are built by
/// TorchSharp's <c>torch.utils.tensorboard.Summary.histogram</c>; only the record framing is written here, because
/// TorchSharp's <c>SummaryWriter</c> (0.107) cannot serve a training loop: its <c>add_img</c> needs SkiaSharp's native
/// library, which is not shipped for Linux, it reopens the file for every value (about 40 µs each, as long as a toy
/// training step), it stamps the first event with <c>DateTime.Now.Ticks</c> as seconds and the others with whole seconds,
/// and it takes the step as an <c>int</c>.
/// </para>
/// <para>
/// Every <see cref="Trainer.Fit"/> opens a new file in the folder. When it continues a run (its first step is past 1),
/// the file starts with a <c>SessionLog.START</c> event at that step, by which TensorBoard discards what older files
/// recorded from that step on (steps a crashed run took after its last checkpoint), and shows the continuation.
/// </para>
/// <para>
/// The log only reads: figures, weights, and pictures made by <see cref="TensorBoardOptions.SampleImage"/>, so a run's
/// numbers are the same with or without it. Wall times make the files differ from run to run; <c>metrics.jsonl</c>
/// (<see cref="MetricsLog"/>) is the exact record.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer([new MetricsLog("runs/ring/metrics.jsonl"), new TensorBoardLog("runs/ring/tensorboard")]);
/// trainer.Fit(gan, batches, steps: 3000);
/// // then: tensorboard --logdir runs
/// </code>
/// </example>
public sealed class TensorBoardLog : ITrainingCallback, IDisposable
{
    private static int _filesOpened;
    private readonly TensorBoardOptions _options;
    private readonly Stopwatch _sinceFlush = new();
    private FileStream? _file;
    private long _scalarsEvery;
    private long _firstStep;

    /// <summary>Logs into <paramref name="folder"/>, created when training starts.</summary>
    /// <param name="folder">The run's TensorBoard folder (<c>runs/NAME/tensorboard</c>); TensorBoard shows each folder as one run.</param>
    /// <param name="options">What to write and how often; training scalars only, at the automatic interval, when null.</param>
    public TensorBoardLog(string folder, TensorBoardOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = folder;
        _options = options ?? new TensorBoardOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ScalarsEvery, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.HistogramsEvery, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ImagesEvery, nameof(options));
    }

    /// <summary>The folder the event files go to.</summary>
    public string Folder { get; }

    /// <summary>The event file being written; null before training starts and after it ends.</summary>
    public string? CurrentFile => _file?.Name;

    /// <summary>
    /// The steps between training scalars that <paramref name="options"/> give for a run of <paramref name="totalSteps"/>:
    /// <see cref="TensorBoardOptions.ScalarsEvery"/>, or when that is 0, ⌈steps / <see cref="TensorBoardOptions.AutomaticScalarPoints"/>⌉.
    /// </summary>
    public static long ScalarInterval(TensorBoardOptions options, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ScalarsEvery > 0 ? options.ScalarsEvery : Math.Max(1, (totalSteps + TensorBoardOptions.AutomaticScalarPoints - 1) / TensorBoardOptions.AutomaticScalarPoints);
    }

    /// <inheritdoc />
    public void OnStart(TrainingContext context)
    {
        Dispose();
        Directory.CreateDirectory(Folder);
        // TensorBoard reads a folder's event files in name order: the zero-padded time sorts a continuation after its run.
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string name = $"events.out.tfevents.{seconds:D10}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _filesOpened)}";
        _file = new FileStream(Path.Combine(Folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        _scalarsEvery = ScalarInterval(_options, context.TotalSteps);
        _firstStep = context.FirstStep;
        Write(new Event { WallTime = WallTime(), FileVersion = "brain.Event:2" });
        if (context.FirstStep > 1)
            Write(new Event { WallTime = WallTime(), Step = context.FirstStep, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });
        else if (_options.Description is { } description)
            Write(new Event { WallTime = WallTime(), Step = 0, Summary = TorchSharp.torch.utils.tensorboard.Summary.text("recipe", description) });
        Flush();
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        bool last = step == context.TotalSteps;
        if (step % _scalarsEvery == 0 || step == _firstStep || last)
            WriteScalars(step, "train", metrics.Values);
        if (_options.Evaluations?.Invoke(step) is { Count: > 0 } evaluations)
            WriteScalars(step, "eval", evaluations);
        if (_options.SampleImage is { } sampleImage && ((_options.ImagesEvery > 0 && step % _options.ImagesEvery == 0) || last)
            && sampleImage(step) is { } png)
            WriteImage(step, "samples", png);
        if (_options.HistogramsEvery > 0 && (step % _options.HistogramsEvery == 0 || last))
            WriteHistograms(step, context.Model.Networks);
        if (_sinceFlush.Elapsed > TimeSpan.FromSeconds(2) || last)
            Flush();
    }

    /// <inheritdoc />
    public void OnEnd(TrainingContext context, bool completed) => Dispose();

    /// <summary>Writes figures as scalars <c>PREFIX/NAME</c> at <paramref name="step"/>, in one event; non-finite figures are left out.</summary>
    /// <exception cref="InvalidOperationException">Training has not started (no file is open).</exception>
    public void WriteScalars(long step, string prefix, IEnumerable<KeyValuePair<string, double>> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var summary = new Summary();
        foreach (var (name, value) in figures)
        {
            if (double.IsFinite(value))
                summary.Value.Add(new Summary.Types.Value { Tag = $"{prefix}/{name}", SimpleValue = (float)value });
        }
        if (summary.Value.Count > 0)
            Write(new Event { WallTime = WallTime(), Step = step, Summary = summary });
    }

    /// <summary>Writes a PNG picture under <paramref name="tag"/> at <paramref name="step"/>; TensorBoard shows it as it is.</summary>
    /// <exception cref="ArgumentException"><paramref name="png"/> is not a PNG file.</exception>
    /// <exception cref="InvalidOperationException">Training has not started (no file is open).</exception>
    public void WriteImage(long step, string tag, byte[] png)
    {
        var (width, height, channels) = PngHeader(png);
        var image = new Summary.Types.Image { Width = width, Height = height, Colorspace = channels, EncodedImageString = ByteString.CopyFrom(png) };
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value { Tag = tag, Image = image });
        Write(new Event { WallTime = WallTime(), Step = step, Summary = summary });
    }

    /// <summary>Writes a histogram of every parameter of every network at <paramref name="step"/>, tagged <c>weights/NETWORK/PARAMETER</c>.</summary>
    /// <exception cref="InvalidOperationException">Training has not started (no file is open).</exception>
    public void WriteHistograms(long step, IReadOnlyDictionary<string, TorchSharp.torch.nn.Module> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var summary = new Summary();
        foreach (var (network, module) in networks)
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                var values = parameter.detach().cpu().to(float64).reshape(-1);
                if (values.numel() == 0 || !isfinite(values).all().item<bool>())
                    continue;
                double low = values.min().item<double>(), high = values.max().item<double>();
                if (!(high > low))
                {
                    // All values equal (a bias still at its initial zero): bins over a unit range around them.
                    low -= 0.5;
                    high += 0.5;
                }
                var edges = linspace(low, high, HistogramBins + 1, dtype: float64);
                summary.Value.Add(TorchSharp.torch.utils.tensorboard.Summary.histogram($"weights/{network}/{name}", values, edges).Value[0]);
            }
        }
        if (summary.Value.Count > 0)
            Write(new Event { WallTime = WallTime(), Step = step, Summary = summary });
    }

    /// <summary>Writes what is buffered to the file, for a TensorBoard that is watching.</summary>
    public void Flush()
    {
        _file?.Flush();
        _sinceFlush.Restart();
    }

    /// <summary>Closes the current file; the next <see cref="OnStart"/> opens another.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Equal-width bins of a weight histogram; TensorBoard draws them re-binned to its own 30.</summary>
    private const int HistogramBins = 64;

    private static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private void Write(Event record)
    {
        var file = _file ?? throw new InvalidOperationException("the TensorBoard log is not open: training has not started, or has ended");
        byte[] data = record.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        file.Write(header);
        file.Write(data);
        file.Write(footer);
    }

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits plus a constant, so that a CRC of CRCs is not trivially valid.</summary>
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++)
            crc = BitOperations.Crc32C(crc, data[i]);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>Width, height and TensorBoard's colour space (1 grey, 2 grey and alpha, 3 RGB, 4 RGBA) from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height, int Channels) PngHeader(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 26 || !png.AsSpan(0, 8).SequenceEqual(signature) || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            throw new ArgumentException("not a PNG file (no PNG signature and IHDR chunk)", nameof(png));
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        int channels = png[25] switch { 0 => 1, 4 => 2, 6 => 4, _ => 3 }; // grey, grey+alpha, RGBA; RGB and palette
        return (width, height, channels);
    }
}
