namespace Latent.Tests.Imaging;

/// <summary>
/// Reads the layout of a picture drawn by <c>ImageGrid</c> back from its pixels: the separator lines are pixel rows and
/// columns of the separator grey (170, 170, 170) that span the whole grid, so a grid of R rows has R + 1 horizontal ones.
/// </summary>
internal static class GridLines
{
    /// <summary>Decodes the PNG at <paramref name="path"/> and asserts its grid has these rows and columns of square cells of <paramref name="cell"/> pixels.</summary>
    public static void AssertGrid(string path, int rows, int columns, int cell)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        var png = PngTestDecoder.Decode(File.ReadAllBytes(path));
        var horizontal = Horizontal(png);
        var vertical = Vertical(png);

        Assert.True(rows + 1 == horizontal.Count, $"{path}: expected {rows} grid rows, found {horizontal.Count - 1}");
        Assert.True(columns + 1 == vertical.Count, $"{path}: expected {columns} grid columns, found {vertical.Count - 1}");
        Assert.All(horizontal.Zip(horizontal.Skip(1)), pair => Assert.Equal(cell, pair.Second.Start - pair.First.End));
        Assert.All(vertical.Zip(vertical.Skip(1)), pair => Assert.Equal(cell, pair.Second.Start - pair.First.End));
    }

    /// <summary>The number of grid rows of a decoded picture.</summary>
    public static int Rows(DecodedPng png) => Horizontal(png).Count - 1;

    /// <summary>The horizontal separators, as [Start, End) ranges of pixel rows.</summary>
    public static List<(int Start, int End)> Horizontal(DecodedPng png) => Lines(png.Height, png.Width, (line, along) => png.Rgb(along, line));

    /// <summary>The vertical separators, as [Start, End) ranges of pixel columns.</summary>
    public static List<(int Start, int End)> Vertical(DecodedPng png) => Lines(png.Width, png.Height, (line, along) => png.Rgb(line, along));

    /// <summary>The runs of consecutive lines that hold the most separator-grey pixels of any line: the separators across the grid.</summary>
    private static List<(int Start, int End)> Lines(int lines, int length, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var counts = new int[lines];
        for (int line = 0; line < lines; line++)
        {
            for (int along = 0; along < length; along++)
            {
                if (pixel(line, along) == (170, 170, 170))
                    counts[line]++;
            }
        }
        int most = counts.Max();
        var runs = new List<(int Start, int End)>();
        for (int line = 0; line < lines; line++)
        {
            if (counts[line] != most)
                continue;
            if (runs.Count > 0 && runs[^1].End == line)
                runs[^1] = (runs[^1].Start, line + 1);
            else
                runs.Add((line, line + 1));
        }
        return runs;
    }
}
