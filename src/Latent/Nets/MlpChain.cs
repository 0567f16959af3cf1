using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Latent.Nets;

/// <summary>
/// A plain perceptron (an <see cref="Mlp"/> or <see cref="Discriminator"/> of Linear layers and elementwise activations)
/// with its backward pass written out: <see cref="Forward"/> records what the backward needs, <see cref="Backward"/>
/// adds the parameters' gradients into their <c>grad</c> and returns the input's, and no autograd graph is built.
/// </summary>
/// <remarks>
/// <para>Why: a step of a toy GAN (2-128-1 nets) is dominated by per-op dispatch, not arithmetic, and autograd adds a
/// graph node per op, its bookkeeping and the engine's walk. Written out, a layer's backward is a mask, two products
/// and a sum, and whole toy GAN steps run 1.4-1.6× faster (bench/README.md).</para>
/// <para>Each activation's derivative is read off its output y: ReLU 1 where y &gt; 0, LeakyReLU the same with the slope
/// elsewhere (the two as autograd takes them, 0 and the slope at 0), Tanh 1 − y², Sigmoid y(1 − y). The gradients are
/// autograd's up to the order of floating-point sums (the tests compare them in float64).</para>
/// <para>For the WGAN-GP penalty, <see cref="InputGradientOfSum"/> gives ∂(Σ output)/∂input as a chain of products
/// through the recorded masks, and <see cref="BackwardThroughInputGradient"/> the parameters' gradients of a function
/// of it: the double backward, for chains whose activations are piecewise linear (their masks do not move with the
/// parameters, so the chain is linear in each weight).</para>
/// <para>Inputs are (N, in), or (N, …) flattening to in, as the network's own forward takes them.</para>
/// </remarks>
internal sealed class MlpChain
{
    private readonly AffineLayer[] _layers;

    private MlpChain(AffineLayer[] layers) => _layers = layers;

    /// <summary>The chain of <paramref name="network"/>, or null when it is not a plain perceptron (batch norm, dropout,
    /// spectral norm, minibatch layers, a LeakyReLU slope above 1, or another kind of network) or has a frozen parameter
    /// (one that does not require a gradient, which autograd would leave without one).</summary>
    public static MlpChain? Of(nn.Module network)
    {
        var layers = network switch
        {
            Mlp mlp => mlp.AffineLayers,
            Discriminator discriminator => discriminator.AffineLayers,
            _ => null,
        };
        if (layers is null || layers.Any(layer => layer.Activation == Activation.LeakyReLU && layer.LeakySlope > 1))
            return null;
        if (layers.Any(layer => layer.Linear.parameters().Any(parameter => !parameter.requires_grad)))
            return null;
        return new MlpChain([.. layers]);
    }

    /// <summary>Whether every activation is piecewise linear (none, ReLU, LeakyReLU): what <see cref="InputGradientOfSum"/> needs.</summary>
    public bool IsPiecewiseLinear => _layers.All(layer => layer.Activation is Activation.None or Activation.ReLU or Activation.LeakyReLU);

    /// <summary>The width of the output.</summary>
    public long Outputs => _layers[^1].Linear.weight!.shape[0];

    /// <summary>Runs the network on <paramref name="input"/> without a graph and records what the backward needs.</summary>
    public Tape Forward(Tensor input)
    {
        using var noGraph = no_grad();
        var x = input.dim() > 2 ? input.flatten(1) : input; // (N, in)
        var inputs = new Tensor[_layers.Length];
        var outputs = new Tensor[_layers.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            inputs[l] = x;
            var linear = _layers[l].Linear;
            var transposedWeight = linear.weight!.t();                            // (in, out), a view
            var affine = linear.bias is { } bias ? bias.addmm(x, transposedWeight) : x.mm(transposedWeight);
            x = Activate(affine, _layers[l]);
            outputs[l] = x;
        }
        return new Tape(this, inputs, outputs);
    }

