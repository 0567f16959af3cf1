namespace Latent.Bench.Speed;

/// <summary>One timed window: steps taken after warm-up, their wall time, and managed bytes allocated in the window.</summary>
internal sealed record Measurement(long Steps, double Seconds, double AllocatedBytes = double.NaN)
{
    public double StepsPerSecond => Steps / Seconds;

    public double BytesPerStep => AllocatedBytes / Steps;
}

/// <summary>How long to time each window.</summary>
internal sealed record Budget(int Threads, double Seconds, int Warmup, int MinSteps);
