using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using static TorchSharp.torch;

namespace Latent.Studio.Live;

/// <summary>
/// One live panel's training, on a thread of its own: the model is built, trained and read only on that thread, and
/// frames (JSON) leave it at a steady rate through a one-slot channel that the page's event stream drains.
/// </summary>
/// <remarks>
/// <para>Controls (play, pause, step, speed, learning rates) and questions to the model (encode this pattern) are
/// queued and run on the session's thread between steps, so no tensor is ever touched by two threads.</para>
/// <para>Each training step and each frame runs inside its own dispose scope; when the session ends (its page went
/// away, it was stopped, or it failed) the model, its optimizers and its data are disposed on the same thread, and
/// the thread ends. A failure becomes a last frame <c>{"error": …}</c>.</para>
/// </remarks>
internal abstract class LiveSession : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Channel<string> _frames = Channel.CreateBounded<string>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = true,
    });
    private Thread? _thread;
    private int _attached;
    private string? _lastFrame;
    private bool _changed = true;
    private int _pendingSteps;
    private bool _ended;

    protected LiveSession(string kind) => Kind = kind;

    /// <summary>The panel this session trains: <c>modes</c>, <c>arena</c> or <c>patterns</c>.</summary>
    public string Kind { get; }

    /// <summary>The id the page uses for its stream and its controls.</summary>
    public string Id { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    /// <summary>Training steps taken.</summary>
    public long Step { get; private set; }

    /// <summary>Whether training runs continuously; otherwise it waits for single steps.</summary>
    public bool Playing { get; private set; }

    /// <summary>Training steps per frame while playing; 1 in slow motion.</summary>
    public int StepsPerFrame { get; private set; } = 5;

    /// <summary>Slow motion: one step per frame, at <see cref="SlowFramesPerSecond"/>.</summary>
    public bool SlowMotion { get; private set; }

    /// <summary>Frames per second at normal speed.</summary>
    public const double FramesPerSecond = 10;

    /// <summary>Frames per second in slow motion.</summary>
    public const double SlowFramesPerSecond = 2;

    /// <summary>The message of the failure that ended the session, if one did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Set when the session has ended and disposed its model.</summary>
    public Task Finished => _finished.Task;

    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the session's thread.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"latent-studio-{Kind}-{Id}" };
        _thread.Start();
    }

    /// <summary>Claims the session's frames for one event stream; false when another stream has them.</summary>
    public bool Attach() => Interlocked.Exchange(ref _attached, 1) == 0;

    /// <summary>Whether an event stream has claimed the frames.</summary>
    public bool IsAttached => Volatile.Read(ref _attached) == 1;

    /// <summary>The frames, newest only: a slow reader skips frames rather than queueing them.</summary>
    public ChannelReader<string> Frames => _frames.Reader;

    /// <summary>Asks the session to end; it disposes its model on its own thread.</summary>
    public void Stop()
    {
        if (!_stop.IsCancellationRequested)
            _stop.Cancel();
        _wake.Release();
    }

    /// <summary>Queues a change of controls; it takes effect before the next step.</summary>
    public void Control(bool? playing = null, int? singleSteps = null, int? stepsPerFrame = null, bool? slowMotion = null, Action? apply = null)
    {
        Enqueue(() =>
        {
            if (Volatile.Read(ref _ended))
                return;
            if (playing is { } play)
                Playing = play;
            if (singleSteps is { } steps)
                _pendingSteps += steps;
            if (stepsPerFrame is { } perFrame)
                StepsPerFrame = perFrame;
            if (slowMotion is { } slow)
                SlowMotion = slow;
            apply?.Invoke();
            _changed = true;
        });
    }

    /// <summary>Runs <paramref name="question"/> on the session's thread between steps and returns its answer.</summary>
    public Task<T> Ask<T>(Func<T> question)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            if (Volatile.Read(ref _ended))
            {
                answer.TrySetException(new InvalidOperationException("the session has ended"));
                return;
            }
            try
            {
                using var scope = NewDisposeScope();
                answer.TrySetResult(question());
            }
            catch (Exception e)
            {
                answer.TrySetException(e);
            }
        });
        // A question queued after the session's last look at its queue is answered here.
        if (Volatile.Read(ref _ended) && _finished.Task.IsCompleted)
            answer.TrySetException(new InvalidOperationException("the session has ended"));
        return answer.Task;
    }

    private void Enqueue(Action command)
    {
        _commands.Enqueue(command);
        _wake.Release();
    }

    /// <summary>Builds the model and data, on the session's thread; temporaries belong in a scope of its own.</summary>
    protected abstract void Build();

    /// <summary>One training step; the caller holds a dispose scope around it.</summary>
    protected abstract void TrainStep();

    /// <summary>Writes the frame's own fields (the base writes step, playing and the like); the caller holds a dispose scope.</summary>
    protected abstract void WriteFrame(Utf8JsonWriter json);

    /// <summary>Disposes the model, optimizers and data.</summary>
    protected abstract void DisposeModel();

    private void Run()
    {
        var token = _stop.Token;
        try
        {
            // libtorch must be loaded by Latent (which repairs its shim where needed) before any TorchSharp call.
            Latent.Runtime.LatentRuntime.EnsureLoaded();
            Build(); // not in a scope: the model's parameters and the session's fixed tensors live until DisposeModel
            var clock = Stopwatch.StartNew();
            double nextFrame = 0;
            while (!token.IsCancellationRequested)
            {
                // Controls and questions are taken at once; training and frames keep the frame clock.
                while (_commands.TryDequeue(out var command))
                    command();
                if (clock.Elapsed.TotalMilliseconds >= nextFrame)
                {
                    TrainAndPublish(token);
                    double interval = 1000 / (SlowMotion ? SlowFramesPerSecond : FramesPerSecond);
                    nextFrame = Math.Max(nextFrame + interval, clock.Elapsed.TotalMilliseconds);
                }
                double wait = nextFrame - clock.Elapsed.TotalMilliseconds;
                if (wait > 0 && _commands.IsEmpty)
                    _wake.Wait(TimeSpan.FromMilliseconds(wait));
            }
        }
        catch (Exception e)
        {
            Failure = $"{Kind} session failed at step {Step}: {e.Message}";
            _frames.Writer.TryWrite(JsonSerializer.Serialize(new Dictionary<string, object> { ["error"] = Failure, ["step"] = Step }));
        }
        finally
        {
            Volatile.Write(ref _ended, true);
            try
            {
                DisposeModel();
            }
            catch (Exception e)
            {
                // Nothing may escape a thread (it would end the process); the session is over either way.
                Failure ??= $"{Kind} session could not free its model: {e.Message}";
            }
            _frames.Writer.TryComplete();
            // Questions still queued are answered with an error (they no longer touch the model) rather than left waiting.
            while (_commands.TryDequeue(out var command))
                command();
            _finished.TrySetResult();
        }
    }

    /// <summary>The steps of one frame (while playing, or the single steps asked for), then the frame itself.</summary>
    private void TrainAndPublish(CancellationToken token)
    {
        int steps = Playing ? (SlowMotion ? 1 : StepsPerFrame) : Math.Min(_pendingSteps, 50);
        if (!Playing)
            _pendingSteps -= steps;
        for (int i = 0; i < steps && !token.IsCancellationRequested; i++)
        {
            using var scope = NewDisposeScope();
            TrainStep();
            Step++;
            _changed = true;
        }
        // A paused, unchanged session repeats its last frame instead of computing it again.
        if (_changed || _lastFrame is null)
        {
            using var scope = NewDisposeScope();
            _lastFrame = Frame();
            _changed = false;
        }
        _frames.Writer.TryWrite(_lastFrame);
    }

    private string Frame()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteNumber("step", Step);
            json.WriteBoolean("playing", Playing);
            json.WriteNumber("steps_per_frame", StepsPerFrame);
            json.WriteBoolean("slow_motion", SlowMotion);
            WriteFrame(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes an array of numbers rounded to <paramref name="decimals"/>, to keep frames small.</summary>
    protected static void WriteRounded(Utf8JsonWriter json, string name, ReadOnlySpan<float> values, int decimals = 3)
    {
        json.WriteStartArray(name);
        foreach (float value in values)
        {
            if (float.IsFinite(value))
                json.WriteNumberValue(Math.Round((double)value, decimals));
            else
                json.WriteNullValue();
        }
        json.WriteEndArray();
    }

    /// <summary>Writes a figure, or null when it is not finite.</summary>
    protected static void WriteFigure(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, Math.Round(value, 6));
        else
            json.WriteNull(name);
    }

    /// <inheritdoc />
    public void Dispose() => Stop(); // the thread disposes the model; the token source lives as long as the object
}
