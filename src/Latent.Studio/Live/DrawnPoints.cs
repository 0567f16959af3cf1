using Latent.Data;
using static TorchSharp.torch;

namespace Latent.Studio.Live;

/// <summary>Points the user drew on the mode-collapse panel, as a fixed 2D data set that batches are drawn from.</summary>
internal sealed class DrawnPoints(Tensor points) : FixedDataset(points);
