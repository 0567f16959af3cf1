using System.Runtime.InteropServices;

namespace Latent.Cli;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so training finishes its step and writes a checkpoint;
/// a second signal is left to its default, which ends the process at once.
/// </summary>
/// <remarks>Checkpoints are staged and renamed whole, so even the second signal leaves the last one readable.</remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
            return; // the second signal: its default action ends the process now
        context.Cancel = true;
        _source.Cancel();
        string name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl+C";
        Console.Error.WriteLine($"\n{name}: stopping after this step and writing a checkpoint; Ctrl+C again to quit at once");
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _source.Dispose();
    }
}
