using System.Diagnostics.Tracing;
using Latent.Recipes;
namespace Latent.Bench.Speed;
internal sealed class AllocListener : EventListener
{
    public readonly Dictionary<string, long> ByType = new();
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not null && e.EventName.StartsWith("GCAllocationTick") && e.Payload is not null)
        {
            int i = e.PayloadNames!.IndexOf("TypeName");
            string t = i >= 0 ? e.Payload[i]?.ToString() ?? "?" : "?";
            lock (ByType) ByType[t] = ByType.GetValueOrDefault(t) + 1;
        }
    }
}
internal static class AllocProfile
{
    public static int Run(string workload)
    {
        if (workload.StartsWith("bare-"))
        {
            using var loop = Bare.BareLoops.Create(workload[5..], 0);
            for (int i = 0; i < 200; i++) { using var s0 = TorchSharp.torch.NewDisposeScope(); loop.Step(); }
            using var l2 = new AllocListener();
            for (int i = 0; i < 5000; i++) { using var s0 = TorchSharp.torch.NewDisposeScope(); loop.Step(); }
            foreach (var (t, n) in l2.ByType.OrderByDescending(p => p.Value).Take(25))
                Console.WriteLine($"{n,6} {t}");
            return 0;
        }
        var recipe = Presets.Get(workload) with { Steps = 200, Seed = 0 };
        using var built = RecipeBuilder.Build(recipe);
        built.Fit();
        using var listener = new AllocListener();
        var r2 = recipe with { Steps = 5200 };
        new Latent.Training.Trainer().Fit(built.Model, built.Batches, 5200, 200);
        foreach (var (t, n) in listener.ByType.OrderByDescending(p => p.Value).Take(25))
            Console.WriteLine($"{n,6} {t}");
        return 0;
    }
}
