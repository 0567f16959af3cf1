namespace Latent.Recipes;

/// <summary>"Did you mean …?" for misspelt names: keys, presets, commands.</summary>
public static class NameSuggestion
{
    /// <summary>The known name nearest to a misspelt one, when it is close (edit distance ≤ 2); null otherwise.</summary>
    public static string? Closest(string key, IEnumerable<string> known) =>
        known.Select(k => (Key: k, Distance: EditDistance(key, k))).Where(p => p.Distance <= 2).OrderBy(p => p.Distance).Select(p => p.Key).FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
