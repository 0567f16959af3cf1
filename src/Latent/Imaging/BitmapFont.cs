namespace Latent.Imaging;

/// <summary>
/// Latent's built-in proportional bitmap font: 7-pixel capitals, 5-pixel lowercase with 2-pixel descenders,
/// digits 5 pixels wide so that tick values line up.
/// </summary>
/// <remarks>
/// Each glyph is drawn on a grid of <see cref="CellHeight"/> rows: rows 0–6 sit above the baseline,
/// rows 7–8 hold descenders (g, j, p, q, y, comma). A glyph's width is the length of its rows; glyphs are
/// separated by one blank column. Characters without a glyph are drawn as a hollow box, so an unexpected
/// character is visible rather than silently dropped.
/// </remarks>
internal static class BitmapFont
{
    /// <summary>Rows from the top of a capital to the baseline.</summary>
    public const int CapHeight = 7;

    /// <summary>Rows of one text line, descenders included.</summary>
    public const int CellHeight = 9;

    /// <summary>Rows from one line's top to the next line's top.</summary>
    public const int LineAdvance = CellHeight + 2;

    /// <summary>Blank columns between neighbouring glyphs.</summary>
    public const int Spacing = 1;

    /// <summary>One glyph: its width in columns and one bit row per font row (bit <c>Width − 1 − column</c> set where ink is).</summary>
    public sealed record Glyph(int Width, byte[] Rows)
    {
        /// <summary>Whether the font pixel at (column, row) is ink.</summary>
        public bool IsInk(int column, int row) => (Rows[row] >> (Width - 1 - column) & 1) != 0;
    }

    private static readonly Dictionary<char, Glyph> Glyphs = BuildGlyphs();

    /// <summary>The glyph drawn for an unknown character: a hollow box.</summary>
    public static Glyph Missing { get; } = Parse('\uFFFD', "####/#..#/#..#/#..#/#..#/#..#/####");

    /// <summary>Every character that has its own glyph.</summary>
    public static IEnumerable<char> Characters => Glyphs.Keys;

    /// <summary>The glyph for <paramref name="character"/>, or <see cref="Missing"/>.</summary>
    public static Glyph For(char character) => Glyphs.TryGetValue(character, out var glyph) ? glyph : Missing;

    /// <summary>Whether <paramref name="character"/> has its own glyph.</summary>
    public static bool Has(char character) => Glyphs.ContainsKey(character);

    /// <summary>The size in font pixels (scale 1) of <paramref name="text"/>; lines are separated by <c>'\n'</c>.</summary>
    public static (int Width, int Height) Measure(string text)
    {
        if (text.Length == 0)
            return (0, 0);
        int widest = 0;
        int lines = 1;
        int current = 0;
        bool lineStart = true;
        foreach (char character in text)
        {
            if (character == '\n')
            {
                widest = Math.Max(widest, current);
                current = 0;
                lines++;
                lineStart = true;
                continue;
            }
            current += (lineStart ? 0 : Spacing) + For(character).Width;
            lineStart = false;
        }
        widest = Math.Max(widest, current);
        return (widest, (lines - 1) * LineAdvance + CellHeight);
    }

