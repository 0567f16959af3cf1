using System.Globalization;

namespace Latent.Cli;

/// <summary>
/// A command's arguments: positionals and <c>--name value</c> options (also <c>--name=value</c>), some repeatable,
/// some flags. Every option a command accepts is declared, so a misspelt one is an error, not ignored.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private Arguments(string command) => Command = command;

    public string Command { get; }

    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/> against the declared <paramref name="valueOptions"/> and <paramref name="flagOptions"/>.</summary>
    public static Arguments Parse(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var parsed = new Arguments(command);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                parsed.Positionals.Add(arg);
                continue;
            }
            string name = arg;
            string? inline = null;
            int equals = arg.IndexOf('=');
            if (equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }
            if (flagOptions.Contains(name))
            {
                if (inline is not null)
                    throw new UsageException($"{command}: {name} takes no value");
                parsed._flags.Add(name);
                continue;
            }
            if (!valueOptions.Contains(name))
            {
                var known = valueOptions.Concat(flagOptions).OrderBy(o => o, StringComparer.Ordinal);
                throw new UsageException($"{command}: unknown option {name}; expected one of {string.Join(", ", known)} (see 'latent {command} --help')");
            }
            string? value = inline ?? (i + 1 < args.Count ? args[++i] : null);
            if (value is null)
                throw new UsageException($"{command}: {name} needs a value");
            if (!parsed._options.TryGetValue(name, out var values))
                parsed._options[name] = values = [];
            values.Add(value);
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public string? Value(string name)
    {
        var values = All(name);
        if (values.Count > 1)
            throw new UsageException($"{Command}: {name} is given {values.Count} times; give it once");
        return values.Count == 1 ? values[0] : null;
    }

    public long? Whole(string name, long minimum)
    {
        string? text = Value(name);
        if (text is null)
            return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw new UsageException($"{Command}: {name} '{text}' is not a whole number");
        if (value < minimum)
            throw new UsageException($"{Command}: {name} {value} is out of range; expected a whole number ≥ {minimum}");
        return value;
    }

    public string Single(string what)
    {
        if (Positionals.Count == 0)
            throw new UsageException($"{Command}: missing {what} (see 'latent {Command} --help')");
        if (Positionals.Count > 1)
            throw new UsageException($"{Command}: expected one {what}, got {Positionals.Count}: {string.Join(" ", Positionals)}");
        return Positionals[0];
    }
}
