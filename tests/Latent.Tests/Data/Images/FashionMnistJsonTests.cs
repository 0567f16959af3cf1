using System.Text;
using Latent.Data.Images;
using Latent.Runtime;
using Latent.Tests.Imaging;
using static TorchSharp.torch;

namespace Latent.Tests.Data.Images;

public class FashionMnistJsonTests
{
    private const int Pixels = 28 * 28;

    [Fact]
    public void LastImagesOfEachClassAreTheTestSetAndBothSetsInterleaveTheClasses()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 4);

        var (train, test) = FashionMnistJson.Load(folder.Path, testImagesPerClass: 1);
        using (train)
        using (test)
        {
            Assert.Equal("fashion-mnist-train", train.Name);
            Assert.Equal("fashion-mnist-test", test.Name);
            Assert.Equal([30L, 1, 28, 28], train.Pixels.shape);
            Assert.Equal([10L, 1, 28, 28], test.Pixels.shape);
            Assert.Equal(FashionMnistJson.ClassNames, train.ClassNames);
            // Image i of class c holds the value 20 c + i: training takes images 0..2 of each class, class by class within
            // each round; the test set takes image 3 of each.
            long[] expectedTrainLabels = [.. Enumerable.Range(0, 30).Select(k => (long)(k % 10))];
            Assert.Equal(expectedTrainLabels, train.Labels.data<long>().ToArray());
            Assert.Equal(Enumerable.Range(0, 30).Select(k => (byte)(20 * (k % 10) + k / 10)), FirstPixels(train));
            Assert.Equal(Enumerable.Range(0, 10).Select(c => (long)c), test.Labels.data<long>().ToArray());
            Assert.Equal(Enumerable.Range(0, 10).Select(c => (byte)(20 * c + 3)), FirstPixels(test));
        }
    }

    [Fact]
    public void EmptyRecordsAreSkippedAndDoNotCountTowardsTheSplit()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 4);
        // Like the package's 0.json: empty entries inside and at the end.
        File.WriteAllText(Path.Combine(folder.Path, "0.json"), Document(Image(0), "[]", Image(1), Image(2), Image(3), "[]"));

        var (train, test) = FashionMnistJson.Load(folder.Path, testImagesPerClass: 1);
        using (train)
        using (test)
        {
            Assert.Equal([3L, 3, 3, 3, 3, 3, 3, 3, 3, 3], train.CountPerClass());
            Assert.Equal(new byte[] { 0, 1, 2 }, FirstPixels(train).Where((_, k) => k % 10 == 0));
            Assert.Equal(3, FirstPixels(test)[0]);
        }
    }

    [Fact]
    public void OtherPropertiesAndAByteOrderMarkAreAccepted()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 2);
        string json = "{\"source\": {\"by\": \"someone\"}, \"data\": [" + Image(0) + "," + Image(1) + "], \"count\": 2}";
        File.WriteAllBytes(Path.Combine(folder.Path, "4.json"), [.. "\uFEFF"u8.ToArray(), .. Encoding.UTF8.GetBytes(json)]);

        var (train, test) = FashionMnistJson.Load(folder.Path, testImagesPerClass: 1);
        using (train)
        using (test)
            Assert.Equal(10, train.Count);
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        // A record of the wrong width, either way.
        { Document(Image(0), Zeros(Pixels - 1)), "record 1 (byte offset " },
        { Document(Image(0), Zeros(Pixels - 1)), "has 783 values; expected 784" },
        { Document(Image(0), Image(1), Zeros(Pixels + 1)), "record 2 (byte offset " },
        { Document(Image(0), Image(1), Zeros(Pixels + 1)), "has more than 784 values" },
        // Values outside a byte, not integers, or not numbers.
        { Document(Image(0), ImageWith(5, "256")), "record 1, value 5 (byte offset " },
        { Document(Image(0), ImageWith(5, "256")), "is 256; expected an integer 0..255" },
        { Document(ImageWith(7, "-1")), "record 0, value 7 (byte offset" },
        { Document(Image(0), ImageWith(3, "1.5")), "record 1, value 3 (byte offset " },
        { Document(Image(0), ImageWith(3, "1.5")), "is 1.5, not an integer" },
        { Document(Image(0), ImageWith(2, "\"7\"")), "record 1, value 2 (byte offset " },
        { Document(Image(0), ImageWith(2, "\"7\"")), "is the string \"7\"" },
        { Document(Image(0), ImageWith(2, "null")), "record 1, value 2 (byte offset " },
        // A record that is not an array.
        { Document(Image(0), Image(1), "null"), "record 2 (byte offset " },
        { Document(Image(0), "{}"), "record 1 (byte offset " },
        // The wrong outline.
        { "{\"images\": []}", "no \"data\" property" },
        { "{\"data\": 5}", "\"data\" is 5 at byte offset 9" },
        { "[[0, 1]]", "an array at byte offset 0; expected an object" },
        { "{\"data\": [], \"data\": []}", "a second \"data\" property at byte offset " },
        // Not JSON at all.
        { "{\"data\": [[0, 1", "not valid JSON at line 1" },
        { "", "not valid JSON at line 1" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedClassFileIsRefusedNamingTheFileAndTheRecord(string content, string expected)
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 3);
        string path = Path.Combine(folder.Path, "6.json");
        File.WriteAllText(path, content);

        var error = Assert.Throws<DataFormatException>(() => FashionMnistJson.Load(folder.Path, testImagesPerClass: 1));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ClassWithTooFewImagesForTheSplitIsRefusedNamingTheFile()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 3);
        string path = Path.Combine(folder.Path, "3.json");
        File.WriteAllText(path, Document(Image(0), "[]", Image(1)));

        var error = Assert.Throws<DataFormatException>(() => FashionMnistJson.Load(folder.Path, testImagesPerClass: 2));

        Assert.Contains(path, error.Message);
        Assert.Contains("2 images; expected more than the 2 that go to the test set", error.Message);
    }

    [Fact]
    public void MissingClassFileIsReportedByName()
    {
        LatentRuntime.EnsureLoaded();
        using var folder = new TemporaryFolder();
        WriteClasses(folder, imagesPerClass: 2);
        string path = Path.Combine(folder.Path, "9.json");
        File.Delete(path);

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnistJson.Load(folder.Path, testImagesPerClass: 1));

        Assert.Contains(path, error.Message);
    }

    /// <summary>Writes 0.json … 9.json, image i of class c filled with the value 20 c + i.</summary>
    private static void WriteClasses(TemporaryFolder folder, int imagesPerClass)
    {
        for (int label = 0; label < 10; label++)
        {
            var images = Enumerable.Range(0, imagesPerClass).Select(i => Image(20 * label + i)).ToArray();
            File.WriteAllText(Path.Combine(folder.Path, $"{label}.json"), Document(images));
        }
    }

    private static string Document(params string[] records) => "{\"data\":[" + string.Join(",", records) + "]}";

    /// <summary>A record of 784 copies of <paramref name="value"/>.</summary>
    private static string Image(int value) => "[" + string.Join(",", Enumerable.Repeat(value, Pixels)) + "]";

    /// <summary>A record of <paramref name="count"/> zeros.</summary>
    private static string Zeros(int count) => "[" + string.Join(",", Enumerable.Repeat(0, count)) + "]";

    /// <summary>A record of 784 values, zero except value <paramref name="at"/>, which is <paramref name="text"/> verbatim.</summary>
    private static string ImageWith(int at, string text) =>
        "[" + string.Join(",", Enumerable.Range(0, Pixels).Select(i => i == at ? text : "0")) + "]";

    private static byte[] FirstPixels(ImageDataset set)
    {
        using var scope = NewDisposeScope();
        return set.Pixels.flatten(1).select(1, 0).contiguous().data<byte>().ToArray();
    }
}
