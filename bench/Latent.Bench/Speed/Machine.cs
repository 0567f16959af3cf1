using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Latent.Bench.Speed;

/// <summary>What the machine is and what it can do: CPU model, cores, load, versions, and SGEMM rates.</summary>
internal static partial class Machine
{
    public static string CpuModel()
    {
        try
        {
            var start = new ProcessStartInfo("lscpu") { RedirectStandardOutput = true, UseShellExecute = false };
            start.Environment["LC_ALL"] = "C";
            using var lscpu = Process.Start(start)!;
            string text = lscpu.StandardOutput.ReadToEnd();
            lscpu.WaitForExit();
            var model = ModelLine().Match(text);
            return model.Success ? model.Groups[1].Value.Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no lscpu)";
        }
    }

    [GeneratedRegex(@"^Model name:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ModelLine();

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Resident memory of this process, from /proc/self/status, in bytes.</summary>
    public static long ResidentBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        return -1;
    }

    /// <summary>libtorch's float32 matrix product, n×n by n×n, in GFLOP/s (median of 5 after 2 warm-up products).</summary>
    public static double LibTorchSgemm(int threads, int n)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        for (int i = 0; i < 2; i++)
            mm(a, b).Dispose();
        var rates = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            mm(a, b).Dispose();
            rates.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return Stats.Median(rates);
    }

    public static string DotNet => RuntimeInformation.FrameworkDescription;

    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The libtorch package version pinned in Directory.Packages.props.</summary>
    public static string LibTorchVersion(string repository)
    {
        string props = Path.Combine(repository, "Directory.Packages.props");
        if (!File.Exists(props))
            return "?";
        var match = Regex.Match(File.ReadAllText(props), "Include=\"libtorch-cpu-linux-x64\"\\s+Version=\"([^\"]+)\"");
        return match.Success ? match.Groups[1].Value : "?";
    }
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
