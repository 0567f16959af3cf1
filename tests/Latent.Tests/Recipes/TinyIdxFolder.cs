using Latent.Runtime;
using Latent.Tests.Data.Images;
using Latent.Tests.Imaging;

namespace Latent.Tests.Recipes;

/// <summary>
/// A temporary folder of tiny IDX files shared by a test class: 40 training and 30 test bar images of 28 × 28 in
/// 10 classes (MNIST's size and class count, so every image preset builds on them), and a 3-class set of 30 and 10.
/// </summary>
public sealed class TinyIdxFolder : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public TinyIdxFolder()
    {
        LatentRuntime.EnsureLoaded();
        Directory.CreateDirectory(System.IO.Path.Combine(_folder.Path, "ten"));
        Directory.CreateDirectory(System.IO.Path.Combine(_folder.Path, "three"));
        TenClasses = TinyImages.WriteIdx(System.IO.Path.Combine(_folder.Path, "ten"), trainCount: 40, testCount: 30, classes: 10);
        ThreeClasses = TinyImages.WriteIdx(System.IO.Path.Combine(_folder.Path, "three"), trainCount: 30, testCount: 10, classes: 3);
    }

    /// <summary>The folder the files are in; tests may add files of their own.</summary>
    public string Path => _folder.Path;

    internal TinyIdxFiles TenClasses { get; }

    internal TinyIdxFiles ThreeClasses { get; }

    /// <summary><paramref name="data"/> turned into idx data over <paramref name="files"/>, keeping its image size.</summary>
    internal static Latent.Recipes.DataSpec AsIdx(Latent.Recipes.DataSpec data, TinyIdxFiles files, int? classes = null) => data with
    {
        Kind = "idx",
        TrainImages = files.TrainImages,
        TrainLabels = files.TrainLabels,
        TestImages = files.TestImages,
        TestLabels = files.TestLabels,
        Classes = classes,
    };

    public void Dispose() => _folder.Dispose();
}
