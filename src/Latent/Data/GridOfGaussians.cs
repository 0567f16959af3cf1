namespace Latent.Data;

/// <summary>
/// Gaussians on a square grid centered on the origin: side × side modes with coordinates
/// (i − (side − 1)/2)·spacing, all with the same σ.
/// </summary>
/// <remarks>
/// The 25-Gaussian benchmark of the mode-collapse literature with the defaults: coordinates
/// −4, −2, 0, 2, 4 on each axis, σ = 0.05. Mode k sits at row k / side (first coordinate) and column
/// k % side (second coordinate). Examples are (n, 2).
/// </remarks>
public sealed class GridOfGaussians : UniformGaussianMixture
{
    /// <summary>Places the modes on the grid.</summary>
    /// <param name="side">Modes per side, at least 1; the grid has side² modes. Default 5.</param>
    /// <param name="spacing">The distance between neighbouring modes; finite and &gt; 0. Default 2.</param>
    /// <param name="std">The standard deviation of every mode; finite and &gt; 0. Default 0.05.</param>
    public GridOfGaussians(int side = 5, double spacing = 2, double std = 0.05)
        : base(PlaceOnGrid(side, spacing), std)
    {
        Side = side;
        Spacing = spacing;
    }

    /// <summary>Modes per side of the grid.</summary>
    public int Side { get; }

    /// <summary>The distance between neighbouring modes.</summary>
    public double Spacing { get; }

    private static double[,] PlaceOnGrid(int side, double spacing)
    {
        if (side < 1)
            throw new ArgumentOutOfRangeException(nameof(side), side, "must be ≥ 1");
        if (!(double.IsFinite(spacing) && spacing > 0))
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "must be finite and > 0");
        var centers = new double[side * side, 2];
        for (int row = 0; row < side; row++)
        {
            for (int column = 0; column < side; column++)
            {
                centers[row * side + column, 0] = (row - (side - 1) / 2.0) * spacing;
                centers[row * side + column, 1] = (column - (side - 1) / 2.0) * spacing;
            }
        }
        return centers;
    }
}
