using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Training;

/// <summary>
/// A network's parameters moved into one contiguous tensor, so that the work done per parameter tensor (the optimizer's
/// update, zeroing the gradients, their norm, clipping, the EMA) is one operation over all of them.
/// </summary>
/// <remarks>
/// <para>Each packed parameter keeps its identity (the module, <c>state_dict</c> and safetensors see the same
/// <see cref="Parameter"/> objects, names and shapes) but its storage becomes a slice of <see cref="Flat"/>, and its
/// gradient a slice of <c>Flat.grad</c>. Autograd adds into an existing gradient in place, so after
/// <c>backward()</c> the flat gradient holds every parameter's. Hand <see cref="Flat"/> to any optimizer: TorchSharp's
/// Adam then makes about 20 native calls per step instead of about 20 per parameter tensor. Measured at one thread:
/// <c>gan8g</c> 1,107 → 1,359 steps/s, <c>ae2d</c> 3,000 → 5,170 (bench/RESULTS.md has the current figures).</para>
/// <para>The arithmetic is the same element by element; only reductions (the gradient norm) sum in another order.
/// A weight with 2-4 input columns and at least 32 rows is laid out column-major in its slot (same shape, transposed
/// strides; see <see cref="Slot"/>), which libtorch's matrix products run faster on; a parameter stored in another dense
/// order (a convolution kernel stored channels-last by <see cref="Nets.Convolution2d"/>) keeps that order. Values are the same.</para>
/// <para>Zero the gradients through the optimizer (<c>optimizer.zero_grad()</c>, which zeroes in place). A
/// <c>module.zero_grad()</c> that sets the gradients to none cuts them loose from the flat gradient, and so does
/// moving the module to another device or dtype: pack after the module is where it will train.</para>
/// </remarks>
/// <example>
/// <code>
/// var packed = PackedParameters.Pack(generator.parameters());
/// var optimizer = optim.Adam([packed.Flat], lr: 1e-3);
/// </code>
/// </example>
public sealed class PackedParameters : IDisposable
{
    private static readonly ConditionalWeakTable<Parameter, PackedParameters> Owners = [], Flats = [];

    private PackedParameters(Parameter flat, IReadOnlyList<Parameter> members)
    {
        Flat = flat;
        Members = members;
    }

    /// <summary>The one tensor, (total elements), whose slices are the packed parameters; its <c>grad</c> is theirs.</summary>
    public Parameter Flat { get; }

    /// <summary>The packed parameters, in the order of <see cref="Flat"/>.</summary>
    public IReadOnlyList<Parameter> Members { get; }

    /// <summary>The pack a parameter belongs to, or null when it is not packed.</summary>
    public static PackedParameters? Of(Parameter parameter) => Owners.TryGetValue(parameter, out var pack) ? pack : null;

    /// <summary>
    /// Packs <paramref name="parameters"/> (a parameter listed twice, as in tied weights, is packed once). Their values
    /// are kept; their gradients start at zero.
    /// </summary>
    /// <exception cref="ArgumentException">None given, a parameter already packed, a dtype other than float32 and float64, or dtypes or devices that differ.</exception>
    public static PackedParameters Pack(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var members = parameters.Distinct(ReferenceEqualityComparer.Instance).Cast<Parameter>().ToList();
        if (members.Count == 0)
            throw new ArgumentException("there are no parameters to pack", nameof(parameters));
        var first = members[0];
        foreach (var parameter in members)
        {
            if (Of(parameter) is not null)
                throw new ArgumentException("a parameter is already packed; each parameter can belong to one pack", nameof(parameters));
            if (parameter.dtype is not (ScalarType.Float32 or ScalarType.Float64))
                throw new ArgumentException($"only float32 and float64 parameters are packed; found {parameter.dtype}", nameof(parameters));
            if (parameter.dtype != first.dtype || parameter.device_type != first.device_type || parameter.device_index != first.device_index)
                throw new ArgumentException($"parameters to pack share one dtype and device: found {parameter.dtype} on {parameter.device} beside {first.dtype} on {first.device}", nameof(parameters));
        }

        long total = members.Sum(p => p.numel());
        Parameter flat;
        using (NewDisposeScope())
        using (no_grad())
        {
            var data = empty(total, dtype: first.dtype, device: first.device);
            var gradient = zeros(total, dtype: first.dtype, device: first.device);
            long offset = 0;
            foreach (var parameter in members)
            {
                long count = parameter.numel();
                var order = MemoryOrder(parameter.shape, parameter.stride());
                var slot = Slot(data, offset, parameter.shape, order);
                slot.copy_(parameter);
                // The parameter now lives in the slot: same object, same shape, the flat tensor's storage.
                parameter.set_(slot);
                parameter.grad = Slot(gradient, offset, parameter.shape, order);
                offset += count;
            }
            // Kept past the scope: the pack owns it (see Dispose); the scope releases only the temporaries.
            flat = (Parameter)new Parameter(data, requires_grad: true).DetachFromDisposeScope();
            flat.grad = gradient;
        }
        var pack = new PackedParameters(flat, members);
        foreach (var parameter in members)
            Owners.Add(parameter, pack);
        Flats.Add(flat, pack);
        return pack;
    }

