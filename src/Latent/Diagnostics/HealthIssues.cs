namespace Latent.Diagnostics;

/// <summary>The names of <see cref="HealthIssue"/> values: snake case in <c>health.jsonl</c>, a short label in the progress line.</summary>
public static class HealthIssues
{
    private static readonly Dictionary<HealthIssue, (string Name, string Label, string Title)> Table = new()
    {
        [HealthIssue.DiscriminatorWinning] = ("discriminator_winning", "D winning", "discriminator winning"),
        [HealthIssue.GeneratorCollapse] = ("generator_collapse", "G loss collapsed", "generator loss collapsed"),
        [HealthIssue.ModeCollapse] = ("mode_collapse", "mode collapse", "mode collapse"),
        [HealthIssue.Oscillation] = ("oscillation", "oscillating", "oscillation"),
        [HealthIssue.Divergence] = ("divergence", "diverging", "divergence"),
        [HealthIssue.LipschitzLost] = ("lipschitz_lost", "Lipschitz lost", "critic's Lipschitz control lost"),
        [HealthIssue.PosteriorCollapse] = ("posterior_collapse", "posterior collapse", "posterior collapse"),
    };

    /// <summary>The snake-case name written to <c>health.jsonl</c> (<c>discriminator_winning</c>).</summary>
    public static string Name(HealthIssue issue) => Table[issue].Name;

    /// <summary>A few words for the progress line (<c>D winning</c>).</summary>
    public static string Label(HealthIssue issue) => Table[issue].Label;

    /// <summary>The issue's name in a sentence (<c>discriminator winning</c>).</summary>
    public static string Title(HealthIssue issue) => Table[issue].Title;

    /// <summary>The issue of a snake-case name.</summary>
    /// <exception cref="FormatException">No issue has that name; the message lists them.</exception>
    public static HealthIssue Parse(string name)
    {
        foreach (var (issue, names) in Table)
        {
            if (names.Name == name)
                return issue;
        }
        throw new FormatException($"unknown health issue \"{name}\"; expected one of {string.Join(", ", Table.Values.Select(n => n.Name))}");
    }
}
