namespace Latent.Serialization;

/// <summary>
/// A safetensors file that is damaged or does not fit what reads it: a bad header, a tensor whose shape, dtype or offsets
/// do not add up, or weights that do not match the module they are loaded into.
/// </summary>
/// <remarks>
/// The message names the file, the tensor and what was expected against what was found. An <see cref="IOException"/>, as
/// <see cref="InvalidDataException"/> would be had .NET not sealed it: code that handles unreadable files handles this too.
/// </remarks>
public sealed class SafeTensorsException : IOException
{
    /// <summary>An error with its message.</summary>
    public SafeTensorsException(string message) : base(message)
    {
    }

    /// <summary>An error with its message and the exception that revealed it.</summary>
    public SafeTensorsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
