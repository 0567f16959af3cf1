namespace Latent.Data.Images;

/// <summary>A data file is malformed: the message names the file, the byte offset or record, and what was expected.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; the message is the path, a colon and <paramref name="problem"/>.</summary>
    /// <param name="filePath">The malformed file.</param>
    /// <param name="problem">Where in the file (byte offset or record), what was found and what was expected.</param>
    public DataFormatException(string filePath, string problem) : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
    }

    /// <summary>Creates the exception with the underlying error (a JSON syntax error, for example).</summary>
    public DataFormatException(string filePath, string problem, Exception inner) : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }

    /// <summary>The malformed file.</summary>
    public string FilePath { get; }
}
