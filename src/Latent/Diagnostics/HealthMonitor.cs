using System.Text;
using System.Text.Json;
using Latent.Data.Images;
using Latent.Evaluation.Classifiers;
using Latent.Models;
using Latent.Models.Losses;
using Latent.Recipes;
using Latent.Training;

namespace Latent.Diagnostics;

/// <summary>
/// Watches a GAN's training for the failures of seed 004 — discriminator winning, generator loss collapsing, mode collapse,
/// oscillation, divergence, a Wasserstein critic losing its Lipschitz control — and says in plain words what it sees and
/// the tutorials' fix: as events in <c>health.jsonl</c>, as <see cref="Status"/> for the progress line, as <see cref="Summary"/>.
/// </summary>
/// <remarks>
/// <para>Step detectors (<see cref="IStepDetector"/>) judge each step's figures over sliding windows. Every
/// <see cref="ProbeEvery"/> steps and at the last step, probes measure what the figures cannot show: the diversity of
/// samples (<see cref="DiversityProbe"/>) and a Wasserstein critic's slope (<see cref="CriticSlopeProbe"/>). Probes draw
/// from their own generator and run the networks in evaluation mode, so the run's numbers are the same with or without
/// the monitor.</para>
/// <para>A resumed run (<see cref="TrainingContext.FirstStep"/> &gt; 1) keeps the events of <c>health.jsonl</c> before its
/// first step and drops any after it (the interrupted process's), replays <c>metrics.jsonl</c> up to there through the step
/// detectors so that their windows are as an uninterrupted run's, and takes the issues still open from the log. Probe
/// detectors start with empty histories, so their events may differ from an uninterrupted run's.</para>
/// <para>A VAE is watched for posterior collapse (<see cref="PosteriorCollapseDetector"/>). An autoencoder has nothing here to
/// watch: its monitor has no detectors and writes no log.</para>
/// </remarks>
/// <example>
/// <code>
/// using var health = HealthMonitor.For(built, "runs/gan8g");
/// built.Fit([new MetricsLog("runs/gan8g/metrics.jsonl"), health, new ProgressReporter(Console.Out, live: true, status: () => health.Status)]);
/// Console.WriteLine(health.Summary());
/// </code>
/// </example>
public sealed class HealthMonitor : ITrainingCallback, IDisposable
{
    private readonly List<IStepDetector> _stepDetectors;
    private readonly List<HealthDetector> _detectors;
    private readonly DiversityProbe? _diversity;
    private readonly ModeCollapseDetector? _modeCollapse;
    private readonly CriticSlopeProbe? _slope;
    private readonly LipschitzDetector? _lipschitz;
    private readonly string? _logPath;
    private readonly string? _metricsPath;
    private readonly List<HealthFinding> _events = [];

