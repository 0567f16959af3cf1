using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Latent.Bench.Speed;

/// <summary>
/// One long-lived <c>bench/pytorch/speed_worker.py</c> under Debian's Python: torch is imported once, and each
/// request builds and times a workload. <c>openBlas</c> selects OpenBLAS through <c>LD_LIBRARY_PATH</c>.
/// </summary>
internal sealed class PyTorchWorker : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string OpenBlasFolder = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    private readonly JsonLineChild _child;

    public PyTorchWorker(string label, string scriptFolder, string mnistFolder, bool openBlas, string? coreType)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardError = false, WorkingDirectory = scriptFolder };
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
        _child = new JsonLineChild(label, start);
    }

    public string Label => _child.Label;

    public static bool Available => File.Exists(Python);

    public static bool OpenBlasInstalled => File.Exists(Path.Combine(OpenBlasFolder, "libblas.so.3"));

    public JsonObject Ask(object request) => _child.Ask(request);

    public Measurement Run(string workload, Budget budget)
    {
        var answer = Ask(new { cmd = "run", workload, threads = budget.Threads, warmup = budget.Warmup, seconds = budget.Seconds, min_steps = budget.MinSteps, seed = 0 });
        return new Measurement(answer["steps"]!.GetValue<long>(), answer["seconds"]!.GetValue<double>());
    }

    public double Sgemm(int threads, int n) => Ask(new { cmd = "sgemm", threads, n })["gflops"]!.GetValue<double>();

    public void Dispose() => _child.Dispose();
}
