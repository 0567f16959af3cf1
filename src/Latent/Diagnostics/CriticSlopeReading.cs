namespace Latent.Diagnostics;

/// <summary>One measurement of a critic's slope: the norms ‖∇ₓD(x̂)‖ at points x̂ between real and generated examples (<see cref="CriticSlopeProbe"/>).</summary>
/// <param name="Mean">The mean norm: 1 for the optimal critic of WGAN-GP.</param>
/// <param name="Median">The median norm.</param>
/// <param name="Max">The largest norm: a lower bound of the critic's Lipschitz constant.</param>
public sealed record CriticSlopeReading(double Mean, double Median, double Max);
