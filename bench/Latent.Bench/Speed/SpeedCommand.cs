using System.Globalization;
using System.Text.Json;
using Latent.Runtime;

namespace Latent.Bench.Speed;

/// <summary>
/// <c>speed</c>: every workload of WORKLOADS.md timed six ways, interleaved round by round (Latent's real path,
/// Latent's <c>Fit</c> alone, a bare TorchSharp loop in Latent's process and in a stock one, PyTorch with Debian's BLAS,
/// PyTorch with OpenBLAS), the thread counts in turn within each round; then SGEMM rates, resident memory over 10k steps and time to quality; writes RESULTS.md and JSON.
/// </summary>
internal static class SpeedCommand
{
    public const string Usage =
        "speed [--quick] [--workloads a,b] [--threads 1,2] [--rounds 5] [--seconds 2] [--ways latent,fit,bare,bare-stock,pytorch,openblas(,no-tensorboard,no-checkpoints,libtorch-convolutions,autograd)]\n" +
        "      [--no-memory] [--no-quality] [--out bench/RESULTS.md] [--json bench/results/speed.json]";

    private static readonly string[] AllWays = ["latent", "fit", "bare", "bare-stock", "pytorch", "openblas", "no-tensorboard", "no-checkpoints", "libtorch-convolutions", "autograd", "bare-channels-last"];
    private static readonly string[] DefaultWays = ["latent", "fit", "bare", "bare-stock", "pytorch", "openblas"];

