using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Latent.Runtime;

/// <summary>
/// Checks libtorch's oneDNN convolutions against exact references once, and turns oneDNN off where they are wrong.
/// </summary>
/// <remarks>
/// <para>On some x64 CPUs (seen on an AMD EPYC with AVX-512 under a hypervisor, libtorch 2.10 with oneDNN 3.7.1) the
/// float32 oneDNN kernels return silently wrong values, sometimes NaN, for shapes every DCGAN has: a transposed
/// convolution from a 1×1 input (the generator's first layer), the input gradient of a convolution to a 1×1 output (the
/// discriminator's head), and convolutions over channel counts that are not multiples of 16. Capping oneDNN at SSE4.1
/// or disabling it gives exact results; float64, which never uses oneDNN, is right too.</para>
/// <para>The check runs two such cases in float32 and compares them with sums computed by hand. When either is off,
/// it calls libtorch's <c>at::Context::setUserEnabledMkldnn(false)</c> (what <c>torch.backends.mkldnn.enabled = False</c>
/// does in Python), and NNPACK's switch likewise: convolutions then take libtorch's own im2col and BLAS path, exact and
/// about 2–3× slower on CPU.</para>
/// <para>Every convolutional net of Latent runs the check when it is built (<see cref="LatentRuntime.OneDnnStatus"/>
/// reports the outcome), so a process that builds none, such as a CLI run on an MLP recipe, never pays for it.</para>
/// </remarks>
internal static class OneDnnCheck
{
    private const string ContextSymbol = "_ZN2at13globalContextEv";
    private const string SetEnabledSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string SetNnpackSymbol = "_ZN2at7Context20setUserEnabledNNPACKEb";

    private static readonly Lazy<Result> Outcome = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What the check says, and whether it turned oneDNN off.</summary>
    private sealed record Result(string Description, bool TurnedOff);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>Runs the check once (later calls return at once) and says what it found.</summary>
    internal static string EnsureChecked() => Outcome.Value.Description;

    /// <summary>
    /// Whether the check turned oneDNN off, so that libtorch's convolutions take its native im2col path (running the
    /// check first if it has not run).
    /// </summary>
    internal static bool TurnedOff => Outcome.Value.TurnedOff;

    private static Result Run()
    {
        string? fault = FindFault();
        if (fault is null)
            return new("oneDNN convolutions checked: exact", TurnedOff: false);
        if (!TryDisable(out string problem))
            return new($"oneDNN convolutions are wrong here ({fault}) and could not be turned off: {problem}", TurnedOff: false);
        string? remaining = FindFault();
        return remaining is null
            ? new($"oneDNN off: its convolutions are wrong here ({fault}); libtorch's native convolutions are used", TurnedOff: true)
            : new($"oneDNN off, yet convolutions are still wrong ({remaining})", TurnedOff: true);
    }

    /// <summary>The first wrong case, described, or null when both are right to float32 precision.</summary>
    private static string? FindFault()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Fixed, generator-free inputs: the check must not move libtorch's global random stream.
        var z = linspace(-1, 1, 2 * 3).view(2, 3, 1, 1);
        var kernel = linspace(-2, 1.5, 3 * 16 * 4 * 4).view(3, 16, 4, 4).cos();

        // From a 1×1 input, y[n, o, i, j] = Σ_c z[n, c] · W[c, o, i, j].
        var transposed = nn.functional.conv_transpose2d(z, kernel);
        var expected = z.view(2, 3).mm(kernel.view(3, -1)).view(2, 16, 4, 4);
        double error = RelativeError(transposed, expected);
        if (!(error < 1e-4))
            return $"ConvTranspose2d(3, 16, 4) from 1×1 off by {error:g2} relative";

        // A 4×4 kernel over a 4×4 map gives one output; the gradient of y = Σ x·W with respect to x is W.
        using var enableGrad = enable_grad();
        var image = linspace(0, 1, 2 * 16 * 4 * 4).view(2, 16, 4, 4).requires_grad_(true);
        var weight = kernel[0..1].contiguous();
        nn.functional.conv2d(image, weight).sum().backward();
        error = RelativeError(image.grad!, weight.expand(2, 16, 4, 4));
        return error < 1e-4 ? null : $"the input gradient of Conv2d(16, 1, 4) to 1×1 off by {error:g2} relative";
    }

    private static double RelativeError(Tensor actual, Tensor expected) =>
        ((actual - expected).abs().max() / expected.abs().max()).item<float>();

    private static bool TryDisable(out string problem)
    {
        problem = "";
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out IntPtr library))
        {
            problem = "libtorch_cpu.so is not loaded by that name";
            return false;
        }
        if (!NativeLibrary.TryGetExport(library, ContextSymbol, out IntPtr context) ||
            !NativeLibrary.TryGetExport(library, SetEnabledSymbol, out IntPtr setEnabled))
        {
            problem = "libtorch_cpu.so does not export at::globalContext and at::Context::setUserEnabledMkldnn";
            return false;
        }
        IntPtr globalContext = Marshal.GetDelegateForFunctionPointer<GlobalContext>(context)();
        Marshal.GetDelegateForFunctionPointer<SetUserEnabled>(setEnabled)(globalContext, false);
        // Without oneDNN, libtorch asks NNPACK next, which on CPUs it does not support warns on stderr at every
        // convolution; the native path is wanted anyway.
        if (NativeLibrary.TryGetExport(library, SetNnpackSymbol, out IntPtr setNnpack))
            Marshal.GetDelegateForFunctionPointer<SetUserEnabled>(setNnpack)(globalContext, false);
        return true;
    }
}
