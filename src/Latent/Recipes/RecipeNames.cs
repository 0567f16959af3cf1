using Latent.Models;
using Latent.Nets;

namespace Latent.Recipes;

/// <summary>The names a recipe may use, each resolved in one table here, so that validation and building agree.</summary>
public static class RecipeNames
{
    /// <summary>Model families.</summary>
    public static readonly IReadOnlyList<string> Families = ["autoencoder", "vae", "gan"];

    /// <summary>Toy data sources: small vectors drawn or held in memory.</summary>
    public static readonly IReadOnlyList<string> ToyDataKinds = ["gaussian", "bimodal", "ring", "grid", "circle", "sine", "clusters", "patterns3x3"];

    /// <summary>Image data sets: MNIST and Fashion-MNIST from the data store, IDX files by path, random images for speed runs.</summary>
    public static readonly IReadOnlyList<string> ImageDataKinds = ["mnist", "fashion-mnist", "idx", "random-images"];

    /// <summary>Every data source.</summary>
    public static readonly IReadOnlyList<string> DataKinds = [.. ToyDataKinds, .. ImageDataKinds];

    /// <summary>Network kinds: perceptrons, DCGAN generators and discriminators, convolutional encoders and decoders.</summary>
    public static readonly IReadOnlyList<string> NetKinds = ["mlp", "dcgan", "conv"];

    /// <summary>GAN losses.</summary>
    public static readonly IReadOnlyList<string> GanLosses = ["minimax", "non-saturating", "wasserstein", "hinge", "least-squares"];

    /// <summary>Optimizers.</summary>
    public static readonly IReadOnlyList<string> Optimizers = ["adam", "sgd", "rmsprop"];

    /// <summary>Corruptions of a denoising autoencoder.</summary>
    public static readonly IReadOnlyList<string> Corruptions = ["gaussian", "masking"];

    /// <summary>What a non-finite loss does (<see cref="Recipe.OnNan"/>).</summary>
    public static readonly IReadOnlyList<string> NanPolicies = ["stop", "skip"];

    /// <summary>Which way a ranking figure is better (<see cref="CheckpointSpec.BestMode"/>).</summary>
    public static readonly IReadOnlyList<string> BestModes = ["min", "max"];

    /// <summary>Activations by name.</summary>
    public static readonly IReadOnlyDictionary<string, Activation> Activations = new Dictionary<string, Activation>
    {
        ["relu"] = Activation.ReLU,
        ["leaky-relu"] = Activation.LeakyReLU,
        ["tanh"] = Activation.Tanh,
        ["sigmoid"] = Activation.Sigmoid,
        ["none"] = Activation.None,
    };

    /// <summary>Initializers by name.</summary>
    public static readonly IReadOnlyDictionary<string, Initializer> Initializers = new Dictionary<string, Initializer>
    {
        ["default"] = Initializer.Default,
        ["xavier"] = Initializer.XavierNormal,
        ["he"] = Initializer.HeNormal,
        ["normal-0.02"] = Initializer.DcganNormal,
    };

    /// <summary>Reconstruction losses by name.</summary>
    public static readonly IReadOnlyDictionary<string, ReconstructionLoss> ReconstructionLosses = new Dictionary<string, ReconstructionLoss>
    {
        ["mse"] = ReconstructionLoss.MeanSquaredError,
        ["sse"] = ReconstructionLoss.SumSquaredError,
        ["bce"] = ReconstructionLoss.BinaryCrossEntropy,
        ["bce-sum"] = ReconstructionLoss.SumBinaryCrossEntropy,
    };

    /// <summary>Checks that <paramref name="name"/> is one of <paramref name="allowed"/>, naming the path otherwise.</summary>
    internal static string Check(string name, IEnumerable<string> allowed, string path)
    {
        var list = allowed.ToList();
        if (list.Contains(name))
            return name;
        string hint = NameSuggestion.Closest(name, list) is { } near ? $" (did you mean \"{near}\"?)" : "";
        throw new RecipeException($"{path}: unknown \"{name}\"{hint}; expected one of {string.Join(", ", list)}");
    }

    /// <summary>Looks <paramref name="name"/> up in <paramref name="table"/>, naming the path otherwise.</summary>
    internal static T Resolve<T>(IReadOnlyDictionary<string, T> table, string name, string path) => table[Check(name, table.Keys, path)];
}