    private static Dictionary<char, Glyph> BuildGlyphs()
    {
        // Rows top to bottom separated by '/', '#' for ink. Seven rows end at the baseline; nine include descenders.
        var definitions = new (char Character, string Rows)[]
        {
            (' ', ".../.../.../.../.../.../..."),
            ('0', ".###./#...#/#..##/#.#.#/##..#/#...#/.###."),
            ('1', "..#../.##../..#../..#../..#../..#../.###."),
            ('2', ".###./#...#/....#/...#./..#../.#.../#####"),
            ('3', ".###./#...#/....#/..##./....#/#...#/.###."),
            ('4', "...#./..##./.#.#./#..#./#####/...#./...#."),
            ('5', "#####/#..../####./....#/....#/#...#/.###."),
            ('6', "..##./.#.../#..../####./#...#/#...#/.###."),
            ('7', "#####/....#/...#./..#../.#.../.#.../.#..."),
            ('8', ".###./#...#/#...#/.###./#...#/#...#/.###."),
            ('9', ".###./#...#/#...#/.####/....#/...#./.##.."),
            ('A', ".###./#...#/#...#/#####/#...#/#...#/#...#"),
            ('B', "####./#...#/#...#/####./#...#/#...#/####."),
            ('C', ".###./#...#/#..../#..../#..../#...#/.###."),
            ('D', "####./#...#/#...#/#...#/#...#/#...#/####."),
            ('E', "#####/#..../#..../####./#..../#..../#####"),
            ('F', "#####/#..../#..../####./#..../#..../#...."),
            ('G', ".###./#...#/#..../#.###/#...#/#...#/.####"),
            ('H', "#...#/#...#/#...#/#####/#...#/#...#/#...#"),
            ('I', "###/.#./.#./.#./.#./.#./###"),
            ('J', "..###/...#./...#./...#./...#./#..#./.##.."),
            ('K', "#...#/#..#./#.#../##.../#.#../#..#./#...#"),
            ('L', "#.../#.../#.../#.../#.../#.../####"),
            ('M', "#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#"),
            ('N', "#...#/#...#/##..#/#.#.#/#..##/#...#/#...#"),
            ('O', ".###./#...#/#...#/#...#/#...#/#...#/.###."),
            ('P', "####./#...#/#...#/####./#..../#..../#...."),
            ('Q', ".###./#...#/#...#/#...#/#.#.#/#..#./.##.#"),
            ('R', "####./#...#/#...#/####./#.#../#..#./#...#"),
            ('S', ".####/#..../#..../.###./....#/....#/####."),
            ('T', "#####/..#../..#../..#../..#../..#../..#.."),
            ('U', "#...#/#...#/#...#/#...#/#...#/#...#/.###."),
            ('V', "#...#/#...#/#...#/#...#/#...#/.#.#./..#.."),
            ('W', "#...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#."),
            ('X', "#...#/#...#/.#.#./..#../.#.#./#...#/#...#"),
            ('Y', "#...#/#...#/.#.#./..#../..#../..#../..#.."),
            ('Z', "#####/....#/...#./..#../.#.../#..../#####"),
            ('a', "..../..../.##./...#/.###/#..#/.###"),
            ('b', "#.../#.../###./#..#/#..#/#..#/###."),
            ('c', "..../..../.###/#.../#.../#.../.###"),
            ('d', "...#/...#/.###/#..#/#..#/#..#/.###"),
            ('e', "..../..../.##./#..#/####/#.../.###"),
            ('f', "..##/.#../####/.#../.#../.#../.#.."),
            ('g', "..../..../.###/#..#/#..#/#..#/.###/...#/.##."),
            ('h', "#.../#.../###./#..#/#..#/#..#/#..#"),
            ('i', "#/./#/#/#/#/#"),
            ('j', "..#/.../.##/..#/..#/..#/..#/..#/##."),
            ('k', "#.../#.../#..#/#.#./##../#.#./#..#"),
            ('l', "#./#./#./#./#./#./.#"),
            ('m', "...../...../####./#.#.#/#.#.#/#.#.#/#.#.#"),
            ('n', "..../..../###./#..#/#..#/#..#/#..#"),
            ('o', "..../..../.##./#..#/#..#/#..#/.##."),
            ('p', "..../..../###./#..#/#..#/#..#/###./#.../#..."),
            ('q', "..../..../.###/#..#/#..#/#..#/.###/...#/...#"),
            ('r', "..../..../#.##/##../#.../#.../#..."),
            ('s', "..../..../.###/#.../.##./...#/###."),
            ('t', ".#../.#../####/.#../.#../.#../..##"),
            ('u', "..../..../#..#/#..#/#..#/#..#/.###"),
            ('v', "...../...../#...#/#...#/#...#/.#.#./..#.."),
            ('w', "...../...../#...#/#...#/#.#.#/#.#.#/.#.#."),
            ('x', "..../..../#..#/#..#/.##./#..#/#..#"),
            ('y', "..../..../#..#/#..#/#..#/#..#/.###/...#/.##."),
            ('z', "..../..../####/...#/..#./.#../####"),
            ('.', "./././././#/."),
            (',', "../../../../../.#/.#/#."),
            ('-', "..../..../..../####/..../..../...."),
            ('+', "...../..#../..#../#####/..#../..#../....."),
            (':', "./#/./././#/."),
            (';', "../.#/../../../.#/.#/#."),
            ('(', "..#/.#./#../#../#../.#./..#"),
            (')', "#../.#./..#/..#/..#/.#./#.."),
            ('[', "##/#./#./#./#./#./##"),
            (']', "##/.#/.#/.#/.#/.#/##"),
            ('{', ".##/.#./.#./#../.#./.#./.##"),
            ('}', "##./.#./.#./..#/.#./.#./##."),
            ('`', "#./.#/../../../../.."),
            ('/', "....#/....#/...#./..#../.#.../#..../#...."),
            ('\\', "#..../#..../.#.../..#../...#./....#/....#"),
            ('%', "##..#/##..#/...#./..#../.#.../#..##/#..##"),
            ('=', "..../..../####/..../####/..../...."),
            ('_', "...../...../...../...../...../...../...../#####"),
            ('!', "#/#/#/#/#/./#"),
            ('?', ".###./#...#/....#/...#./..#../...../..#.."),
            ('\'', "#/#/././././."),
            ('"', "#.#/#.#/.../.../.../.../..."),
            ('#', ".#.#./.#.#./#####/.#.#./#####/.#.#./.#.#."),
            ('*', "...../..#../#.#.#/.###./#.#.#/..#../....."),
            ('<', "...#/..#./.#../#.../.#../..#./...#"),
            ('>', "#.../.#../..#./...#/..#./.#../#..."),
            ('|', "#/#/#/#/#/#/#/#/#"),
            ('&', ".#.../#.#../#.#../.#.../#.#.#/#..#./.##.#"),
            ('^', "..#../.#.#./#...#/...../...../...../....."),
            ('~', "...../...../.#.../#.#.#/...#./...../....."),
            ('@', ".###./#...#/#.###/#.#.#/#.###/#..../.###."),
            ('$', "..#../.####/#.#../.###./..#.#/####./..#.."),
            ('×', "...../#...#/.#.#./..#../.#.#./#...#/....."),
            ('−', "..../..../..../####/..../..../...."),
            ('·', "./././#/././."),
            ('°', ".#./#.#/.#./.../.../.../..."),
            ('²', "##./..#/.#./###/.../.../..."),
            ('≈', "...../.#.../#.#.#/...#./.#.../#.#.#/...#."),
            ('α', "...../...../.##.#/#..#./#..#./#..#./.##.#"),
            ('ε', "..../..../.###/#.../.##./#.../.###"),
            ('λ', "##.../..#../..#../.#.#./.#.#./#...#/#...#"),
            ('μ', "..../..../#..#/#..#/#..#/#..#/###./#.../#..."),
            ('σ', "...../...../.####/#..#./#...#/#...#/.###."),
        };
        var glyphs = new Dictionary<char, Glyph>(definitions.Length);
        foreach (var (character, rows) in definitions)
            glyphs.Add(character, Parse(character, rows));
        return glyphs;
    }

    private static Glyph Parse(char character, string definition)
    {
        string[] rows = definition.Split('/');
        if (rows.Length is not (CapHeight or CapHeight + 1 or CellHeight))
            throw new InvalidOperationException($"glyph '{character}' has {rows.Length} rows; expected {CapHeight} to {CellHeight}");
        int width = rows[0].Length;
        var bits = new byte[CellHeight];
        for (int row = 0; row < rows.Length; row++)
        {
            if (rows[row].Length != width)
                throw new InvalidOperationException($"glyph '{character}' row {row} has {rows[row].Length} columns; expected {width}");
            for (int column = 0; column < width; column++)
            {
                if (rows[row][column] == '#')
                    bits[row] |= (byte)(1 << (width - 1 - column));
            }
        }
        return new Glyph(width, bits);
    }
}