    public static int Run(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.CurrentCulture = culture;
        bool quick = args.Contains("--quick");
        var workloads = (quick ? Workload.Quick : Workload.All.Select(w => w.Name)).ToList();
        var threads = new List<int> { 1, Environment.ProcessorCount };
        int rounds = quick ? 3 : 5;
        double seconds = quick ? 0.6 : 2.0;
        var ways = DefaultWays.ToList();
        bool memory = true, quality = !quick;
        string repository = FindRepository();
        string output = Path.Combine(repository, "bench", quick ? "RESULTS-quick.md" : "RESULTS.md");
        string json = Path.Combine(repository, "bench", "results", quick ? "speed-quick.json" : "speed.json");
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": break;
                case "--workloads": workloads = Value().Split(',').ToList(); break;
                case "--threads": threads = Value().Split(',').Select(int.Parse).ToList(); break;
                case "--rounds": rounds = int.Parse(Value()); break;
                case "--seconds": seconds = double.Parse(Value(), culture); break;
                case "--ways": ways = Value().Split(',').ToList(); break;
                case "--no-memory": memory = false; break;
                case "--no-quality": quality = false; break;
                case "--out": output = Value(); break;
                case "--json": json = Value(); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}\nusage: {Usage}"); return 2;
            }
        }
        foreach (string way in ways)
        {
            if (!AllWays.Contains(way))
                throw new ArgumentException($"--ways: unknown '{way}'; expected some of {string.Join(", ", AllWays)}");
        }
        threads = threads.Distinct().ToList();
        var log = Console.Out;
        var report = new SpeedReport
        {
            Command = "dotnet run -c Release --project bench/Latent.Bench -- speed " + string.Join(' ', args.Skip(1)),
            ThreadsInterleaved = true, StartedUtc = DateTime.UtcNow, LoadAtStart = Machine.LoadAverage(), Rounds = rounds, SecondsPerWindow = seconds,
            Cpu = Machine.CpuModel(), Cores = Environment.ProcessorCount, DotNet = Machine.DotNet,
            TorchSharp = Machine.TorchSharpVersion, LibTorch = Machine.LibTorchVersion(repository),
        };
        log.WriteLine($"speed: {string.Join(", ", workloads)}; threads {string.Join(",", threads)}; {rounds} rounds of {seconds} s; load {string.Join(" ", report.LoadAtStart)}");
        LatentRuntime.EnsureLoaded();

        string scripts = Path.Combine(repository, "bench", "pytorch");
        string mnist = Bare.MnistTensor.Folder;
        using var reference = ways.Contains("pytorch") && PyTorchWorker.Available ? new PyTorchWorker("pytorch", scripts, mnist, openBlas: false, null) : null;
        using var openBlas = ways.Contains("openblas") && PyTorchWorker.Available && PyTorchWorker.OpenBlasInstalled
            ? new PyTorchWorker("openblas", scripts, mnist, openBlas: true, coreType: "SkylakeX") : null;
        using var stock = ways.Contains("bare-stock") ? new StockBareWorker() : null;
        report.Mkl = LatentRuntime.MklStatus;
        report.Malloc = LatentRuntime.MallocStatus;
        // Latent checks oneDNN when it first builds a conv net, and may turn it off for the whole process; checked here,
        // before any way runs, the bare loop takes the same convolutions as Latent whichever way runs first.
        report.Convolutions = LatentRuntime.OneDnnStatus;
        if (reference is not null)
            report.PyTorch = Describe(reference.Ask(new { cmd = "info" }));
        if (openBlas is not null)
            report.PyTorchOpenBlas = Describe(openBlas.Ask(new { cmd = "info" }));

        foreach (int t in threads)
        {
            report.LibTorchSgemm[t] = Machine.LibTorchSgemm(t, 2048);
            if (openBlas is not null)
                report.OpenBlasSgemm[t] = openBlas.Sgemm(t, 4096);
            // The fastest float32 product measured here stands for the machine's limit (no BLAS beats its own peak).
            report.Fp32Limit[t] = Math.Max(report.LibTorchSgemm[t], report.OpenBlasSgemm.GetValueOrDefault(t, 0));
            if (reference is not null)
                report.ReferenceBlasSgemm[t] = reference.Sgemm(t, 512);
            log.WriteLine($"SGEMM at {t} thread(s): libtorch {report.LibTorchSgemm[t]:F1} GFLOP/s, OpenBLAS SkylakeX {report.OpenBlasSgemm.GetValueOrDefault(t, double.NaN):F1}, reference BLAS {report.ReferenceBlasSgemm.GetValueOrDefault(t, double.NaN):F1}");
        }

        foreach (string name in workloads)
        {
            var workload = Workload.Get(name);
            var rows = threads.Select(t => new SpeedRow { Workload = name, Threads = t, FlopsPerStep = Flops.PerStep(name), LatentDefault = workload.Toy ? t == 1 : t == Environment.ProcessorCount }).ToList();
            // The thread counts take turns within each round, as the ways do, so that Latent at its default thread count
            // and the others at their best are compared within a round too: the host's slow and fast periods last minutes.
            for (int round = 0; round < rounds; round++)
            {
                foreach (var row in rows)
                {
                    int t = row.Threads;
                    var budget = new Budget(t, seconds, workload.Warmup, workload.MinSteps);
                    foreach (string way in ways)
                    {
                        Measurement? m = way switch
                        {
                            "latent" => LatentRunner.Run(name, budget),
                            "fit" => LatentRunner.Fit(name, budget),
                            "no-tensorboard" => LatentRunner.Run(name, budget, r => r with { Logging = r.Logging with { Tensorboard = false } }),
                            "no-checkpoints" => LatentRunner.Run(name, budget, r => r with { Checkpoints = r.Checkpoints with { Every = 0 } }),
                            "libtorch-convolutions" => Workload.Get(name).Toy ? null : LatentRunner.WithoutOneGemm(name, budget),
                            "autograd" => LatentRunner.WithAutograd(name, budget),
                            "bare" => BareRunner.Run(name, budget),
                            "bare-stock" => stock?.Run(name, budget),
                            "bare-channels-last" => name.Contains("dcgan") ? BareRunner.Run(name, budget, channelsLast: true) : null,
                            "pytorch" => reference?.Run(name, budget),
                            "openblas" => openBlas?.Run(name, budget),
                            _ => null,
                        };
                        if (m is null)
                            continue;
                        row.Add(way, m);
                        log.WriteLine($"  {name} t{t} r{round} {way,-8} {m.StepsPerSecond,9:F2} steps/s{(double.IsFinite(m.BytesPerStep) ? $"  {m.BytesPerStep,8:F0} B/step" : "")}");
                    }
                    if (!workload.Toy)
                    {
                        // The share of the machine's speed an image step reaches, against a product timed in the same round.
                        row.SgemmByRound.Add(Machine.LibTorchSgemm(t, 2048));
                        log.WriteLine($"  {name} t{t} r{round} SGEMM    {row.SgemmByRound[^1],9:F1} GFLOP/s");
                    }
                }
            }
            report.Rows.AddRange(rows);
        }

        foreach (string name in workloads.Where(n => !quick && (Workload.Get(n).Toy || n == "mnist-gan-mlp")))
        {
            var cost = CallbackCost.Measure(name);
            report.Callbacks.Add(cost);
            log.WriteLine($"  callbacks {name}: metrics.jsonl {cost.MetricsLogMicroseconds:F1} µs/step, TensorBoard scalars {cost.TensorBoardMicroseconds:F1} µs/step, checkpoint {cost.CheckpointMilliseconds:F1} ms every {cost.CheckpointEvery} steps");
        }
        if (memory)
        {
            // --quick: the first toy only (10,000 steps of wgangp8g alone take a minute).
            foreach (string name in workloads.Where(n => Workload.Get(n).Toy).Take(quick ? 1 : int.MaxValue))
            {
                var growth = MemoryGrowth.Measure(name, 1_000, 10_000);
                report.Memory.Add(growth);
                log.WriteLine($"  memory {name}: RSS {growth.ResidentAt1k / 1e6:F1} MB at 1k, {growth.ResidentAt10k / 1e6:F1} MB at 10k ({growth.GrowthPercent:+0.00;-0.00;0.00}%); live tensors {growth.LiveTensorsAt1k} / {growth.LiveTensorsAt10k}");
            }
        }
        if (quality)
        {
            if (workloads.Contains("wgangp8g"))
            {
                report.Quality.Add(Quality.Measure("wgangp8g", checkEvery: 250, maxSteps: 10_000, log));
                // The share WGAN-GP is published with on the 8-mode ring (GDPP: 6.8 modes, 60%; WORKLOADS.md).
                report.Quality.Add(Quality.Measure("wgangp8g", checkEvery: 250, maxSteps: 10_000, log, highQuality: 0.6));
            }
            if (workloads.Contains("gan1d"))
                report.Quality.Add(Quality.Measure("gan1d", checkEvery: 100, maxSteps: 4_000, log));
            // The preset's 2 epochs (1,876 steps) score 10.49 with 10,000 samples (README); 2,000 samples keep a check to seconds.
            if (workloads.Contains("mnist-dcgan"))
                report.Quality.Add(Quality.MeasureFid("mnist-dcgan", fid: 15, samples: 2_000, checkEvery: 250, maxSteps: 1_876, log));
        }
        report.MklStock = stock?.MklStatus;
        report.MallocStock = stock?.MallocStatus;
        report.LoadAtEnd = Machine.LoadAverage();
        report.FinishedUtc = DateTime.UtcNow;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
        File.WriteAllText(json, JsonSerializer.Serialize(report, SpeedReport.JsonOptions));
        string markdown = SpeedMarkdown.Write(report);
        File.WriteAllText(output, markdown);
        log.WriteLine();
        log.Write(markdown);
        log.WriteLine($"wrote {output} and {json}");
        return 0;
    }

    private static string Describe(System.Text.Json.Nodes.JsonObject info) =>
        $"PyTorch {info["torch"]}, Python {info["python"]}, BLAS {string.Join(" + ", info["blas"]!.AsArray().Select(b => Path.GetFileName(b!.GetValue<string>())))}" +
        (info["openblas_coretype"]?.GetValue<string>() is { Length: > 0 } core ? $" (OPENBLAS_CORETYPE={core})" : "");

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Latent.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException("run from inside the Latent repository (no Latent.sln found above the current folder)");
    }
}
