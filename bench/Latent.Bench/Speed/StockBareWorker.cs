using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Bench.Speed;

/// <summary>
/// The way <c>bare-stock</c>: the bare TorchSharp loop in a process of its own where libtorch's MKL and glibc's malloc are
/// left as shipped (<c>LATENT_MKL_DISPATCH=vendor</c>, <c>LATENT_MALLOC=glibc</c>), which is what a plain TorchSharp
/// program gets; it runs no oneDNN check either, so its convolutions are oneDNN's, wrong or not. The bare loop in the
/// bench's own process shares Latent's choices (all three are process-wide), so it measures what Latent's code adds;
/// this one measures what a user gains over writing the loop by hand.
/// </summary>
/// <remarks>One long-lived child, <c>Latent.Bench bare-worker</c>, asked one JSON line per window, like <see cref="PyTorchWorker"/>.</remarks>
internal sealed class StockBareWorker : IDisposable
{
    private readonly JsonLineChild _child;

    public StockBareWorker()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet");
        // Under `dotnet Latent.Bench.dll` the process is the host and the assembly comes first; as an apphost it is the bench itself.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(typeof(StockBareWorker).Assembly.Location);
        start.ArgumentList.Add("bare-worker");
        start.Environment["LATENT_MKL_DISPATCH"] = "vendor";
        start.Environment["LATENT_MALLOC"] = "glibc";
        _child = new JsonLineChild("bare-stock", start);
    }

    /// <summary>How the child's MKL chooses its kernels, as it reported with its last measurement.</summary>
    public string? MklStatus { get; private set; }

    /// <summary>How the child's malloc treats large blocks, as it reported with its last measurement.</summary>
    public string? MallocStatus { get; private set; }

    public Measurement Run(string workload, Budget budget)
    {
        var answer = _child.Ask(new { workload, threads = budget.Threads, warmup = budget.Warmup, seconds = budget.Seconds, min_steps = budget.MinSteps });
        MklStatus = answer["mkl"]!.GetValue<string>();
        MallocStatus = answer["malloc"]!.GetValue<string>();
        return new Measurement(answer["steps"]!.GetValue<long>(), answer["seconds"]!.GetValue<double>(), answer["bytes"]!.GetValue<double>());
    }

    /// <summary>The child's side: answers each request line with one measurement line until its input closes.</summary>
    public static int Serve(TextReader input, TextWriter output)
    {
        while (input.ReadLine() is { } line)
        {
            string reply;
            try
            {
                var request = JsonNode.Parse(line)!.AsObject();
                var budget = new Budget(request["threads"]!.GetValue<int>(), request["seconds"]!.GetValue<double>(),
                                        request["warmup"]!.GetValue<int>(), request["min_steps"]!.GetValue<int>());
                var m = BareRunner.Run(request["workload"]!.GetValue<string>(), budget);
                reply = JsonSerializer.Serialize(new { steps = m.Steps, seconds = m.Seconds, bytes = m.AllocatedBytes, mkl = Runtime.LatentRuntime.MklStatus,
                                                   malloc = Runtime.LatentRuntime.MallocStatus });
            }
            catch (Exception e)
            {
                reply = JsonSerializer.Serialize(new { error = e.Message });
            }
            output.WriteLine(reply);
            output.Flush();
        }
        return 0;
    }

    public void Dispose() => _child.Dispose();
}
