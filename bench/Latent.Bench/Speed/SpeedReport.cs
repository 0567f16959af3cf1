using System.Text;

namespace Latent.Bench.Speed;

/// <summary>Everything one <c>speed</c> run measured; serialized to JSON as is.</summary>
internal sealed class SpeedReport
{
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Command { get; set; } = "";
    public DateTime StartedUtc { get; set; }
    public DateTime FinishedUtc { get; set; }
    public double[] LoadAtStart { get; set; } = [];
    public double[] LoadAtEnd { get; set; } = [];
    public int Rounds { get; set; }
    /// <summary>Whether the thread counts took turns within each round (runs before 2026-11-24 timed one thread count's rounds, then the next's).</summary>
    public bool ThreadsInterleaved { get; set; }
    public double SecondsPerWindow { get; set; }
    public string Cpu { get; set; } = "";
    public int Cores { get; set; }
    public string DotNet { get; set; } = "";
    public string TorchSharp { get; set; } = "";
    public string LibTorch { get; set; } = "";
    public string? PyTorch { get; set; }
    public string? PyTorchOpenBlas { get; set; }
    public string Mkl { get; set; } = "";
    public string? MklStock { get; set; }
    public string Malloc { get; set; } = "";
    public string Convolutions { get; set; } = "";
    public string? MallocStock { get; set; }
    public SortedDictionary<int, double> LibTorchSgemm { get; set; } = [];
    public SortedDictionary<int, double> OpenBlasSgemm { get; set; } = [];
    public SortedDictionary<int, double> Fp32Limit { get; set; } = [];
    public SortedDictionary<int, double> ReferenceBlasSgemm { get; set; } = [];
    public List<SpeedRow> Rows { get; set; } = [];
    public List<MemoryGrowth> Memory { get; set; } = [];
    public List<CallbackCost> Callbacks { get; set; } = [];
    public List<TimeToQuality> Quality { get; set; } = [];
}

/// <summary>One workload at one thread count: every window of every way.</summary>
internal sealed class SpeedRow
{
    public string Workload { get; set; } = "";
    public int Threads { get; set; }
    public bool LatentDefault { get; set; }
    public double FlopsPerStep { get; set; }
    public Dictionary<string, List<Measurement>> Windows { get; set; } = [];

    /// <summary>libtorch's 2048² SGEMM (GFLOP/s) measured after the ways of each round, image workloads only.</summary>
    public List<double> SgemmByRound { get; set; } = [];

    public void Add(string way, Measurement m)
    {
        if (!Windows.TryGetValue(way, out var list))
            Windows[way] = list = [];
        list.Add(m);
    }

    /// <summary>Median steps/s of a way, NaN when it did not run.</summary>
    public double Rate(string way) => Windows.TryGetValue(way, out var list) ? Stats.Median(list.Select(m => m.StepsPerSecond)) : double.NaN;

    public double BytesPerStep(string way) => Windows.TryGetValue(way, out var list) ? Stats.Median(list.Select(m => m.BytesPerStep)) : double.NaN;

    /// <summary>
    /// Median over rounds of Latent's GFLOP/s as a share of the SGEMM measured in the same round, in percent; NaN where
    /// no SGEMM was measured per round. The host's load moves both alike, so the share holds where a limit measured
    /// once at the start would not.
    /// </summary>
    public double PercentOfSgemmSameRound()
    {
        if (!Windows.TryGetValue("latent", out var latent) || SgemmByRound.Count != latent.Count || latent.Count == 0)
            return double.NaN;
        return Stats.Median(latent.Zip(SgemmByRound, (m, sgemm) => 100 * m.StepsPerSecond * FlopsPerStep / 1e9 / sgemm));
    }

    /// <summary>Median over rounds of the ratio of two ways measured in the same round.</summary>
    public double Ratio(string way, string other) => Ratio(way, this, other);

    /// <summary>Median over rounds of the ratio of this row's <paramref name="way"/> to <paramref name="row"/>'s <paramref name="other"/>, round by round.</summary>
    public double Ratio(string way, SpeedRow row, string other)
    {
        if (!Windows.TryGetValue(way, out var a) || !row.Windows.TryGetValue(other, out var b))
            return double.NaN;
        return Stats.Median(a.Zip(b, (x, y) => x.StepsPerSecond / y.StepsPerSecond));
    }
}

internal static class SpeedMarkdown
{
    /// <summary>Writes the markdown of the run saved in <paramref name="json"/> to <paramref name="output"/>.</summary>
    public static int Render(string json, string output)
    {
        var report = System.Text.Json.JsonSerializer.Deserialize<SpeedReport>(File.ReadAllText(json), SpeedReport.JsonOptions)
                     ?? throw new InvalidDataException($"{json} holds no speed report");
        File.WriteAllText(output, Write(report));
        Console.WriteLine($"wrote {output} from {json}");
        return 0;
    }

