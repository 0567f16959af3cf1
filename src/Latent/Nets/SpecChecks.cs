namespace Latent.Nets;

/// <summary>
/// The checks the conv nets' specs share, each throwing an <see cref="ArgumentException"/> on <c>spec</c> that names
/// the field, its value and what was expected ("DcganGeneratorSpec.Width is 0; expected ≥ 1").
/// </summary>
internal static class SpecChecks
{
    /// <summary>Refuses a <paramref name="value"/> below 1.</summary>
    public static void AtLeastOne(string field, int value)
    {
        if (value < 1)
            throw new ArgumentException($"{field} is {value}; expected ≥ 1", "spec");
    }

    /// <summary>Refuses an image size that <paramref name="halvings"/> stride-2 layers cannot divide down to a whole square.</summary>
    public static void Divisible(string spec, int imageSize, int halvings, string halvingsField)
    {
        if (halvings > 30 || imageSize % (1 << halvings) != 0)
            throw new ArgumentException($"{spec}.ImageSize is {imageSize}; expected a multiple of 2^{spec}.{halvingsField} = 2^{halvings}", "spec");
    }

    /// <summary>Refuses a negative or NaN slope.</summary>
    public static void Slope(string field, double value)
    {
        if (!(value >= 0))
            throw new ArgumentException($"{field} is {value}; expected ≥ 0", "spec");
    }

    /// <summary>Refuses a value that is none of the enum's named members (a cast integer).</summary>
    public static void Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentException($"{field} is {Convert.ToInt64(value)}; expected one of {string.Join(", ", Enum.GetNames<TEnum>())}", "spec");
    }
}