    /// <summary>
    /// The elements <paramref name="offset"/> onwards of <paramref name="flat"/> seen as a tensor of <paramref name="shape"/>:
    /// a weight with 2-4 input columns and at least 32 rows is laid out column-major (the same shape, transposed
    /// strides); any other tensor in <paramref name="order"/>, the order of its dimensions in memory from the outermost
    /// (the parameter's own layout, such as a convolution kernel stored channels-last), or row-major when null.
    /// </summary>
    /// <remarks>
    /// Measured on the AMD EPYC (Zen 5) of bench/RESULTS.md; other CPUs are unmeasured. libtorch's bundled MKL takes 28 µs
    /// there for the input gradient of a 2→128 layer at batch 256,
    /// grad (256, 128) · W (128, 2), when W is row-major, and 8 µs when it is column-major; such a layer's forward and
    /// backward drop from 105 to 52 µs (66 to 39 without the input gradient). Those figures predate <see cref="Runtime.MklDispatch"/>;
    /// with MKL's kernels chosen by CPU features the layer still takes about half the time (72 against 138 µs, measured under load).
    /// Every GAN on 2-D data has two of them.
    /// Element i of a slot and of its gradient's slot are the same flat element, so the optimizer's arithmetic is unchanged.
    /// </remarks>
    internal static Tensor Slot(Tensor flat, long offset, long[] shape, int[]? order = null)
    {
        long count = shape.Aggregate(1L, (product, size) => product * size);
        var elements = flat.narrow(0, offset, count);
        if (shape is [>= 32, >= 2 and <= 4])
            return elements.view(shape[1], shape[0]).t();
        if (order is null)
            return elements.view(shape);
        var inverse = new long[order.Length];
        for (int i = 0; i < order.Length; i++)
            inverse[order[i]] = i;
        return elements.view(order.Select(dimension => shape[dimension]).ToArray()).permute(inverse);
    }

    /// <summary>
    /// The order of a dense tensor's dimensions in memory, outermost first, when it is not row-major (a permutation of
    /// a contiguous layout, such as channels-last); null for row-major tensors and for any other strides.
    /// </summary>
    internal static int[]? MemoryOrder(long[] shape, long[] strides)
    {
        // Dimensions of size 1 take any stride: only the others have an order, and the size-1 ones go outermost.
        var sized = Enumerable.Range(0, shape.Length).Where(d => shape[d] != 1).ToArray();
        var outermostFirst = sized.OrderByDescending(d => strides[d]).ToArray();
        if (outermostFirst.SequenceEqual(sized))
            return null;
        long expected = 1;
        for (int i = outermostFirst.Length - 1; i >= 0; i--)
        {
            if (strides[outermostFirst[i]] != expected)
                return null;
            expected *= shape[outermostFirst[i]];
        }
        return [.. Enumerable.Range(0, shape.Length).Where(d => shape[d] == 1), .. outermostFirst];
    }

    /// <summary>
    /// Disposes <paramref name="optimizer"/> and the packs it steps: what a model that owns its optimizers does when it
    /// is disposed (the networks, which hold the packed parameters themselves, are disposed by their owner).
    /// </summary>
    public static void DisposeWithPacks(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var packs = optimizer.parameters().Select(p => Flats.TryGetValue(p, out var pack) ? pack : null).OfType<PackedParameters>().ToList();
        optimizer.Dispose();
        foreach (var pack in packs)
            pack.Dispose();
    }

    /// <summary>Releases <see cref="Flat"/> and its gradient; the members keep their storage until they are disposed.</summary>
    public void Dispose()
    {
        foreach (var parameter in Members)
            Owners.Remove(parameter);
        Flats.Remove(Flat);
        Flat.Dispose();
    }

    /// <summary>
    /// Whether every member still lives in <see cref="Flat"/> and accumulates into its gradient; false after something
    /// replaced a member's tensor or gradient (a <c>module.zero_grad()</c> to none, a move to another device).
    /// </summary>
    public bool IsIntact()
    {
        using var scope = NewDisposeScope();
        var flatGradient = Flat.grad;
        if (flatGradient is null)
            return false;
        nint dataStart = Address(Flat), gradientStart = Address(flatGradient);
        long offset = 0, itemSize = Flat.element_size();
        foreach (var parameter in Members)
        {
            var gradient = parameter.grad;
            if (gradient is null || Address(parameter) != dataStart + offset * itemSize || Address(gradient) != gradientStart + offset * itemSize)
                return false;
            offset += parameter.numel();
        }
        return true;
    }

    /// <summary>Where the tensor's first element is in memory.</summary>
    private static nint Address(Tensor tensor)
    {
        nint storage = tensor.dtype == ScalarType.Float64 ? tensor.storage<double>().data_ptr() : tensor.storage<float>().data_ptr();
        return storage + (nint)(tensor.storage_offset() * tensor.element_size());
    }
}
