using Latent.Data.Images;
using Latent.Imaging;
using Latent.Models;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// The pictures of an image run: a grid of samples (one row per class for a conditional model), interpolation
/// strips through the latent space, and reconstructions beside their originals.
/// </summary>
/// <remarks>Every picture draws its codes and picks its images with the generator it is given, so it is repeatable.</remarks>
public static class ImageRunPlots
{
    /// <summary>Images per row of a sample grid, and per row of reconstructions.</summary>
    public const int Columns = 10;

    /// <summary>
    /// A grid of samples: <paramref name="rows"/> × <see cref="Columns"/> for an unconditional model; for a conditional
    /// one, one row per class (labelled with its name) or only <paramref name="onlyClass"/>'s row repeated.
    /// </summary>
    public static void Samples(ILatentModel model, ImageData images, Generator rng, string path, string title, int rows = 10, int? onlyClass = null)
    {
        using var scope = NewDisposeScope();
        Tensor samples;
        IReadOnlyList<string>? rowLabels = null;
        if (model.Classes > 0)
        {
            var classes = onlyClass is { } one ? Enumerable.Repeat(one, rows).ToArray() : Enumerable.Range(0, model.Classes).ToArray();
            var labels = tensor(classes.Select(c => (long)c).ToArray()).repeat_interleave(Columns).to(model.Device);
            samples = model.SampleClasses(labels, rng);
            rowLabels = classes.Select(c => images.ClassNames[c]).ToList();
        }
        else
        {
            samples = model.Sample(rows * Columns, rng);
        }
        Save(images, samples, path, title, rowLabels);
    }

    /// <summary>
    /// Interpolation strips: each row walks from one code to another in <see cref="Columns"/> steps, along the great
    /// circle (<paramref name="spherical"/>) or the straight line. A VAE walks between the codes of two test images
    /// (the row's ends are their reconstructions); a GAN between random codes. A conditional model keeps one class per row.
    /// </summary>
    public static void Interpolation(ILatentModel model, ImageData images, Generator rng, string path, string title, int rows = 6, bool spherical = true)
    {
        using var scope = NewDisposeScope();
        var strips = new List<Tensor>();
        var rowLabels = new List<string>();
        for (int row = 0; row < rows; row++)
        {
            Tensor from, to;
            Tensor? labels = null;
            if (model is VariationalAutoencoder vae)
            {
                var (pair, pairLabels) = images.SampleWithLabels(2, rng, images.Test is null ? DataSplit.Train : DataSplit.Test);
                pair = pair.to(model.Device);
                pairLabels = pairLabels.to(model.Device);
                if (vae.Classes > 0)
                    pairLabels[1] = pairLabels[0]; // one class along the row: the code carries the style, the label the class
                var codes = vae.Encode(pair, vae.Classes > 0 ? pairLabels : null);
                (from, to) = (codes[0], codes[1]);
                labels = vae.Classes > 0 ? pairLabels[0].expand(Columns) : null;
                rowLabels.Add(vae.Classes > 0 ? images.ClassNames[(int)pairLabels[0].item<long>()] : "");
            }
            else
            {
                var codes = randn([2, model.LatentDim], generator: rng).to(model.Device);
                (from, to) = (codes[0], codes[1]);
                if (model.Classes > 0)
                {
                    int label = row % model.Classes;
                    labels = full(Columns, label, dtype: int64, device: model.Device);
                    rowLabels.Add(images.ClassNames[label]);
                }
            }
            strips.Add(model.Decode(LatentSpace.Interpolate(from, to, Columns, spherical), labels));
        }
        Save(images, cat(strips, 0), path, title, rowLabels.Any(l => l.Length > 0) ? rowLabels : null);
    }

    /// <summary>
    /// Test images over their reconstructions, <paramref name="pairs"/> pairs of rows; for a denoising autoencoder,
    /// three rows each: originals, corrupted inputs, and what the model makes of them.
    /// </summary>
    public static void Reconstructions(IGenerativeModel model, ImageData images, Generator rng, string path, string title, int pairs = 3)
    {
        using var scope = NewDisposeScope();
        var device = model.Networks.Values.First().parameters().First().device;
        var split = images.Test is null ? DataSplit.Train : DataSplit.Test;
        long available = images.Split(split).Count;
        // A small split gives what it holds: fewer groups, and fewer images per group when it has under ten.
        int perRow = (int)Math.Min(Columns, available);
        pairs = (int)Math.Max(1, Math.Min(pairs, available / perRow));
        var (originals, labels) = images.SampleWithLabels(pairs * perRow, rng, split);
        originals = originals.to(device);
        labels = labels.to(device);
        var rows = new List<Tensor>();
        var rowLabels = new List<string>();
        for (int pair = 0; pair < pairs; pair++)
        {
            var x = originals.slice(0, pair * perRow, (pair + 1) * perRow, 1);
            var y = labels.slice(0, pair * perRow, (pair + 1) * perRow, 1);
            rows.Add(x);
            rowLabels.Add("original");
            switch (model)
            {
                case VariationalAutoencoder vae:
                    rows.Add(vae.Reconstruct(x, vae.Classes > 0 ? y : null));
                    rowLabels.Add("reconstructed");
                    break;
                case Autoencoder { Corruption: { } corruption } denoiser:
                    var noisy = corruption.Apply(x, rng);
                    rows.Add(noisy);
                    rowLabels.Add("corrupted");
                    rows.Add(denoiser.Reconstruct(noisy));
                    rowLabels.Add("denoised");
                    break;
                case Autoencoder autoencoder:
                    rows.Add(autoencoder.Reconstruct(x));
                    rowLabels.Add("reconstructed");
                    break;
                default:
                    throw new ArgumentException($"{model.GetType().Name} does not reconstruct; expected an autoencoder or a VAE", nameof(model));
            }
        }
        Save(images, cat(rows.Select(r => r.reshape(r.shape[0], -1)).ToList(), 0), path, title, rowLabels, perRow);
    }

    private static void Save(ImageData images, Tensor modelImages, string path, string title, IReadOnlyList<string>? rowLabels, int columns = Columns)
    {
        var unit = images.ToUnitRange(modelImages).reshape(modelImages.shape[0], -1);
        var list = Enumerable.Range(0, (int)unit.shape[0]).Select(i => unit[i].data<float>().ToArray()).ToList();
        int scale = images.Height <= 32 ? 2 : 1;
        ImageGrid.Save(path, list, images.Width, images.Height, columns, scale, title, rowLabels, images.Channels);
    }
}
