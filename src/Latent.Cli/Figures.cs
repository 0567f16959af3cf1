using System.Globalization;

namespace Latent.Cli;

/// <summary>How the command prints a figure: counts as whole numbers with thousands separators, modes as "k / K", the rest to four significant digits.</summary>
internal static class Figures
{
    public static string Format(string name, double value, IReadOnlyList<KeyValuePair<string, double>> all)
    {
        if (!double.IsFinite(value))
            return "n/a";
        if (name == "modes_covered")
        {
            double count = all.FirstOrDefault(f => f.Key == "mode_count").Value;
            return string.Create(CultureInfo.InvariantCulture, $"{value:F0} / {count:F0}");
        }
        if (name is "mode_count" or "samples" or "real_images" or "iwae_images")
            return value.ToString("N0", CultureInfo.InvariantCulture);
        return value.ToString("G4", CultureInfo.InvariantCulture);
    }
}
