using Latent.Imaging;

namespace Latent.Tests.Imaging;

public class ImageGridTests
{
    [Fact]
    public void GridLaysOutScaledImagesWithClampedGrayValues()
    {
        float[] first = [0f, 1f, 0.5f, 2f];
        float[] second = [-1f, float.NaN, 0.25f, 1f];

        var canvas = ImageGrid.Render([first, second], imageWidth: 2, imageHeight: 2, columns: 2, scale: 3);

        // 10-pixel margins, 2-pixel separators, two 6 × 6 cells side by side.
        Assert.Equal(10 + 2 + 6 + 2 + 6 + 2 + 10, canvas.Width);
        Assert.Equal(10 + 2 + 6 + 2 + 10, canvas.Height);
        int firstLeft = 12, secondLeft = 20, top = 12;
        Assert.Equal(new Rgb(0, 0, 0), canvas.GetPixel(firstLeft, top));
        Assert.Equal(new Rgb(255, 255, 255), canvas.GetPixel(firstLeft + 3, top + 2));
        Assert.Equal(new Rgb(128, 128, 128), canvas.GetPixel(firstLeft + 2, top + 3));
        Assert.Equal(new Rgb(255, 255, 255), canvas.GetPixel(firstLeft + 5, top + 5));
        Assert.Equal(new Rgb(0, 0, 0), canvas.GetPixel(secondLeft, top));
        Assert.Equal(new Rgb(64, 64, 64), canvas.GetPixel(secondLeft, top + 3));
        // The separator between the cells is neither black nor white, and the NaN pixel shows the cell background.
        Assert.NotEqual(Rgb.White, canvas.GetPixel(18, top));
        Assert.NotEqual(Rgb.Black, canvas.GetPixel(18, top));
        Assert.NotEqual(Rgb.Black, canvas.GetPixel(secondLeft + 3, top));
        Assert.NotEqual(Rgb.White, canvas.GetPixel(secondLeft + 3, top));
    }

    [Fact]
    public void TitleAndRowLabelsAddRoomAroundTheGrid()
    {
        var images = Enumerable.Range(0, 6).Select(i => new float[9]).ToList();
        var bare = ImageGrid.Render(images, 3, 3, columns: 3, scale: 8);

        var labelled = ImageGrid.Render(images, 3, 3, columns: 3, scale: 8, title: "3x3 patterns", rowLabels: ["original", "reconstruction"]);

        Assert.True(labelled.Width > bare.Width);
        Assert.True(labelled.Height > bare.Height);
    }

    [Fact]
    public void ImagesOfTheWrongLengthAreRefusedNamingTheImage()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.Render([new float[4], new float[3]], 2, 2, columns: 2, scale: 1));

        Assert.Contains("images[1] has 3 values; expected 2 × 2 = 4", error.Message);
    }

    [Fact]
    public void EmptyListNonPositiveSizesAndSurplusRowLabelsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ImageGrid.Render([], 2, 2, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Render([new float[4]], 2, 2, columns: 0, scale: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Render([new float[4]], 2, 2, columns: 1, scale: 0));
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.Render([new float[4]], 2, 2, 1, 1, rowLabels: ["a", "b"]));
        Assert.Contains("rowLabels has 2 labels but the grid has 1 row(s)", error.Message);
    }
}
