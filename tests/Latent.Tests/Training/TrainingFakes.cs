using Latent.Data;
using Latent.Models;
using Latent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Latent.Tests.Training;

/// <summary>A batch source that counts its draws and hands out the wrapped source's batches, or made ones (zeros by default).</summary>
internal sealed class CountingBatches(IBatchSource? inner = null, Func<Tensor>? make = null) : IBatchSource
{
    public int Draws { get; private set; }

    public Batch Next()
    {
        Draws++;
        return inner?.Next() ?? new Batch(make?.Invoke() ?? zeros(8, 2));
    }
}

/// <summary>
/// The smallest model family: one parameter θ, one plain-SGD optimizer over it, and a step whose figures come from a
/// function of the step number (so a test can make a loss NaN at a chosen step).
/// </summary>
internal sealed class ScriptedModel : IGenerativeModel
{
    private readonly TorchSharp.Modules.Linear _network;
    private readonly optim.Optimizer _optimizer;
    private readonly Func<long, double> _loss;
    private long _steps;

    public ScriptedModel(Func<long, double> loss, double learningRate = 0.1)
    {
        _network = nn.Linear(1, 1);
        _optimizer = optim.SGD(_network.parameters(), learningRate);
        _loss = loss;
        Networks = new Dictionary<string, nn.Module> { ["network"] = _network };
        Optimizers = new Dictionary<string, optim.Optimizer> { ["optimizer"] = _optimizer };
    }

    public IReadOnlyDictionary<string, nn.Module> Networks { get; }

    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers { get; }

    public bool Training { get; private set; }

    public StepMetrics TrainStep(IBatchSource batches)
    {
        _steps++;
        batches.Next();
        return StepMetrics.Read(("loss", tensor(_loss(_steps))), ("other", tensor(1.0)));
    }

    public void SetTraining(bool training) => Training = training;

    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
    }
}
