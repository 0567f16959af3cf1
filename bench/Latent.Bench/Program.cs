using Latent.Bench;
using Latent.Recipes;
using Latent.Runtime;

// bench: Latent's measurements. Usage:
//   toy-table [--presets a,b,...] [--seeds 0-9] [--threads 1] [--set path=value ...] [--out bench/TOY.md]
//   speed [--quick] [--workloads a,b] [--threads 1,2] [--rounds 5] ... (Speed/SpeedCommand.cs)
//   render SPEED.json OUT.md   (the markdown of a speed run again, from its JSON: after a change to the report's layout)
//   conv-gemm THREADS          (mnist-dcgan's convolutions: libtorch's own against one GEMM per batch, Speed/ConvGemmProbe.cs)
LatentRuntime.EnsureLoaded();
if (args.Length > 1 && args[0] == "alloc")
    return Latent.Bench.Speed.AllocProfile.Run(args[1]);
if (args.Length > 0 && args[0] == "bare-worker")
    return Latent.Bench.Speed.StockBareWorker.Serve(Console.In, Console.Out);
if (args.Length == 3 && args[0] == "render")
    return Latent.Bench.Speed.SpeedMarkdown.Render(args[1], args[2]);
if (args.Length == 2 && args[0] == "conv-gemm" && int.TryParse(args[1], out int convThreads) && convThreads > 0)
    return Latent.Bench.Speed.ConvGemmProbe.Run(convThreads, Console.Out);
if (args.Length > 0 && args[0] == "speed")
    return Latent.Bench.Speed.SpeedCommand.Run(args);
if (args.Length == 0 || args[0] != "toy-table")
{
    Console.Error.WriteLine("usage: toy-table [--presets a,b] [--seeds 0-9] [--threads N] [--set path=value] [--out FILE]");
    Console.Error.WriteLine("       " + Latent.Bench.Speed.SpeedCommand.Usage);
    Console.Error.WriteLine("       conv-gemm THREADS");
    return 2;
}
var presets = Presets.Names.ToList();
var seeds = Enumerable.Range(0, 10).Select(i => (long)i).ToList();
var overrides = new List<string>();
string? output = null;
for (int i = 1; i < args.Length; i += 2)
{
    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--presets": presets = value.Split(',').ToList(); break;
        case "--seeds":
            var range = value.Split('-');
            seeds = Enumerable.Range(int.Parse(range[0]), int.Parse(range[^1]) - int.Parse(range[0]) + 1).Select(s => (long)s).ToList();
            break;
        case "--set": overrides.Add(value); break;
        case "--threads": overrides.Add($"threads={int.Parse(value)}"); break;
        case "--out": output = value; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
return ToyTable.Run(presets, seeds, overrides, output, Console.Out);
