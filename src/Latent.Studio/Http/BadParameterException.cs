namespace Latent.Studio.Http;

/// <summary>A request parameter or body out of bounds; becomes a 400 reply carrying the message.</summary>
internal sealed class BadParameterException(string message) : Exception(message);