    public static string Write(SpeedReport r)
    {
        var s = new StringBuilder();
        string F(double v, string format = "F1") => double.IsFinite(v) ? v.ToString(format) : "—";
        s.AppendLine("# Speed: Latent beside a bare TorchSharp loop and PyTorch");
        s.AppendLine();
        s.AppendLine($"Generated by `{r.Command.Trim()}` ({r.StartedUtc:yyyy-MM-dd HH:mm}–{r.FinishedUtc:HH:mm} UTC). Do not edit by hand.");
        s.AppendLine();
        s.AppendLine($"- Machine: {r.Cpu}, {r.Cores} cores; load average (1, 5, 15 min) {string.Join(" ", r.LoadAtStart)} at the start, {string.Join(" ", r.LoadAtEnd)} at the end.");
        s.AppendLine($"- Latent: TorchSharp {r.TorchSharp}, libtorch {r.LibTorch} (its bundled MKL/oneDNN), {r.DotNet}.");
        s.AppendLine($"- Latent's process (Latent, fit, bare): {r.Mkl}; {r.Malloc}; convolutions: {r.Convolutions}. The bare-stock process: {r.MklStock ?? "not run"}; {r.MallocStock ?? "not run"}; convolutions: oneDNN as shipped, unchecked (a plain program runs no check).");
        s.AppendLine($"- PyTorch: {r.PyTorch ?? "not run"}; with OpenBLAS: {r.PyTorchOpenBlas ?? "not run"}.");
        s.AppendLine($"- Each figure is the median of {r.Rounds} windows of ≥ {r.SecondsPerWindow} s after warm-up, the ways interleaved within each round (Latent, Latent fit, bare, bare-stock, PyTorch, PyTorch + OpenBLAS){(r.ThreadsInterleaved ? ", and within each round the thread counts in turn" : "")}; ratios are medians of the per-round ratios.");
        s.AppendLine("- **bare-stock** is the bare loop in a process of its own with libtorch's MKL, oneDNN and glibc's malloc as shipped: what a plain TorchSharp program gets, wrong convolutions included where Latent's check finds oneDNN's wrong. **bare** shares Latent's process and its MKL, malloc and convolution choices, so Latent / bare is what Latent's code adds or costs and Latent / bare-stock is what a user gains over writing the loop by hand.");
        s.AppendLine();
        s.AppendLine("SGEMM in the same run (GFLOP/s, float32): ");
        s.AppendLine();
        s.AppendLine("| threads | fp32 limit: the faster of the next two | libtorch `mm` in Latent's process, 2048² | OpenBLAS SkylakeX kernels, 4096² | reference BLAS (Debian's PyTorch default), 512² |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (int t in r.LibTorchSgemm.Keys)
            s.AppendLine($"| {t} | {F(r.Fp32Limit.GetValueOrDefault(t, double.NaN))} | {F(r.LibTorchSgemm[t])} | {F(r.OpenBlasSgemm.GetValueOrDefault(t, double.NaN))} | {F(r.ReferenceBlasSgemm.GetValueOrDefault(t, double.NaN))} |");
        s.AppendLine();
        s.AppendLine("## Steps per second");
        s.AppendLine();
        s.AppendLine("**Latent** is the real path (`RecipeRunner.Train`: run folder, metrics.jsonl, TensorBoard events, checkpoints every 1,000 steps; sample plots off); " +
                     "**fit** is `BuiltRecipe.Fit` with no callbacks; **bare** is the plain TorchSharp loop of bench/Latent.Bench/Bare. " +
                     "★ marks Latent's default thread count (1 for toy data, all cores for images). GFLOP/s is Latent's, from the FLOPs counted in Speed/Flops.cs; \"% of limit\" is of the fp32 limit measured at the start at the same thread count; " +
                     "\"% of SGEMM\" (image workloads) is the median over rounds of Latent's GFLOP/s over libtorch's 2048² SGEMM measured right after the ways of the same round, which the host's load moves alike.");
        s.AppendLine();
        s.AppendLine("| workload | threads | Latent | fit | bare | bare-stock | PyTorch | PyTorch + OpenBLAS | Latent / bare | Latent / bare-stock | Latent / PyTorch + OpenBLAS | GFLOP/s | % of limit | % of SGEMM, same round | managed B/step Latent / bare |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in r.Rows)
        {
            double latent = row.Rate("latent");
            double gflops = latent * row.FlopsPerStep / 1e9;
            double limit = r.Fp32Limit.GetValueOrDefault(row.Threads, double.NaN);
            string rate(string way) => F(row.Rate(way), row.Rate(way) >= 100 ? "F0" : "F2");
            s.AppendLine($"| `{row.Workload}` | {row.Threads}{(row.LatentDefault ? " ★" : "")} | {rate("latent")} | {rate("fit")} | {rate("bare")} | {rate("bare-stock")} | {rate("pytorch")} | {rate("openblas")} | " +
                         $"{F(row.Ratio("latent", "bare"), "F2")} | {F(row.Ratio("latent", "bare-stock"), "F2")} | {F(row.Ratio("latent", "openblas"), "F2")} | {F(gflops, gflops >= 10 ? "F1" : "F2")} | {F(100 * gflops / limit)} | {F(row.PercentOfSgemmSameRound())} | {F(row.BytesPerStep("latent"), "F0")} / {F(row.BytesPerStep("bare"), "F0")} |");
        }
        s.AppendLine();
        s.AppendLine("## Latent at its defaults against the others at theirs");
        s.AppendLine();
        s.AppendLine("The issue's targets: Latent ≥ 1.0× the bare loop everywhere, ≥ 1.3× on the toys through choices a plain loop does not make (its default is all cores), and ahead of PyTorch + OpenBLAS. " +
                     "Each ratio compares Latent at its default thread count with the other at all cores and, in brackets, with the other at its best thread count: " +
                     (r.ThreadsInterleaved
                         ? "the median of the per-round ratios (the thread counts take turns within each round, as the ways do)."
                         : "at equal thread counts the median of the per-round ratios, otherwise the ratio of the medians."));
        s.AppendLine();
        s.AppendLine("| workload | Latent (★) | bare, all cores [best] | Latent / bare | bare-stock, all cores [best] | Latent / bare-stock | PyTorch + OpenBLAS, all cores [best] | Latent / PyTorch + OpenBLAS |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var group in r.Rows.GroupBy(x => x.Workload))
        {
            var mine = group.FirstOrDefault(x => x.LatentDefault);
            var all = group.FirstOrDefault(x => x.Threads == r.Cores);
            if (mine is null || all is null)
                continue;
            double latent = mine.Rate("latent");
            // The median of per-round ratios, as in the table above (robust to drift between rounds), wherever the rounds
            // line up: always at the same thread count, and across thread counts when those took turns within each round.
            double RatioTo(SpeedRow other, string way) =>
                other == mine || r.ThreadsInterleaved ? mine.Ratio("latent", other, way) : latent / other.Rate(way);
            string Versus(string way)
            {
                var best = group.MaxBy(x => x.Rate(way)) ?? all;
                return $"{F(all.Rate(way))} [{F(best.Rate(way))}] | {F(RatioTo(all, way), "F2")} [{F(RatioTo(best, way), "F2")}]";
            }
            s.AppendLine($"| `{group.Key}` | {F(latent)} | {Versus("bare")} | {Versus("bare-stock")} | {Versus("openblas")} |");
        }
        if (r.Callbacks.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## What the run folder costs per step");
            s.AppendLine();
            s.AppendLine("Each writer timed alone on the workload's real figures (20,000 calls after 1,000 warm-up calls; a checkpoint: median of 5 saves), beside Latent's own step time at its default threads.");
            s.AppendLine();
            s.AppendLine("| workload | Latent step (µs) | metrics.jsonl (µs/step) | TensorBoard scalars (µs/step) | checkpoint (ms, every N steps) | all three, % of a step |");
            s.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var c in r.Callbacks)
            {
                double step = 1e6 / (r.Rows.FirstOrDefault(x => x.Workload == c.Workload && x.LatentDefault)?.Rate("latent") ?? double.NaN);
                double all = c.MetricsLogMicroseconds + c.TensorBoardMicroseconds + c.CheckpointMicrosecondsPerStep;
                s.AppendLine($"| `{c.Workload}` | {F(step, "F0")} | {c.MetricsLogMicroseconds:F1} | {c.TensorBoardMicroseconds:F1} | {c.CheckpointMilliseconds:F1} every {c.CheckpointEvery} | {F(100 * all / step)}% |");
            }
        }
        if (r.Memory.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Resident memory (real path, default threads)");
            s.AppendLine();
            s.AppendLine("| workload | RSS at step 1,000 | RSS at step 10,000 | growth | live tensors at 1k / 10k |");
            s.AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var m in r.Memory)
                s.AppendLine($"| `{m.Workload}` | {m.ResidentAt1k / 1048576.0:F1} MiB | {m.ResidentAt10k / 1048576.0:F1} MiB | {m.GrowthPercent:+0.00;-0.00;0.00}% | {m.LiveTensorsAt1k} / {m.LiveTensorsAt10k} |");
        }
        if (r.Quality.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Time to quality (Latent's preset, seed 0, default threads; checks excluded from the time)");
            s.AppendLine();
            s.AppendLine("| workload | target | seconds of training | at step | figures there (or best reached) | steps tried |");
            s.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var q in r.Quality)
                s.AppendLine($"| `{q.Workload}` | {q.Target} | {(q.Seconds is { } sec ? sec.ToString("F1") : "not reached")} | {q.Step?.ToString() ?? "—"} | {q.Best} | {q.StepsTried} |");
        }
        return s.ToString();
    }
}
