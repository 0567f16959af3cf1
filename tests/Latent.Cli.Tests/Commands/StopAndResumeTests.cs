using System.Text.Json;
using Latent.Recipes;
using Latent.Training;

namespace Latent.Cli.Tests.Commands;

/// <summary>
/// Training that can be left running: stopped by a signal, killed outright, resumed. These run the real command in its
/// own process and signal it, as a terminal or a job scheduler would.
/// </summary>
public sealed class StopAndResumeTests : CliTest
{
    private const int SigInt = 2, SigTerm = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>gan8g on one thread: about two thousand steps a second, so a run of 12,000 is long enough to interrupt.</summary>
    private static readonly string[] Gan8g = ["train", "gan8g", "--steps", "12000", "--threads", "1", "--quiet", "--set", "checkpoints.every=250"];

    [Fact]
    public void CtrlCStopsWithACheckpointAndResumingGivesTheSameRunAsNeverStopping()
    {
        Latent([.. Gan8g, "--out", "straight"]).ShouldExitWith(ExitCodes.Success);

        using (var running = LatentProcess.Start(Folder.Path, [.. Gan8g, "--out", "stopped"]))
        {
            WaitForSteps(running, Folder["stopped/metrics.jsonl"], 600);
            running.Signal(SigInt);
            var stopped = running.WaitForExit(Patience).ShouldExitWith(ExitCodes.Interrupted);

            Assert.Contains("Ctrl+C: stopping after this step and writing a checkpoint", stopped.Stderr);
            Assert.Contains(stopped.StdoutLines, l => l.StartsWith("gan8g: stopped after step ", StringComparison.Ordinal));
            Assert.Contains("resume with: latent train --resume stopped", stopped.StdoutLines);
            long step = long.Parse(stopped.StdoutLines.Single(l => l.StartsWith("gan8g: stopped", StringComparison.Ordinal)).Split(' ')[4]);
            Assert.InRange(step, 600, 11999);
            Assert.Contains($"checkpoint: stopped/checkpoints/step-{step:D6}", stopped.StdoutLines);
            Assert.False(File.Exists(Folder["stopped/eval.json"]));
        }

        var resumed = Latent("train", "--resume", "stopped", "--quiet").ShouldExitWith(ExitCodes.Success);

        Assert.Contains(resumed.StdoutLines, l => l.StartsWith("gan8g: steps ", StringComparison.Ordinal) && l.Contains("–12000 in "));
        Assert.Equal(File.ReadAllBytes(Folder["straight/metrics.jsonl"]), File.ReadAllBytes(Folder["stopped/metrics.jsonl"]));
        Assert.Equal(File.ReadAllText(Folder["straight/eval.json"]), File.ReadAllText(Folder["stopped/eval.json"]));
    }

    [Fact]
    public void SigTermStopsTheSameWayAndTheRunCanBeTrainedFurther()
    {
        using (var running = LatentProcess.Start(Folder.Path, [.. Gan8g, "--out", "run"]))
        {
            WaitForSteps(running, Folder["run/metrics.jsonl"], 300);
            running.Signal(SigTerm);
            var stopped = running.WaitForExit(Patience).ShouldExitWith(ExitCodes.Interrupted);
            Assert.Contains("SIGTERM: stopping after this step", stopped.Stderr);
        }

        Latent("train", "--resume", "run", "--steps", "12100", "--quiet").ShouldExitWith(ExitCodes.Success);

        Assert.Equal(12100, File.ReadAllLines(Folder["run/metrics.jsonl"]).Length);
        Assert.Contains("\"steps\": 12100", File.ReadAllText(Folder["run/recipe.json"]));
        Assert.Equal(12100, new CheckpointHistory(Folder["run/checkpoints"]).Latest!.Value.Step);
    }

