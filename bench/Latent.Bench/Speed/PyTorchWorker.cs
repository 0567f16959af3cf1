using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Bench.Speed;

/// <summary>
/// One long-lived <c>bench/pytorch/speed_worker.py</c> under Debian's Python: torch is imported once, and each
/// request builds and times a workload. <see cref="OpenBlas"/> selects OpenBLAS through <c>LD_LIBRARY_PATH</c>.
/// </summary>
internal sealed class PyTorchWorker : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string OpenBlasFolder = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    private readonly Process _process;

    public PyTorchWorker(string label, string scriptFolder, string mnistFolder, bool openBlas, string? coreType)
    {
        Label = label;
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
            WorkingDirectory = scriptFolder,
        };
        start.ArgumentList.Add(Path.Combine(scriptFolder, "speed_worker.py"));
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(mnistFolder);
        start.Environment.Remove("OPENBLAS_CORETYPE");
        if (openBlas)
        {
            start.Environment["LD_LIBRARY_PATH"] = OpenBlasFolder;
            if (coreType is not null)
                start.Environment["OPENBLAS_CORETYPE"] = coreType;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Python}");
    }

    public string Label { get; }

    public static bool Available => File.Exists(Python);

    public static bool OpenBlasInstalled => File.Exists(Path.Combine(OpenBlasFolder, "libblas.so.3"));

    public JsonObject Ask(object request)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"{Label}: the PyTorch worker exited");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["error"] is { } error)
            throw new InvalidOperationException($"{Label}: {error}");
        return answer;
    }

    public Measurement Run(string workload, Budget budget)
    {
        var answer = Ask(new { cmd = "run", workload, threads = budget.Threads, warmup = budget.Warmup, seconds = budget.Seconds, min_steps = budget.MinSteps, seed = 0 });
        return new Measurement(answer["steps"]!.GetValue<long>(), answer["seconds"]!.GetValue<double>());
    }

    public double Sgemm(int threads, int n) => Ask(new { cmd = "sgemm", threads, n })["gflops"]!.GetValue<double>();

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
                _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
