using Latent.Data;
using Latent.Data.Images;
using Latent.Imaging;
using Latent.Models;
using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Recipes;

/// <summary>
/// Draws what a run has learned: a histogram against the target density (1D), generated points over the
/// real data (2D), reconstructions beside originals (autoencoders), pattern grids (3x3), and for images sample
/// grids, interpolation strips and reconstructions (<see cref="ImageRunPlots"/>).
/// </summary>
public static class RunPlotter
{
    private const int PlottedSamples = 2_500;

    /// <summary>Draws the run's current state to a PNG at <paramref name="path"/>.</summary>
    public static void Plot(BuiltRecipe run, string path, string title)
    {
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(run.Recipe.Seed, RandomStream.Plots);
        switch (run.Model)
        {
            case ILatentModel model when run.Data is ImageData images:
                ImageRunPlots.Samples(model, images, rng, path, title);
                break;
            case Autoencoder when run.Data is ImageData images:
                ImageRunPlots.Reconstructions(run.Model, images, rng, path, title);
                break;
            case ISampler sampler:
                PlotSamples(run, sampler.Sample(run.Data.Dimension == 1 ? 10_000 : PlottedSamples, rng).cpu(), path, title);
                break;
            case Autoencoder autoencoder when run.Data is FixedDataset dataset:
                PlotReconstructions(run, autoencoder, dataset, rng, path, title);
                break;
        }
    }

    /// <summary>
    /// The pictures an image run adds at its end, in <paramref name="folder"/>: interpolation strips for a latent
    /// model, reconstructions for a VAE (an autoencoder's are its <see cref="RunFolder.SamplesFile"/>).
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> PlotImageExtras(BuiltRecipe run, string folder)
    {
        if (run.Data is not ImageData images)
            return [];
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(run.Recipe.Seed, RandomStream.Plots);
        var written = new List<string>();
        if (run.Model is ILatentModel model)
        {
            string path = Path.Combine(folder, RunFolder.InterpolationFile);
            ImageRunPlots.Interpolation(model, images, rng, path, $"{run.Recipe.Name}: spherical interpolation");
            written.Add(path);
        }
        if (run.Model is VariationalAutoencoder)
        {
            string path = Path.Combine(folder, RunFolder.ReconstructionsFile);
            ImageRunPlots.Reconstructions(run.Model, images, rng, path, $"{run.Recipe.Name}: test images and reconstructions");
            written.Add(path);
        }
        return written;
    }

    /// <summary>Draws generated <paramref name="samples"/> against the run's data.</summary>
    public static void PlotSamples(BuiltRecipe run, Tensor samples, string path, string title)
    {
        using var scope = NewDisposeScope();
        using var rng = SeededRandom.Derive(run.Recipe.Seed, RandomStream.PlotReference);
        var options = new PlotOptions(Title: title, XLabel: "x", YLabel: run.Data.Dimension == 1 ? "density" : "y");
        if (run.Data.Dimension == 1)
        {
            double[] values = Column(samples, 0);
            Func<double, double>? density = run.Data is IDensity1D target ? target.Density : null;
            // The range covers the real data too, so a generator that misses part of the target shows it.
            double[] target1d = Column(run.Data.Sample(10_000, rng), 0);
            var finite = values.Concat(target1d).Where(double.IsFinite).OrderBy(v => v).ToList();
            (double, double)? range = finite.Count == 0 ? null : (finite[(int)(0.001 * (finite.Count - 1))], finite[(int)(0.999 * (finite.Count - 1))]);
            HistogramPlot.Render(values, density, options, range: range).SavePng(path);
            return;
        }
        if (run.Data.Dimension == 9)
        {
            var images = Rows(samples.clamp(0, 1));
            ImageGrid.Render(images, 3, 3, columns: Math.Min(images.Count, 10), scale: 12, title: title).SavePng(path);
            return;
        }
        var real = run.Data is FixedDataset points ? points.Points : run.Data.Sample(PlottedSamples, rng);
        var series = new List<PointSeries>
        {
            new("real", Column(real, 0), Column(real, 1), Rgb.RealData, Radius: 1, Opacity: 0.5),
            new("generated", Column(samples, 0), Column(samples, 1), Rgb.Generated, Radius: 1, Opacity: 0.6),
        };
        var markers = run.Data is IGaussianMixture mixture
            ? new List<MarkerSeries> { new("modes", Column(mixture.Centers, 0), Column(mixture.Centers, 1), Rgb.Ink) }
            : [];
        ScatterPlot.Render(series, options with { EqualAspect = true }, markers).SavePng(path);
    }

    private static void PlotReconstructions(BuiltRecipe run, Autoencoder autoencoder, FixedDataset dataset, Generator rng, string path, string title)
    {
        var clean = dataset.Points.to(run.Device);
        if (run.Data is BinaryPatterns3x3)
        {
            var reconstructions = autoencoder.Reconstruct(clean).cpu();
            var images = Rows(clean.cpu()).Concat(Rows(reconstructions)).ToList();
            ImageGrid.Render(images, 3, 3, columns: (int)dataset.Count, scale: 12, title: title, rowLabels: ["patterns", "reconstructed"]).SavePng(path);
            return;
        }
        var options = new PlotOptions(Title: title, XLabel: "x", YLabel: "y", EqualAspect: true);
        var series = new List<PointSeries> { new("data", Column(clean, 0), Column(clean, 1), Rgb.RealData, Radius: 2) };
        if (autoencoder.Corruption is { } corruption)
        {
            var noisy = corruption.Apply(clean.cpu(), rng).to(run.Device);
            series.Add(new("noisy input", Column(noisy, 0), Column(noisy, 1), Rgb.Blue, Radius: 1, Opacity: 0.5));
            var denoised = autoencoder.Reconstruct(noisy);
            series.Add(new("denoised", Column(denoised, 0), Column(denoised, 1), Rgb.Generated, Radius: 2));
        }
        else
        {
            var reconstructed = autoencoder.Reconstruct(clean);
            series.Add(new("reconstructed", Column(reconstructed, 0), Column(reconstructed, 1), Rgb.Generated, Radius: 2));
        }
        ScatterPlot.Render(series, options).SavePng(path);
    }

    private static double[] Column(Tensor values, long column) =>
        values.cpu().select(1, column).to(float64).data<double>().ToArray();

    private static List<float[]> Rows(Tensor values)
    {
        var flat = values.cpu().to(float32).reshape(values.shape[0], -1);
        return Enumerable.Range(0, (int)flat.shape[0]).Select(i => flat[i].data<float>().ToArray()).ToList();
    }
}