    [Fact]
    public void ResumeRefusesOptionsThatWouldChangeAStartedRunAndAFinishedRunWithoutMoreSteps()
    {
        Latent("train", "gan1d", "--steps", "30", "--out", "run", "--quiet").ShouldExitWith(ExitCodes.Success);

        AssertBadInput(["train", "--resume", "run", "--seed", "4"], "--seed cannot change a run that has started");
        AssertBadInput(["train", "--resume", "run", "gan1d"], "train --resume takes the run folder");
        AssertBadInput(["train", "--resume", "run"], "has done its 30 steps; pass --steps N with N above 30");
        AssertBadInput(["train", "--resume", "nowhere"], "run folder 'nowhere' does not exist");
        AssertBadInput(["train", "gan1d", "--out", "run"], "already holds a run; resume it with 'latent train --resume run'");
    }

    /// <summary>
    /// The crash test: a training process killed with SIGKILL at random moments, twenty times, resumed each time from
    /// what it left. Every time, the newest checkpoint loads whole and metrics.jsonl holds whole lines, steps 1, 2, 3, ….
    /// </summary>
    [Fact]
    public void AProcessKilledAtRandomMomentsAlwaysLeavesAReadableCheckpointAndWholeMetrics()
    {
        var random = new Random(20261122);
        string run = Folder["run"];
        string[] fresh = ["train", "gan8g", "--steps", "1000000", "--threads", "1", "--quiet", "--out", "run", "--set", "checkpoints.every=40"];
        int resumed = 0, withCheckpoint = 0;
        for (int round = 0; round < 20; round++)
        {
            bool resumable = new CheckpointHistory(Path.Combine(run, RunFolder.CheckpointsFolder)).Latest is not null;
            if (!resumable && Directory.Exists(run))
                Directory.Delete(run, recursive: true); // killed before its first checkpoint: start again
            using (var process = LatentProcess.Start(Folder.Path, resumable ? ["train", "--resume", "run", "--quiet"] : fresh))
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(random.Next(300, 3000)));
                if (process.HasExited)
                    Assert.Fail($"round {round}: the process ended by itself\n{process.WaitForExit(Patience)}");
                process.Crash();
            }
            resumed += resumable ? 1 : 0;

            long lines = AssertWholeConsecutiveLines(Path.Combine(run, RunFolder.MetricsFile), round);
            if (new CheckpointHistory(Path.Combine(run, RunFolder.CheckpointsFolder)).Latest is not { } latest)
                continue;
            withCheckpoint++;
            using (var loaded = RecipeRunner.Load(run))
                Assert.NotEmpty(loaded.Model.Networks);
            using (TorchSharp.torch.NewDisposeScope())
                Assert.Contains("random.global", Checkpoint.LoadState(latest.Folder).Keys);
            Assert.Equal(latest.Step, Checkpoint.ReadInfo(latest.Folder).Step);
            Assert.True(lines >= latest.Step || lines == 0, $"round {round}: metrics.jsonl has {lines} lines, behind checkpoint {latest.Step}");
        }
        Assert.True(withCheckpoint >= 10, $"only {withCheckpoint} of 20 rounds got as far as a checkpoint");
        Assert.True(resumed >= 5, $"only {resumed} of 20 rounds resumed a run");
    }

    /// <summary>Every line of a JSON-lines log parses and their steps run 1, 2, 3, … with none torn or missing.</summary>
    private static long AssertWholeConsecutiveLines(string path, int round)
    {
        if (!File.Exists(path))
            return 0;
        string text = File.ReadAllText(path);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), $"round {round}: {path} ends in a torn line: …{text[^Math.Min(80, text.Length)..]}");
        long expected = 1;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(expected++, document.RootElement.GetProperty("step").GetInt64());
        }
        return expected - 1;
    }

    private static void WaitForSteps(RunningLatent running, string metrics, int steps)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(metrics) || File.ReadLines(metrics).Count() < steps)
        {
            if (running.HasExited)
                Assert.Fail($"latent ended before step {steps}\n{running.WaitForExit(Patience)}");
            Assert.True(clock.Elapsed < Patience, $"no step {steps} in {metrics} after {Patience.TotalSeconds:F0} s");
            Thread.Sleep(20);
        }
    }
}
