using System.Globalization;
using System.Text.Json;

namespace Latent.Studio.Http;

/// <summary>
/// Reads the named values of a JSON object (a request body) or a query string with bounds: every value a client can
/// send is checked here, and a value out of range is refused with its name, what came and what was expected.
/// </summary>
internal sealed class Parameters
{
    private readonly Func<string, string?> _lookup;

    private Parameters(Func<string, string?> lookup) => _lookup = lookup;

    /// <summary>Values from a JSON object; numbers, strings and booleans are read by their text.</summary>
    public static Parameters FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new BadParameterException($"the request body is a JSON {body.ValueKind.ToString().ToLowerInvariant()}; expected an object");
        return new Parameters(name => body.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new BadParameterException($"{name}: a JSON {value.ValueKind.ToString().ToLowerInvariant()}; expected a number, string or boolean"),
        } : null);
    }

    /// <summary>Values from a query string.</summary>
    public static Parameters FromQuery(Microsoft.AspNetCore.Http.IQueryCollection query) =>
        new(name => query.TryGetValue(name, out var values) ? values.Count == 1 ? values[0] : throw new BadParameterException($"{name} is given {values.Count} times; give it once") : null);

    /// <summary>A finite number in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public double Number(string name, double min, double max, double fallback)
    {
        string? text = _lookup(name);
        if (text is null)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new BadParameterException($"{name}: '{Clip(text)}' is not a finite number");
        if (value < min || value > max)
            throw new BadParameterException(FormattableString.Invariant($"{name}: {value:G6} is out of range; expected a number in [{min:G6}, {max:G6}]"));
        return value;
    }

    /// <summary>A learning rate: a number in (0, <paramref name="max"/>].</summary>
    public double LearningRate(string name, double max, double fallback)
    {
        double value = Number(name, double.MinValue, double.MaxValue, fallback);
        if (!(value > 0) || value > max)
            throw new BadParameterException(FormattableString.Invariant($"{name}: learning rate {value:G6} is out of range; expected a number in (0, {max:G6}]"));
        return value;
    }

    /// <summary>A whole number in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public int Whole(string name, int min, int max, int fallback)
    {
        string? text = _lookup(name);
        if (text is null)
            return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw new BadParameterException($"{name}: '{Clip(text)}' is not a whole number");
        if (value < min || value > max)
            throw new BadParameterException($"{name}: {value} is out of range; expected a whole number in [{min}, {max}]");
        return (int)value;
    }

    /// <summary>One of <paramref name="choices"/>, or <paramref name="fallback"/> when absent.</summary>
    public string Choice(string name, IReadOnlyList<string> choices, string fallback)
    {
        string? text = _lookup(name);
        if (text is null)
            return fallback;
        if (!choices.Contains(text, StringComparer.Ordinal))
            throw new BadParameterException($"{name}: unknown '{Clip(text)}'; expected one of {string.Join(", ", choices)}");
        return text;
    }

    /// <summary>true or false, or <paramref name="fallback"/> when absent.</summary>
    public bool Flag(string name, bool fallback)
    {
        string? text = _lookup(name);
        return text switch
        {
            null => fallback,
            "true" => true,
            "false" => false,
            _ => throw new BadParameterException($"{name}: '{Clip(text)}'; expected true or false"),
        };
    }

    /// <summary>A string of at most <paramref name="maxLength"/> characters, or null when absent.</summary>
    public string? Text(string name, int maxLength)
    {
        string? text = _lookup(name);
        if (text is not null && text.Length > maxLength)
            throw new BadParameterException($"{name}: {text.Length} characters; expected at most {maxLength}");
        return text;
    }

    /// <summary>Echoes at most 40 characters of what a client sent.</summary>
    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
