using static TorchSharp.torch;

namespace Latent.Data;

/// <summary>
/// The ten 3x3 binary patterns of the `ae3x3` workload (seed 001), each as 9 values of 0 or 1 in
/// row-major order: the 3 rows, the 3 columns, the 2 diagonals, the plus and the X.
/// </summary>
/// <remarks>
/// Pixel (row r, column c) is value 3r + c. Row i of <see cref="FixedDataset.Points"/> is named by
/// <see cref="PatternNames"/>[i]. Examples are (n, 9).
/// </remarks>
public sealed class BinaryPatterns3x3 : FixedDataset
{
    private static readonly (string Name, int[] Pixels)[] Patterns =
    [
        ("top row", [0, 1, 2]),
        ("middle row", [3, 4, 5]),
        ("bottom row", [6, 7, 8]),
        ("left column", [0, 3, 6]),
        ("middle column", [1, 4, 7]),
        ("right column", [2, 5, 8]),
        ("main diagonal", [0, 4, 8]),
        ("anti-diagonal", [2, 4, 6]),
        ("plus", [1, 3, 4, 5, 7]),
        ("X", [0, 2, 4, 6, 8]),
    ];

    /// <summary>Builds the ten patterns; nothing is random.</summary>
    public BinaryPatterns3x3()
        : base(DrawPatterns())
    {
        PatternNames = Array.AsReadOnly(Patterns.Select(pattern => pattern.Name).ToArray());
    }

    /// <summary>The names of the patterns, in the order of the rows of <see cref="FixedDataset.Points"/>.</summary>
    public IReadOnlyList<string> PatternNames { get; }

    private static Tensor DrawPatterns()
    {
        var values = new float[Patterns.Length * 9];
        for (int i = 0; i < Patterns.Length; i++)
        {
            foreach (int pixel in Patterns[i].Pixels)
                values[i * 9 + pixel] = 1;
        }
        return tensor(values, [Patterns.Length, 9]);
    }
}
