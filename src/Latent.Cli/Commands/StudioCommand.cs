using System.Net;
using Latent.Studio;

namespace Latent.Cli.Commands;

/// <summary><c>latent studio</c>: serves Latent Studio from this process until Ctrl+C.</summary>
internal static class StudioCommand
{
    public const string Help = """
        latent studio [--port N] [--runs DIR] [--host ADDRESS] [--data-dir DIR]

        Starts Latent Studio, a local web app: the runs browser (recipes, live loss and
        diagnostic charts, samples, evaluations, health), the mode-collapse detector, the
        1D GAN arena, the latent space walker and the 3x3 autoencoder, trained live.
        Prints the address to open; it carries a random access token, which every request
        needs. Stop it with Ctrl+C.

        Options:
          --port N          the port (default 8765; 0 picks a free one)
          --runs DIR        the folder of run folders (default runs)
          --host ADDRESS    the address to listen on (default 127.0.0.1, this machine only);
                            any other address lets the network reach the studio: a warning is printed
          --data-dir DIR    where the data sets are installed (see latent data --help)

        Examples:
          latent studio
          latent studio --runs ~/experiments --port 9000
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("studio", args, ["--port", "--runs", "--host", "--data-dir"], []);
        if (arguments.Positionals.Count > 0)
            throw new UsageException($"studio: unexpected argument '{arguments.Positionals[0]}' (see 'latent studio --help')");
        long port = arguments.Whole("--port", 0) ?? 8765;
        if (port > 65535)
            throw new UsageException($"studio: --port {port} is out of range; expected a whole number in [0, 65535]");
        string hostText = arguments.Value("--host") ?? "127.0.0.1";
        IPAddress host = hostText == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(hostText.Trim('[', ']'), out var parsed) ? parsed
            : throw new UsageException($"studio: --host '{hostText}' is not an IP address; expected one such as 127.0.0.1 (default), ::1 or 0.0.0.0");
        string runs = arguments.Value("--runs") ?? "runs";
        if (File.Exists(runs))
            throw new UsageException($"studio: --runs {runs} is a file; expected the folder that holds run folders");

        if (!IPAddress.IsLoopback(host))
            Console.Error.WriteLine($"latent: warning: --host {hostText} makes the studio reachable from other machines; anyone with the token can read your runs and use your CPU. Use it only on a network you trust.");

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Serve(new StudioOptions { Host = host, Port = (int)port, RunsRoot = runs, DataDirectory = arguments.Value("--data-dir") }, output, stop.Token)
                .GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> Serve(StudioOptions options, TextWriter output, CancellationToken stop)
    {
        StudioServer studio;
        try
        {
            studio = await StudioServer.StartAsync(options, stop);
        }
        catch (IOException e)
        {
            // Kestrel reports a port in use as an IOException ("address already in use").
            throw new UsageException($"studio: cannot listen on {options.Host} port {options.Port}: {e.Message.TrimEnd('.')}; choose another with --port (0 picks a free one)");
        }
        await using (studio)
        {
            output.WriteLine($"Latent Studio is running on runs folder {Path.GetFullPath(options.RunsRoot)}");
            output.WriteLine("Open this address (it carries the access token):");
            output.WriteLine($"    {studio.Url}");
            output.WriteLine("Press Ctrl+C to stop.");
            output.Flush();
            // Ctrl+C (ours and the host's) or SIGTERM (the host's): whichever comes first stops the studio.
            await Task.WhenAny(Task.Delay(Timeout.Infinite, stop), studio.WaitForShutdownAsync());
            output.WriteLine("Latent Studio stopped.");
        }
        return ExitCodes.Success;
    }
}
