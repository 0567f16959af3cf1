using Latent.Data.Images;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class DataStoreRealDataTests(InstalledImageData data) : IClassFixture<InstalledImageData>
{
    [Fact]
    public void MnistTrainingSetHasTheWellKnownCountPerDigit()
    {
        var train = data.MnistTrain;

        Assert.Equal("mnist-train", train.Name);
        Assert.Equal([60_000L, 1, 28, 28], train.Pixels.shape);
        Assert.Equal([5923L, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.CountPerClass());
        // LeCun's first training digit is a 5.
        Assert.Equal(5, train.Labels[0].item<long>());
    }

    [Fact]
    public void MnistTestSetHasTheWellKnownCountPerDigit()
    {
        var test = data.MnistTest;

        Assert.Equal("mnist-test", test.Name);
        Assert.Equal([10_000L, 1, 28, 28], test.Pixels.shape);
        Assert.Equal([980L, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], test.CountPerClass());
        // And the first test digit a 7.
        Assert.Equal(7, test.Labels[0].item<long>());
    }

    [Fact]
    public void MnistPixelsSpanTheByteRangeOnABlackBackground()
    {
        using var scope = NewDisposeScope();
        foreach (var set in new[] { data.MnistTrain, data.MnistTest })
        {
            Assert.Equal(0, set.Pixels.min().item<byte>());
            Assert.Equal(255, set.Pixels.max().item<byte>());
            // Digits cover a fifth of the image or less; the mean grey of MNIST is about 33 of 255. Summing bytes gives int64.
            double mean = (double)set.Pixels.sum().item<long>() / set.Pixels.numel();
            Assert.InRange(mean, 30, 37);
        }
    }

    [Fact]
    public void FashionMnistSplitsEachClassIntoSixThousandAndOneThousand()
    {
        Assert.Equal("fashion-mnist-train", data.FashionTrain.Name);
        Assert.Equal([60_000L, 1, 28, 28], data.FashionTrain.Pixels.shape);
        Assert.Equal([10_000L, 1, 28, 28], data.FashionTest.Pixels.shape);
        Assert.Equal(Enumerable.Repeat(6000L, 10), data.FashionTrain.CountPerClass());
        Assert.Equal(Enumerable.Repeat(1000L, 10), data.FashionTest.CountPerClass());
        Assert.Equal(["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], data.FashionTrain.ClassNames);
        using var scope = NewDisposeScope();
        Assert.Equal(0, data.FashionTrain.Pixels.min().item<byte>());
        Assert.Equal(255, data.FashionTrain.Pixels.max().item<byte>());
    }

    [Fact]
    public void FashionMnistImagesAreTheRecordsOfThePackageInInterleavedOrder()
    {
        using var scope = NewDisposeScope();
        // Only the rows looked at are widened, so that sums do not wrap at 255.
        var train = data.FashionTrain.Pixels[..2].flatten(1).to(ScalarType.Int64);
        var test = data.FashionTest.Pixels.flatten(1).index_select(0, tensor(new long[] { 0, 9990, 9999 })).to(ScalarType.Int64);

        Assert.Equal(Enumerable.Range(0, 20).Select(k => (long)(k % 10)), data.FashionTrain.Labels[..20].data<long>().ToArray());
        // Pixel sums and values of records read off the package's JSON files with Python's json module, not with Latent:
        // 0.json record 0 (the first T-shirt) sums to 79892; 1.json record 0 (the first trouser) to 42116, with pixel 11 = 209.
        Assert.Equal(79892, train[0].sum().item<long>());
        Assert.Equal(42116, train[1].sum().item<long>());
        Assert.Equal(209, train[1, 11].item<long>());
        // The test set starts with 0.json record 6001 (the 6,001st non-empty one, past the empty record 1000): sum 46480.
        Assert.Equal(46480, test[0].sum().item<long>());
        // Its last round (images 9990 to 9999) starts with the last T-shirt, 0.json record 7000 (7001 is empty), and ends
        // with the last ankle boot of 9.json.
        Assert.Equal(92203, test[1].sum().item<long>());
        Assert.Equal(71374, test[2].sum().item<long>());
    }
}
