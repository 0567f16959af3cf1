using Latent.Models.Losses;
using Latent.Models.Regularizers;
using Latent.Nets;
using static TorchSharp.torch;

namespace Latent.Models;

/// <summary>
/// The gradients of a <see cref="Gan"/>'s critic and generator updates when both networks are plain perceptrons,
/// through <see cref="MlpChain"/>'s written-out backward instead of autograd: the same updates in fewer, larger ops.
/// </summary>
/// <remarks>
/// <para>The critic scores the real and the generated batch in one pass of twice the rows. The built-in losses and the
/// gradient penalty write out their own derivatives too (<see cref="IScoreGradients"/>,
/// <see cref="GradientPenalty.OfGradientWithDerivative"/>); any other <see cref="IGanLoss"/> is differentiated by autograd
/// on leaves the size of the scores: a few nodes, where the networks would add dozens.</para>
/// <para>It serves unconditional GANs without feature matching whose regularizers are gradient penalties (on a critic
/// of piecewise-linear activations) or none; <see cref="Gan"/> takes its autograd path for everything else.
/// Constraints, clipping, the optimizers and the EMA are the same code on both paths. Random numbers are drawn in the
/// same order as on the autograd path, so a seed gives the same run on either, up to floating-point rounding.</para>
/// </remarks>
internal sealed class MlpGanGradients
{
    private readonly MlpChain _generator;
    private readonly MlpChain _critic;
    private readonly GradientPenalty[] _penalties;

    private MlpGanGradients(MlpChain generator, MlpChain critic, GradientPenalty[] penalties)
    {
        _generator = generator;
        _critic = critic;
        _penalties = penalties;
    }

    /// <summary>The written-out gradients for this GAN, or null when its networks or options need autograd's.</summary>
    public static MlpGanGradients? TryCreate(nn.Module generator, nn.Module discriminator, int classes, GanOptions options)
    {
        if (classes > 0 || options.FeatureMatchingWeight > 0)
            return null;
        if (MlpChain.Of(generator) is not { } generatorChain || MlpChain.Of(discriminator) is not { } criticChain || criticChain.Outputs != 1)
            return null;
        if (!options.Regularizers.All(regularizer => regularizer is GradientPenalty))
            return null;
        var penalties = options.Regularizers.Cast<GradientPenalty>().ToArray();
        if (penalties.Length > 0 && !criticChain.IsPiecewiseLinear)
            return null;
        return new MlpGanGradients(generatorChain, criticChain, penalties);
    }

    /// <summary>
    /// Adds the critic loss's gradient, penalties included, into the critic's parameters' <c>grad</c> (zeroed by the
    /// caller); returns the loss without penalties and the scores of the two batches, and adds each penalty, unweighted,
    /// to <paramref name="penalties"/> under its name.
    /// </summary>
    public (Tensor Loss, Tensor RealScores, Tensor FakeScores) Critic(Tensor real, Tensor fake, IGanLoss loss,
                                                                        List<(string, Tensor)> penalties, Generator noise)
    {
        long n = real.shape[0];
        var tape = _critic.Forward(cat([real.flatten(1), fake.flatten(1)]));       // one pass over 2N rows
        var realScores = tape.Output.narrow(0, 0, n);                               // (N, 1)
        var fakeScores = tape.Output.narrow(0, n, n);
        Tensor lossValue, realGradient, fakeGradient;
        using (no_grad())
        {
            lossValue = loss.DiscriminatorLoss(realScores, fakeScores);
            (realGradient, fakeGradient) = DiscriminatorLossGradients(loss, realScores, fakeScores);
        }
        _critic.Backward(tape, cat([realGradient, fakeGradient]));

        foreach (var penalty in _penalties)
        {
            var mixedTape = _critic.Forward(GradientPenalty.Interpolate(real, fake, noise));
            var inputGradient = _critic.InputGradientOfSum(mixedTape);
            using (no_grad())
            {
                var (value, derivative) = GradientPenalty.OfGradientWithDerivative(inputGradient.Gradient);
                _critic.BackwardThroughInputGradient(inputGradient, derivative.mul_(penalty.Weight));
                penalties.Add((penalty.Name, value));
            }
        }
        return (lossValue, realScores, fakeScores);
    }

    /// <summary>Adds the generator loss's gradient at latent codes <paramref name="z"/> into the generator's parameters' <c>grad</c> (zeroed by the caller); returns the loss.</summary>
    public Tensor Generator(Tensor z, IGanLoss loss)
    {
        var generated = _generator.Forward(z);
        var scored = _critic.Forward(generated.Output);
        Tensor lossValue, scoreGradient;
        using (no_grad())
        {
            lossValue = loss.GeneratorLoss(scored.Output);
            scoreGradient = GeneratorLossGradient(loss, scored.Output);
        }
        var atGenerated = _critic.Backward(scored, scoreGradient, parameterGradients: false, inputGradient: true)!;
        _generator.Backward(generated, atGenerated);
        return lossValue;
    }

    private static (Tensor Real, Tensor Fake) DiscriminatorLossGradients(IGanLoss loss, Tensor realScores, Tensor fakeScores)
    {
        if (loss is IScoreGradients written)
            return written.DiscriminatorLossGradients(realScores, fakeScores);
        var gradients = GradientsByAutograd(leaves => loss.DiscriminatorLoss(leaves[0], leaves[1]), realScores, fakeScores);
        return (gradients[0], gradients[1]);
    }

    private static Tensor GeneratorLossGradient(IGanLoss loss, Tensor fakeScores) =>
        loss is IScoreGradients written
            ? written.GeneratorLossGradient(fakeScores)
            : GradientsByAutograd(leaves => loss.GeneratorLoss(leaves[0]), fakeScores)[0];

    /// <summary>The gradient of f with respect to each of <paramref name="points"/>, through autograd on leaves cut from them: for losses that do not write theirs out.</summary>
    private static Tensor[] GradientsByAutograd(Func<Tensor[], Tensor> f, params Tensor[] points)
    {
        using var graph = enable_grad();
        var leaves = points.Select(point => point.detach().requires_grad_(true)).ToArray();
        return [.. autograd.grad([f(leaves)], leaves)];
    }
}
