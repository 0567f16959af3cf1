namespace Latent.Data.Images;

/// <summary>A data set is not on this machine: the message names it, the folder it was looked for in, and the command that fetches it.</summary>
public sealed class DataNotInstalledException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="dataSet">The data set's name (<c>mnist</c>).</param>
    /// <param name="folder">The folder where it was looked for.</param>
    /// <param name="command">The command that fetches it (<c>latent data fetch mnist</c>).</param>
    public DataNotInstalledException(string dataSet, string folder, string command)
        : base($"data set '{dataSet}' is not installed: looked for it in {folder}. Fetch it with: {command}")
    {
        DataSet = dataSet;
        Folder = folder;
        Command = command;
    }

    /// <summary>The data set that is missing.</summary>
    public string DataSet { get; }

    /// <summary>The folder where it was looked for.</summary>
    public string Folder { get; }

    /// <summary>The command that fetches it, ready to paste into a shell.</summary>
    public string Command { get; }
}
