namespace Latent.Imaging;

/// <summary>Grids of small grayscale or colour images, such as 3 × 3 patterns (originals over reconstructions) or 28 × 28 digits.</summary>
/// <remarks>
/// Pixel values run from 0 (black) to 1 (white) and are clamped to that range; a colour image holds its red, green and blue
/// planes one after the other (C × H × W, as tensors are laid out). Non-finite values are skipped and show the
/// cell's light grey background. Images fill the grid row by row; each pixel becomes a <c>scale</c> × <c>scale</c> block.
/// Cells are separated by thin grey lines, unused cells of the last row stay light grey, and optional row labels sit to the left.
/// </remarks>
public static class ImageGrid
{
    private static readonly Rgb SeparatorColor = new(170, 170, 170);
    private static readonly Rgb EmptyCellColor = new(238, 238, 238);
    private const int Margin = 10;

    /// <summary>Renders the images in a grid with an optional title and row labels.</summary>
    /// <param name="images">One or more images, each <paramref name="channels"/> × <paramref name="imageHeight"/> × <paramref name="imageWidth"/> values in row-major order.</param>
    /// <param name="imageWidth">Pixels per image row, ≥ 1.</param>
    /// <param name="imageHeight">Rows per image, ≥ 1.</param>
    /// <param name="columns">Images per grid row, ≥ 1.</param>
    /// <param name="scale">Screen pixels per image pixel along each axis, ≥ 1 (e.g. 16 for 3 × 3 patterns, 2 for 28 × 28 digits).</param>
    /// <param name="title">Text above the grid; null or empty for none.</param>
    /// <param name="rowLabels">Text left of each grid row, e.g. "original" and "reconstruction"; at most one per row, null for none.</param>
    /// <param name="channels">1 for grayscale, 3 for colour (red, green and blue planes).</param>
    /// <returns>The grid, ready for <see cref="Canvas.SavePng"/>.</returns>
    /// <exception cref="ArgumentException">No images, a null image or one of the wrong length, a size below 1, or more row labels than rows.</exception>
    public static Canvas Render(IReadOnlyList<float[]> images, int imageWidth, int imageHeight, int columns, int scale, string? title = null, IReadOnlyList<string>? rowLabels = null, int channels = 1)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 1 (grayscale) or 3 (red, green, blue)");
        if (images is null)
            throw new ArgumentNullException(nameof(images), "images is null; expected at least one image");
        if (images.Count == 0)
            throw new ArgumentException("images is empty; expected at least one image", nameof(images));
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        long pixelsPerImage = (long)imageWidth * imageHeight * channels;
        string expectedSize = channels == 1 ? $"{imageWidth} × {imageHeight}" : $"{channels} × {imageHeight} × {imageWidth}";
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null)
                throw new ArgumentException($"images[{i}] is null; expected {expectedSize} = {pixelsPerImage} values", nameof(images));
            if (images[i].Length != pixelsPerImage)
                throw new ArgumentException($"images[{i}] has {images[i].Length} values; expected {expectedSize} = {pixelsPerImage}", nameof(images));
        }
        int rows = (images.Count + columns - 1) / columns;
        columns = Math.Min(columns, images.Count);
        if (rowLabels is not null && rowLabels.Count > rows)
            throw new ArgumentException($"rowLabels has {rowLabels.Count} labels but the grid has {rows} row(s); expected at most one label per row", nameof(rowLabels));

        // Separators widen with the scale so that white image borders stay visibly apart: 2 pixels for digits, 4 for 16× patterns.
        int separator = Math.Clamp(scale / 4, 2, 6);
        long cellWidth = (long)imageWidth * scale;
        long cellHeight = (long)imageHeight * scale;
        // Labels grow with the cells, so they stay in proportion to large digits and readable beside small patterns.
        int labelScale = cellHeight >= 40 ? 2 : 1;
        int titleScale = 2;
        int labelWidth = rowLabels is null ? 0 : rowLabels.Where(label => label is not null).Select(label => Canvas.MeasureText(label, labelScale).Width).DefaultIfEmpty(0).Max();
        int labelColumn = labelWidth > 0 ? labelWidth + 8 : 0;

        long gridWidth = columns * cellWidth + (columns + 1) * separator;
        long gridHeight = rows * cellHeight + (rows + 1) * separator;
        bool hasTitle = PlotFrame.HasText(title);
        var titleSize = hasTitle ? Canvas.MeasureText(title!, titleScale) : (Width: 0, Height: 0);
        long contentWidth = Math.Max(labelColumn + gridWidth, titleSize.Width);
        long width = Margin + contentWidth + Margin;
        long height = Margin + (hasTitle ? titleSize.Height + 8 : 0) + gridHeight + Margin;
        if (width > int.MaxValue || height > int.MaxValue || width * height * 3 > Array.MaxLength)
            throw new ArgumentException($"a {columns} × {rows} grid of {cellWidth} × {cellHeight} cells needs a {width} × {height} image, too large; expected a smaller scale or fewer images", nameof(scale));

        var canvas = new Canvas((int)width, (int)height, Rgb.White);
        int gridLeft = Margin + (int)(contentWidth - (labelColumn + gridWidth)) / 2 + labelColumn;
        int gridTop = Margin + (hasTitle ? titleSize.Height + 8 : 0);
        if (hasTitle)
            canvas.DrawText(title!, Margin + (int)(contentWidth - titleSize.Width) / 2, Margin, Rgb.Ink, titleScale);

        canvas.FillRect(gridLeft, gridTop, (int)gridWidth, (int)gridHeight, SeparatorColor);
        for (int cell = 0; cell < rows * columns; cell++)
        {
            int cellLeft = gridLeft + separator + (cell % columns) * (int)(cellWidth + separator);
            int cellTop = gridTop + separator + (cell / columns) * (int)(cellHeight + separator);
            canvas.FillRect(cellLeft, cellTop, (int)cellWidth, (int)cellHeight, EmptyCellColor);
            if (cell < images.Count)
                DrawImage(canvas, images[cell], imageWidth, imageHeight, channels, scale, cellLeft, cellTop);
        }

        for (int row = 0; row < (rowLabels?.Count ?? 0); row++)
        {
            string label = rowLabels![row];
            if (!PlotFrame.HasText(label))
                continue;
            var (textWidth, _) = Canvas.MeasureText(label, labelScale);
            int middle = gridTop + separator + row * (int)(cellHeight + separator) + (int)cellHeight / 2;
            canvas.DrawText(label, gridLeft - 8 - textWidth, middle - BitmapFont.CapHeight * labelScale / 2, Rgb.Ink, labelScale);
        }
        return canvas;
    }

    /// <summary>Renders the grid and saves it as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="images">One or more images of <paramref name="imageWidth"/> × <paramref name="imageHeight"/> values in [0, 1].</param>
    /// <param name="imageWidth">Pixels per image row, ≥ 1.</param>
    /// <param name="imageHeight">Rows per image, ≥ 1.</param>
    /// <param name="columns">Images per grid row, ≥ 1.</param>
    /// <param name="scale">Screen pixels per image pixel, ≥ 1.</param>
    /// <param name="title">Text above the grid; null for none.</param>
    /// <param name="rowLabels">Text left of each grid row; null for none.</param>
    /// <param name="channels">1 for grayscale, 3 for colour.</param>
    public static void Save(string path, IReadOnlyList<float[]> images, int imageWidth, int imageHeight, int columns, int scale, string? title = null, IReadOnlyList<string>? rowLabels = null, int channels = 1) =>
        Render(images, imageWidth, imageHeight, columns, scale, title, rowLabels, channels).SavePng(path);

    private static void DrawImage(Canvas canvas, float[] image, int imageWidth, int imageHeight, int channels, int scale, int left, int top)
    {
        int plane = imageWidth * imageHeight;
        for (int y = 0; y < imageHeight; y++)
        {
            for (int x = 0; x < imageWidth; x++)
            {
                int at = y * imageWidth + x;
                float red = image[at], green = image[at + (channels - 1) / 2 * plane], blue = image[at + (channels - 1) * plane];
                if (!float.IsFinite(red) || !float.IsFinite(green) || !float.IsFinite(blue))
                    continue;
                canvas.FillRect(left + x * scale, top + y * scale, scale, scale, new Rgb(Level(red), Level(green), Level(blue)));
            }
        }
    }

    private static byte Level(float value) => (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255);
}