    /// <summary>Creates a monitor from its parts; <see cref="For"/> picks them for a recipe.</summary>
    /// <param name="stepDetectors">Detectors over each step's figures; each must also be a <see cref="HealthDetector"/>.</param>
    /// <param name="diversity">The sample-diversity probe behind the mode-collapse check; none when null. The monitor takes ownership.</param>
    /// <param name="slope">The critic-slope probe behind the Lipschitz check; none when null.</param>
    /// <param name="probeEvery">Steps between probe readings, at least 1.</param>
    /// <param name="logPath">Where events are written (<c>health.jsonl</c>, created at the start even when no event follows); nowhere when null or without detectors.</param>
    /// <param name="metricsPath">The run's <c>metrics.jsonl</c>, replayed through the step detectors when a run resumes; none when null.</param>
    /// <param name="warmUpSteps">Steps in which the generator is still leaving its initialization: diversity then is no yardstick for a fall (<see cref="ModeCollapseDetector"/>).</param>
    public HealthMonitor(IEnumerable<IStepDetector> stepDetectors, DiversityProbe? diversity = null, CriticSlopeProbe? slope = null,
                         long probeEvery = 100, string? logPath = null, string? metricsPath = null, long warmUpSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(stepDetectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(probeEvery, 1);
        _stepDetectors = [.. stepDetectors];
        _detectors = [];
        foreach (var detector in _stepDetectors)
            _detectors.Add(detector as HealthDetector ?? throw new ArgumentException($"{detector.GetType().Name} is an {nameof(IStepDetector)} but not a {nameof(HealthDetector)}", nameof(stepDetectors)));
        _diversity = diversity;
        if (diversity is not null)
            _detectors.Add(_modeCollapse = new ModeCollapseDetector(warmUpSteps));
        _slope = slope;
        if (slope is not null)
            _detectors.Add(_lipschitz = new LipschitzDetector());
        ProbeEvery = probeEvery;
        _logPath = logPath;
        _metricsPath = metricsPath;
    }

    /// <summary>
    /// The monitor that fits <paramref name="built"/>: for a GAN whose scores are logits, the discriminator, generator-loss,
    /// oscillation and divergence checks; for least squares the same without the discriminator check (its scores are no
    /// probabilities); for Wasserstein and hinge critics, oscillation of the Wasserstein estimate and divergence, and for a
    /// Wasserstein critic the slope probe; for every GAN the diversity probe, with the data set's classifier when one is cached.
    /// A VAE is watched for posterior collapse; an autoencoder is not watched.
    /// </summary>
    /// <param name="built">The run.</param>
    /// <param name="runFolder">Where <c>health.jsonl</c> is written and <c>metrics.jsonl</c> read on resume; nothing is written when null.</param>
    /// <param name="options">Windows and probe sizes; defaults when null.</param>
    /// <param name="classifiers">Where a cached classifier for the run's images is looked for; never trained here (it takes minutes).</param>
    public static HealthMonitor For(BuiltRecipe built, string? runFolder, HealthOptions? options = null, ClassifierStore? classifiers = null)
    {
        ArgumentNullException.ThrowIfNull(built);
        options ??= new HealthOptions();
        string? log = runFolder is null ? null : Path.Combine(runFolder, RunFolder.HealthFile);
        string? metrics = runFolder is null ? null : Path.Combine(runFolder, RunFolder.MetricsFile);
        long probeEvery = options.ProbePeriod(built.Recipe.Steps);
        if (built.Model is VariationalAutoencoder)
            return new HealthMonitor([new PosteriorCollapseDetector(options.StepWindow)], probeEvery: probeEvery, logPath: log, metricsPath: metrics);
        if (built.Model is not Gan gan)
            return new HealthMonitor([], probeEvery: probeEvery, logPath: log, metricsPath: metrics);

        var detectors = new List<IStepDetector>();
        if (gan.Loss.ScoresAreLogits)
            detectors.Add(new DiscriminatorWinningDetector(options.StepWindow));
        if (gan.Loss is MinimaxLoss or NonSaturatingLoss or LeastSquaresLoss)
            detectors.Add(new GeneratorCollapseDetector(options.StepWindow));
        detectors.Add(new OscillationDetector(gan.Loss.ScoresAreLogits, options.OscillationWindow));
        detectors.Add(new DivergenceDetector());

        TrainedClassifier? classifier = null;
        if (classifiers is not null && ImageScorer.Applies(built))
        {
            string key = ImageScorer.ClassifierKey(built.Recipe.Data);
            if (classifiers.Has(key))
                classifier = classifiers.Load(key);
        }
        var diversity = new DiversityProbe(gan, built.Data, built.Recipe.Seed, options.DiversitySampleCount(built.Data is ImageData), classifier);
        var slope = gan.Loss is WassersteinLoss && (gan.Classes == 0 || built.Data is ImageData)
            ? new CriticSlopeProbe(gan, built.Data, built.Recipe.Seed, options.SlopeSamples)
            : null;
        return new HealthMonitor(detectors, diversity, slope, probeEvery, log, metrics, options.WarmUpSteps(built.Recipe.Steps));
    }

    /// <summary>Steps between probe readings.</summary>
    public long ProbeEvery { get; }

    /// <summary>Every detector, step and probe ones.</summary>
    public IReadOnlyList<HealthDetector> Detectors => _detectors;

    /// <summary>The events so far: those a resumed run inherited from its log, then this session's.</summary>
    public IReadOnlyList<HealthFinding> Events => _events;

    /// <summary>A few words for the progress line: <c>ok</c>, or the open issues (<c>D winning, mode collapse</c>).</summary>
    public string Status
    {
        get
        {
            var open = _detectors.Where(d => d.Active).Select(d => HealthIssues.Label(d.Issue)).ToList();
            return open.Count == 0 ? "ok" : string.Join(", ", open);
        }
    }

    /// <summary>What is watched, in words (<c>discriminator winning, …, mode collapse every 100 steps</c>).</summary>
    public string Checks
    {
        get
        {
            if (_detectors.Count == 0)
                return "nothing to check for this model family";
            var names = _detectors.Select(d => HealthIssues.Title(d.Issue)).ToList();
            return "checked: " + string.Join(", ", names) + (_diversity is null && _slope is null ? "" : $"; probes every {ProbeEvery} steps");
        }
    }

    /// <summary>The run's health in plain words: each issue with its steps, numbers and fix (<see cref="HealthSummary"/>).</summary>
    public string Summary() => HealthSummary.Describe(_events, Checks);

    /// <inheritdoc />
    public void OnStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _events.Clear();
        if (_logPath is null || _detectors.Count == 0)
            return; // nothing watched, no log: "no problems found" would claim a check that was not made
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_logPath))!);
        if (context.FirstStep <= 1 || !File.Exists(_logPath))
        {
            RunFolder.WriteAtomically(_logPath, "");
            return;
        }

        // A resumed run: the log up to the resumed step stands; what an interrupted process wrote after it is dropped.
        var kept = HealthLog.Read(_logPath).Where(e => e.Step < context.FirstStep).ToList();
        RunFolder.WriteAtomically(_logPath, string.Concat(kept.Select(e => HealthLog.Line(e) + "\n")));
        Replay(context.FirstStep);
        var open = HealthSummary.Active(kept);
        foreach (var detector in _detectors)
            detector.Restore(open.FirstOrDefault(e => e.Issue == detector.Issue));
        _events.AddRange(kept);
    }

    /// <inheritdoc />
    public void OnStep(TrainingContext context, long step, StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var detector in _stepDetectors)
            Record(detector.Observe(step, metrics));
        if (step % ProbeEvery != 0 && step != context.TotalSteps)
            return;
        if (_diversity is not null)
            Record(_modeCollapse!.Observe(step, _diversity.Measure()));
        if (_slope is not null)
            Record(_lipschitz!.Observe(step, _slope.Measure()));
    }

    /// <inheritdoc />
    public void Dispose() => _diversity?.Dispose();

    private void Record(HealthFinding? finding)
    {
        if (finding is null)
            return;
        _events.Add(finding);
        if (_logPath is not null)
            HealthLog.Append(_logPath, finding);
    }

    /// <summary>Feeds the step detectors the logged figures of the steps before <paramref name="firstStep"/>, discarding their events.</summary>
    private void Replay(long firstStep)
    {
        if (_metricsPath is null || !File.Exists(_metricsPath) || _stepDetectors.Count == 0)
            return;
        using var stream = new FileStream(_metricsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var document = JsonDocument.Parse(line);
            var metrics = new StepMetrics();
            long step = 0;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "step")
                    step = property.Value.GetInt64();
                else
                    metrics.Add(property.Name, property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDouble() : double.NaN);
            }
            if (step >= firstStep)
                break;
            foreach (var detector in _stepDetectors)
                detector.Observe(step, metrics);
        }
    }
}
