using Latent.Data;
using Latent.Data.Images;

namespace Latent.Diagnostics;

/// <summary>How many real examples a probe can draw from a data source.</summary>
internal static class ProbeSamples
{
    /// <summary>
    /// <paramref name="wanted"/>, or fewer where the source is finite: a fixed set or an image split draws distinct
    /// examples, so no more than it holds. Sources drawn afresh (the toy distributions) give any number.
    /// </summary>
    public static int AtMost(int wanted, IDataSource data) => data switch
    {
        FixedDataset points => (int)Math.Min(wanted, points.Count),
        ImageData images => (int)Math.Min(wanted, images.Train.Count),
        _ => wanted,
    };
}
