namespace Latent.Data.Images;

/// <summary>A data set could not be fetched: npm is missing, failed (its exit code and last lines are in the message) or timed out.</summary>
public sealed class DataFetchException : Exception
{
    /// <summary>Creates the exception with a message that names the cause and the remedy.</summary>
    public DataFetchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public DataFetchException(string message, Exception inner) : base(message, inner) { }
}
