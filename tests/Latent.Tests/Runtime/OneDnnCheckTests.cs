using Latent.Runtime;
using static TorchSharp.torch;

namespace Latent.Tests.Runtime;

public class OneDnnCheckTests
{
    // The shapes oneDNN 3.7.1 got wrong on an AVX-512 EPYC: (transposed, in, out, kernel, stride, padding, input side).
    public static TheoryData<bool, int, int, int, int, int, int> Convolutions => new()
    {
        { true, 3, 16, 4, 1, 0, 1 },   // a DCGAN generator's first layer
        { true, 100, 256, 4, 1, 0, 1 },
        { false, 64, 1, 4, 1, 0, 4 },  // a DCGAN discriminator's head
        { false, 17, 1, 7, 1, 0, 7 },  // the head at 28 px after minibatch stddev (one more channel)
        { false, 17, 16, 4, 2, 1, 16 }, // channel counts that are not multiples of 16
        { true, 16, 65, 4, 2, 1, 8 },
        { false, 2, 8, 4, 2, 1, 28 },  // a label joined as a second channel
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Float32ConvolutionsAgreeWithFloat64AfterTheCheck(bool transposed, int inputs, int outputs, int kernel, int stride, int padding, int side)
    {
        string status = LatentRuntime.OneDnnStatus; // runs the check
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn(4, inputs, side, side);
        var w = transposed ? randn(inputs, outputs, kernel, kernel) : randn(outputs, inputs, kernel, kernel);

        var single = Run(x, w, transposed, stride, padding, ScalarType.Float32);
        var reference = Run(x, w, transposed, stride, padding, ScalarType.Float64);

        // Output, input gradient and weight gradient, each to float32 precision relative to its largest entry.
        for (int i = 0; i < 3; i++)
        {
            double error = ((single[i] - reference[i]).abs().max() / reference[i].abs().max()).item<double>();
            Assert.True(error < 1e-4, $"{new[] { "output", "input gradient", "weight gradient" }[i]} off by {error:g3}; {status}");
        }
    }

    [Fact]
    public void StatusSaysWhatTheCheckFound()
    {
        Assert.Matches("^(oneDNN convolutions checked: exact|oneDNN off: its convolutions are wrong here)", LatentRuntime.OneDnnStatus);
    }

    private static Tensor[] Run(Tensor x, Tensor w, bool transposed, int stride, int padding, ScalarType dtype)
    {
        var input = x.to_type(dtype).detach().requires_grad_(true);
        var weight = w.to_type(dtype).detach().requires_grad_(true);
        var y = transposed
            ? nn.functional.conv_transpose2d(input, weight, null, [stride, stride], [padding, padding])
            : nn.functional.conv2d(input, weight, null, [stride, stride], [padding, padding]);
        // A fixed, uneven upstream gradient, so that every output position weighs differently.
        var upstream = linspace(-1, 1, y.numel(), dtype: dtype).view(y.shape).sin();
        (y * upstream).sum().backward();
        return [y.detach().to_type(ScalarType.Float64), input.grad!.to_type(ScalarType.Float64), weight.grad!.to_type(ScalarType.Float64)];
    }
}
