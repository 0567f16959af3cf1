using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Latent.Training;

/// <summary>
/// Reports training progress: a live line rewritten in place on a terminal, or plain periodic lines otherwise (logs, CI).
/// </summary>
/// <remarks>Each report shows the step, throughput in steps per second, the time left, the run's health when a status is
/// given (<c>health ok</c>, <c>health D winning</c>) and the step's main figures.</remarks>
public sealed class ProgressReporter : ITrainingCallback
{
    private readonly TextWriter _output;
    private readonly bool _live;
    private readonly long _lineEvery;
    private readonly string[] _shown;
    private readonly Func<string>? _status;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastDraw;
    private long _stepsAtStart;

    /// <summary>Creates the reporter.</summary>
    /// <param name="output">Where to write (normally standard output).</param>
    /// <param name="live">Rewrite one line in place (a terminal); false for one line every <paramref name="lineEvery"/> steps.</param>
    /// <param name="lineEvery">Steps between plain lines; default: a tenth of the run.</param>
    /// <param name="shown">Names of the figures to show; all of them when null.</param>
    /// <param name="status">The run's health in a few words (<c>Diagnostics.HealthMonitor.Status</c>), read at each report; none when null.
    /// Put the monitor before the reporter among the callbacks, so that the status is the current step's.</param>
    public ProgressReporter(TextWriter output, bool live, long? lineEvery = null, IEnumerable<string>? shown = null, Func<string>? status = null)
    {
        _output = output;
        _live = live;
        _lineEvery = lineEvery ?? 0;
        _shown = shown?.ToArray() ?? [];
        _status = status;
    }

    /// <inheritdoc />
    public void OnStart(TrainingContext context)
    {
        _stepsAtStart = context.FirstStep - 1;
        _clock.Restart();
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        bool last = step == context.TotalSteps;
        if (_live)
        {
            // Redraw at most ten times a second: a terminal write costs more than a toy step.
            if (!last && _clock.Elapsed - _lastDraw < TimeSpan.FromMilliseconds(100))
                return;
            _lastDraw = _clock.Elapsed;
            // A line wider than the terminal wraps, and "\r" then redraws only its last row: clip it.
            string line = Describe(context, step, metrics);
            int width = TerminalWidth();
            if (line.Length > width)
                line = line[..width];
            _output.Write("\r" + line + "\u001b[K");
            if (last)
                _output.WriteLine();
        }
        else
        {
            long every = _lineEvery > 0 ? _lineEvery : Math.Max(1, context.TotalSteps / 10);
            if (step % every == 0 || last)
                _output.WriteLine(Describe(context, step, metrics));
        }
        _output.Flush();
    }

    /// <inheritdoc />
    public void OnEnd(TrainingContext context, bool completed)
    {
        if (_live && !completed)
            _output.WriteLine();
    }

    private string Describe(TrainingContext context, long step, StepMetrics metrics)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? (step - _stepsAtStart) / seconds : 0;
        var text = new StringBuilder();
        int width = context.TotalSteps.ToString(CultureInfo.InvariantCulture).Length;
        text.Append(CultureInfo.InvariantCulture, $"step {step.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{context.TotalSteps}");
        text.Append(CultureInfo.InvariantCulture, $"  {rate,7:F1} steps/s");
        if (rate > 0 && step < context.TotalSteps)
            text.Append("  eta ").Append(FormatDuration((context.TotalSteps - step) / rate));
        // Before the figures: a live line is clipped at the terminal's width, and the health is the part not to lose.
        if (_status is not null)
            text.Append("  health ").Append(_status());
        foreach (var (name, value) in metrics.Values)
        {
            if (_shown.Length > 0 && !_shown.Contains(name))
                continue;
            text.Append(CultureInfo.InvariantCulture, $"  {name} {value:G4}");
        }
        return text.ToString();
    }

    private static int TerminalWidth()
    {
        try
        {
            return Math.Max(20, Console.WindowWidth - 1);
        }
        catch (IOException)
        {
            return 119;
        }
    }

    private static string FormatDuration(double seconds) =>
        seconds < 60 ? $"{seconds:F0}s" : seconds < 3600 ? $"{(int)(seconds / 60)}m{(int)(seconds % 60):D2}s" : $"{(int)(seconds / 3600)}h{(int)(seconds % 3600 / 60):D2}m";
}
