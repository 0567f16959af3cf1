using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>What <see cref="NearestNeighbours.InsideBalls"/> finds: which queries lie in a ball, which balls hold a query, and how many (query, ball) pairs there are.</summary>
/// <param name="QueryInside">(M) bool: the query lies inside at least one ball.</param>
/// <param name="CentreReached">(N) bool: the centre's ball holds at least one query.</param>
/// <param name="Pairs">The number of (query, ball) pairs with the query inside the ball.</param>
internal sealed record BallMembership(Tensor QueryInside, Tensor CentreReached, long Pairs);
