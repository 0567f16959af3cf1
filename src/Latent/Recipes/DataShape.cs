using Latent.Data;
using Latent.Data.Images;

namespace Latent.Recipes;

/// <summary>What one example of a data source looks like to the networks.</summary>
/// <param name="Features">Values per example.</param>
/// <param name="Channels">Image channels, or 0 for vectors.</param>
/// <param name="Height">Image rows (after padding), or 0.</param>
/// <param name="Width">Image columns, or 0.</param>
/// <param name="Classes">The number of labelled classes, or 0 for unlabelled data.</param>
public sealed record DataShape(int Features, int Channels = 0, int Height = 0, int Width = 0, int Classes = 0)
{
    /// <summary>Whether the examples are images.</summary>
    public bool IsImage => Channels > 0;

    /// <summary>The shape of a data source.</summary>
    public static DataShape Of(IDataSource data) => data switch
    {
        ImageData images => new DataShape(images.Dimension, images.Channels, images.Height, images.Width, images.Classes),
        _ => new DataShape(data.Dimension),
    };
}
