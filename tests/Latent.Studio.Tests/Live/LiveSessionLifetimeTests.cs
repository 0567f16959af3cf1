using System.Text.Json;
using Latent.Studio.Live;

namespace Latent.Studio.Tests.Live;

/// <summary>A session that fails ends like one that is closed: its model disposed, its place freed, its stream ended with the error.</summary>
public class LiveSessionLifetimeTests
{
    [Fact]
    public async Task CrashedSessionReportsItsErrorDisposesItsModelAndFreesItsPlace()
    {
        using var sessions = new LiveSessions(1, TimeSpan.FromSeconds(30));
        var failing = new FailingSession(failAtStep: 3);
        Assert.True(sessions.TryStart(failing));
        Assert.True(failing.Attach());
        Assert.False(sessions.TryStart(new FailingSession(failAtStep: 1))); // the one place is taken
        failing.Control(playing: true); // only now: a session that fails at once would free its place before the check above

        var frames = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (string frame in failing.Frames.ReadAllAsync(timeout.Token))
            frames.Add(frame);
        var last = JsonDocument.Parse(frames[^1]).RootElement;
        Assert.Equal("failing session failed at step 2: the model exploded", last.GetProperty("error").GetString());

        await failing.Finished.WaitAsync(timeout.Token);
        Assert.True(failing.ModelDisposed);
        Assert.Equal(failing.TrainingThread, failing.DisposingThread); // disposed on the thread that built and trained it
        for (int i = 0; i < 100 && sessions.Count > 0; i++)
            await Task.Delay(50, timeout.Token);
        Assert.Equal(0, sessions.Count);
        var next = new FailingSession(failAtStep: 1000);
        Assert.True(sessions.TryStart(next));
        next.Stop();
        await next.Finished.WaitAsync(timeout.Token);
        Assert.True(next.ModelDisposed);
    }

    [Fact]
    public async Task QuestionsRunOnTheSessionThreadBetweenSteps()
    {
        using var sessions = new LiveSessions(1, TimeSpan.FromSeconds(30));
        var session = new FailingSession(failAtStep: 1000);
        Assert.True(sessions.TryStart(session));
        int thread = await session.Ask(() => Environment.CurrentManagedThreadId).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(session.TrainingThread, thread);
        session.Stop();
        await session.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.Ask(() => 1));
    }

    private sealed class FailingSession(int failAtStep) : LiveSession("failing")
    {
        public bool ModelDisposed { get; private set; }
        public int TrainingThread { get; private set; } = -1;
        public int DisposingThread { get; private set; } = -2;

        protected override void Build() => TrainingThread = Environment.CurrentManagedThreadId;

        protected override void TrainStep()
        {
            if (Step + 1 == failAtStep)
                throw new InvalidOperationException("the model exploded");
        }

        protected override void WriteFrame(Utf8JsonWriter json) => json.WriteString("model", "fine so far");

        protected override void DisposeModel()
        {
            DisposingThread = Environment.CurrentManagedThreadId;
            ModelDisposed = true;
        }
    }
}
