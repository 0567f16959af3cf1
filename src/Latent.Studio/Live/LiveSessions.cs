using System.Collections.Concurrent;

namespace Latent.Studio.Live;

/// <summary>
/// The live sessions of the studio, at most <see cref="Capacity"/> at once: a session is removed (and its thread and
/// native memory freed) when it ends for any reason, and one whose page never opens its stream is stopped after a timeout.
/// </summary>
internal sealed class LiveSessions : IDisposable
{
    private readonly ConcurrentDictionary<string, LiveSession> _sessions = new();
    private readonly ConcurrentDictionary<string, string> _failures = new();
    private readonly Lock _admission = new();
    private readonly TimeSpan _attachTimeout;

    public LiveSessions(int capacity, TimeSpan attachTimeout)
    {
        Capacity = capacity;
        _attachTimeout = attachTimeout;
    }

    /// <summary>Sessions that may run at once.</summary>
    public int Capacity { get; }

    /// <summary>Sessions running now (ended ones are gone).</summary>
    public int Count => _sessions.Count;

    /// <summary>Sessions started since the studio began.</summary>
    public long Started => Interlocked.Read(ref _started);

    private long _started;

    /// <summary>Starts <paramref name="session"/> when there is room; false when all places are taken.</summary>
    public bool TryStart(LiveSession session)
    {
        lock (_admission)
        {
            if (_sessions.Count >= Capacity)
                return false;
            _sessions[session.Id] = session;
        }
        Interlocked.Increment(ref _started);
        session.Finished.ContinueWith(_ =>
        {
            if (session.Failure is { } failure)
                RememberFailure(session.Id, failure);
            _sessions.TryRemove(session.Id, out LiveSession? _);
        }, TaskScheduler.Default);
        session.Start();
        _ = StopIfNeverAttached(session);
        return true;
    }

    /// <summary>The running session with that id, or null.</summary>
    public LiveSession? Find(string id) => _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>
    /// Why the ended session of that id failed, or null: a session that fails before its page connects (a bad drawing,
    /// a diverged first step) still gets its message to the page.
    /// </summary>
    public string? FailureOf(string id) => _failures.TryGetValue(id, out var failure) ? failure : null;

    private void RememberFailure(string id, string failure)
    {
        // The last few failures are enough: a page asks within seconds of starting its session.
        if (_failures.Count >= 32)
            foreach (string old in _failures.Keys.Take(16).ToList())
                _failures.TryRemove(old, out _);
        _failures[id] = failure;
    }

    private async Task StopIfNeverAttached(LiveSession session)
    {
        await Task.WhenAny(session.Finished, Task.Delay(_attachTimeout));
        if (!session.IsAttached)
            session.Stop();
    }

    /// <summary>Stops every session and waits (a few seconds at most) for their models to be disposed.</summary>
    public void Dispose()
    {
        var running = _sessions.Values.ToList();
        foreach (var session in running)
            session.Stop();
        Task.WaitAll([.. running.Select(s => s.Finished)], TimeSpan.FromSeconds(10));
    }
}
