namespace Latent.Studio.Walker;

/// <summary>A run named by a request that is not under the runs root; a 404.</summary>
internal sealed class RunNotFoundException(string run) : Exception($"no run '{run}' under the runs root");
