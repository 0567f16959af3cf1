namespace Latent.Diagnostics;

/// <summary>
/// Recognizes a Wasserstein critic that has lost its Lipschitz control, from <see cref="CriticSlopeProbe"/> readings:
/// a mean input-gradient norm between real and generated examples of at least <see cref="RaiseAbove"/> (the critic is
/// steeper than 1-Lipschitz and its scores run away) or at most <see cref="RaiseBelow"/> (it is held so flat, by weight
/// clipping, that it can barely tell real from fake).
/// </summary>
/// <remarks>
/// <para>The optimal WGAN-GP critic has a gradient norm of 1 almost everywhere between the two distributions
/// (Gulrajani et al. 2017); the critic's Wasserstein estimate is only meaningful while it is 1-Lipschitz.</para>
/// <para>Thresholds from measurement on the 8-Gaussian ring (seed 0, 256 interpolates every 150 steps): <c>wgangp8g</c>
/// stays at 0.95–1.17 throughout; without any constraint (<c>wgan8g</c> with <c>gan.weight_clip=null</c>) the slope is 4.3 at
/// step 150 and climbs to 25 by step 3000, while the Wasserstein estimate grows without end; clipping at 0.01
/// (<c>wgan8g</c>) holds it at 0.0008–0.0017, where the critic is nearly linear (high-quality share 5%). Raise above 2 or
/// below 0.1 after <see cref="ReadingsToRaise"/> readings in a row; clear inside 1.5 and 0.2 after as many.</para>
/// </remarks>
public sealed class LipschitzDetector : HealthDetector
{
    /// <summary>Mean slope at or above which the critic is too steep.</summary>
    public const double RaiseAbove = 2;

    /// <summary>Mean slope below which a steep critic is back under control.</summary>
    public const double ClearAbove = 1.5;

    /// <summary>Mean slope at or below which the critic is too flat.</summary>
    public const double RaiseBelow = 0.1;

    /// <summary>Mean slope above which a flat critic is back.</summary>
    public const double ClearBelow = 0.2;

    /// <summary>Mean slope at or above which a steep critic is severe.</summary>
    public const double SevereAbove = 5;

    /// <summary>Consecutive readings out of range that raise the issue; as many in range clear it.</summary>
    public const int ReadingsToRaise = 2;

    /// <summary>The remedy for a critic that is too steep (seed 004, "WGAN training: critic loss does not decrease").</summary>
    public const string SteepFix =
        "enforce the Lipschitz constraint with a gradient penalty of λ = 10 (gan.gradient_penalty=10), computed on interpolates between real " +
        "and fake examples, differentiated with create_graph; or clip the critic's weights (gan.weight_clip=0.01) or spectrally normalize it " +
        "(gan.discriminator.spectral_norm=true); keep the critic free of a sigmoid";

    /// <summary>The remedy for a critic held too flat.</summary>
    public const string FlatFix =
        "replace weight clipping with a gradient penalty (gan.weight_clip=null, gan.gradient_penalty=10): clipping keeps the critic nearly linear " +
        "and wastes its capacity (Gulrajani et al. 2017); if a penalty is already on, lower its λ towards 10";

    private int _outside;
    private int _inside;
    private bool _steep;

    /// <inheritdoc />
    public override HealthIssue Issue => HealthIssue.LipschitzLost;

    /// <inheritdoc />
    public override void Restore(HealthFinding? raised)
    {
        base.Restore(raised);
        _steep = raised?.Figures.FirstOrDefault(f => f.Key == "critic_slope").Value >= 1;
        _outside = 0;
        _inside = 0;
    }

    /// <summary>Takes in one reading of the probe at <paramref name="step"/>.</summary>
    /// <returns>The event when the issue is raised or cleared at this reading; else null.</returns>
    public HealthFinding? Observe(long step, CriticSlopeReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        double slope = reading.Mean;
        bool steep = slope >= RaiseAbove || !double.IsFinite(slope);
        bool flat = slope <= RaiseBelow;
        bool outside = steep || flat;
        bool back = Active && (_steep ? slope < ClearAbove : slope > ClearBelow);
        _outside = outside ? _outside + 1 : 0;
        _inside = back ? _inside + 1 : 0;
        if (!Active && _outside >= ReadingsToRaise)
        {
            _steep = steep;
            string message = steep
                ? $"the critic has lost its Lipschitz control: between real and generated examples its gradient norm is {F(slope)} on average " +
                  $"(median {F(reading.Median)}, largest {F(reading.Max)}) where a Wasserstein critic needs 1, so its scores run away and the Wasserstein estimate means nothing"
                : $"the critic is held far below 1-Lipschitz: its gradient norm between real and generated examples is {F(slope)} on average " +
                  $"(largest {F(reading.Max)}) where a Wasserstein critic needs 1, so it is nearly linear and barely tells real from fake";
            var severity = steep && slope >= SevereAbove ? HealthSeverity.Severe : HealthSeverity.Warning;
            return Raise(step, severity, message, steep ? SteepFix : FlatFix, ("critic_slope", slope), ("critic_slope_max", reading.Max));
        }
        if (Active && _inside >= ReadingsToRaise)
            return Clear(step, $"the critic's gradient norm is back to {F(slope)}", ("critic_slope", slope));
        return null;
    }
}
