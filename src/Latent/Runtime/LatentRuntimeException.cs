namespace Latent.Runtime;

/// <summary>The native engine (libtorch) cannot be loaded or used; the message names the cause and the remedy.</summary>
public sealed class LatentRuntimeException : Exception
{
    /// <summary>Creates the exception with a message that names the cause.</summary>
    public LatentRuntimeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public LatentRuntimeException(string message, Exception inner) : base(message, inner) { }
}