    /// <summary>
    /// Adds the gradient of a loss L into the parameters' <c>grad</c> (creating a zero one where there is none) given
    /// ∂L/∂output, (N, out); returns ∂L/∂input, (N, in), when <paramref name="inputGradient"/> is set, else null.
    /// </summary>
    /// <param name="tape">What <see cref="Forward"/> recorded.</param>
    /// <param name="outputGradient">∂L/∂output, (N, out).</param>
    /// <param name="parameterGradients">Whether to add the parameters' gradients; off when only the input's is wanted (a generator's loss through the critic).</param>
    /// <param name="inputGradient">Whether to return the input's gradient.</param>
    public Tensor? Backward(Tape tape, Tensor outputGradient, bool parameterGradients = true, bool inputGradient = false)
    {
        CheckTape(tape);
        using var noGraph = no_grad();
        var delta = outputGradient; // ∂L/∂(this layer's output), then ∂L/∂(its affine part)
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            if (tape.Derivative(l) is { } derivative)
                delta = delta.mul(derivative);
            var linear = _layers[l].Linear;
            if (parameterGradients)
            {
                GradientOf(linear.weight!).addmm_(delta.t(), tape.Inputs[l]); // (out, N)·(N, in)
                if (linear.bias is { } bias)
                    GradientOf(bias).add_(delta.sum(0L));
            }
            if (l > 0 || inputGradient)
                delta = delta.mm(linear.weight!);                             // (N, in)
        }
        return inputGradient ? delta : null;
    }

    /// <summary>
    /// ∂(Σ output)/∂input, (N, in), of a one-output chain with piecewise-linear activations, taken at the recorded
    /// input; with the per-layer factors that <see cref="BackwardThroughInputGradient"/> needs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The chain has more than one output or an activation that is not piecewise linear.</exception>
    public InputGradient InputGradientOfSum(Tape tape)
    {
        CheckTape(tape);
        if (Outputs != 1 || !IsPiecewiseLinear)
            throw new InvalidOperationException("the input gradient is written out for one-output chains of piecewise-linear activations only");
        using var noGraph = no_grad();
        var deltas = new Tensor[_layers.Length];
        var n = tape.Inputs[0].shape[0];
        // δ: ∂(Σ output)/∂(each layer's affine part), from the top: 1 through the last activation, then back through
        // each weight and mask. e = δ·W is the gradient at the layer's input.
        var delta = tape.Derivative(_layers.Length - 1) ?? ones(n, 1, dtype: tape.Inputs[0].dtype, device: tape.Inputs[0].device);
        Tensor atInput = null!;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            deltas[l] = delta;
            atInput = delta.mm(_layers[l].Linear.weight!);                  // (N, in)
            if (l > 0)
                delta = tape.Derivative(l - 1) is { } mask ? atInput.mul(mask) : atInput;
        }
        return new InputGradient(tape, atInput, deltas);
    }

    /// <summary>
    /// Adds into the weights' <c>grad</c> the gradient of a function P of the input gradient, given ∂P/∂(input
    /// gradient), (N, in). The biases get none: the input gradient does not depend on them where the masks are fixed.
    /// </summary>
    public void BackwardThroughInputGradient(InputGradient inputGradient, Tensor gradientOfGradient)
    {
        var tape = inputGradient.Tape;
        CheckTape(tape);
        using var noGraph = no_grad();
        // Forward it was e_l = δ_l·W_l and δ_{l+1}... from the top; back, from the input side: ∂W_l += δ_lᵀ·∂e_l, and
        // ∂e_{l+1} = (∂e_l·W_lᵀ) ⊙ mask_l.
        var atInput = gradientOfGradient;
        for (int l = 0; l < _layers.Length; l++)
        {
            var weight = _layers[l].Linear.weight!;
            GradientOf(weight).addmm_(inputGradient.Deltas[l].t(), atInput); // (out, N)·(N, in)
            if (l == _layers.Length - 1)
                break;
            var atOutput = atInput.mm(weight.t());                           // (N, out)
            atInput = tape.Derivative(l) is { } mask ? atOutput.mul(mask) : atOutput;
        }
    }

    private void CheckTape(Tape tape)
    {
        if (!ReferenceEquals(tape.Chain, this))
            throw new ArgumentException("the tape was recorded by another chain", nameof(tape));
    }

    private static Tensor Activate(Tensor affine, AffineLayer layer) => layer.Activation switch
    {
        Activation.None => affine,
        Activation.ReLU => affine.relu_(),
        Activation.LeakyReLU => nn.functional.leaky_relu(affine, layer.LeakySlope, inplace: true),
        Activation.Tanh => affine.tanh_(),
        Activation.Sigmoid => affine.sigmoid_(),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, "unknown activation"),
    };

    /// <summary>∂y/∂(affine part) elementwise, read off the output y; null for the identity.</summary>
    private static Tensor? DerivativeFromOutput(Tensor output, AffineLayer layer) => layer.Activation switch
    {
        Activation.None => null,
        // sign(y) is 1 where y > 0 and 0 at 0 (ReLU's y is never negative); clamping its −1 and 0 up to the slope gives
        // LeakyReLU's 1 or slope in two passes without a boolean mask (a bool-by-float product costs 3-4 times a float one).
        Activation.ReLU => output.sign(),
        Activation.LeakyReLU => output.sign().clamp_min_(layer.LeakySlope),
        Activation.Tanh => 1 - output.square(),
        Activation.Sigmoid => output - output.square(),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, "unknown activation"),
    };

    /// <summary>The parameter's gradient, made (zeros) if it has none yet; autograd adds into it likewise.</summary>
    private static Tensor GradientOf(Parameter parameter)
    {
        if (parameter.grad is { } gradient)
            return gradient;
        parameter.grad = zeros_like(parameter).DetachFromDisposeScope();
        return parameter.grad!;
    }

    /// <summary>What a forward pass recorded: each layer's input and output, and the activations' derivatives once asked for.</summary>
    public sealed class Tape
    {
        private readonly Tensor?[] _derivatives;

        internal Tape(MlpChain chain, Tensor[] inputs, Tensor[] outputs)
        {
            Chain = chain;
            Inputs = inputs;
            Outputs = outputs;
            _derivatives = new Tensor?[inputs.Length];
        }

        internal MlpChain Chain { get; }

        /// <summary>Each layer's input, (N, in_l); the first is the network's input, flattened.</summary>
        public Tensor[] Inputs { get; }

        /// <summary>Each layer's output after its activation, (N, out_l); the last is the network's output.</summary>
        public Tensor[] Outputs { get; }

        /// <summary>The network's output, (N, out).</summary>
        public Tensor Output => Outputs[^1];

        /// <summary>Layer <paramref name="l"/>'s activation derivative, (N, out_l), computed once; null for the identity.</summary>
        internal Tensor? Derivative(int l)
        {
            if (_derivatives[l] is null && Chain._layers[l].Activation != Activation.None)
            {
                using var noGraph = no_grad();
                _derivatives[l] = DerivativeFromOutput(Outputs[l], Chain._layers[l]);
            }
            return _derivatives[l];
        }
    }

    /// <summary>∂(Σ output)/∂input, (N, in), and the factors δ_l = ∂(Σ output)/∂(layer l's affine part) it was made from.</summary>
    public sealed record InputGradient(Tape Tape, Tensor Gradient, Tensor[] Deltas);
}
