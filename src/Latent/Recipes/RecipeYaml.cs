using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Latent.Recipes;

/// <summary>
/// Reads and writes recipes as YAML. A YAML recipe is turned into the same JSON tree a JSON recipe is, and
/// <see cref="RecipeJson.FromTree"/> checks it: the same keys, types, <c>--set</c> overrides and messages.
/// </summary>
/// <remarks>
/// Scalars are typed by the YAML 1.2 core schema, whatever the file's <c>%YAML</c> directive says:
/// <list type="bullet">
/// <item>a quoted scalar (<c>'5'</c>, <c>"true"</c>) or a block scalar (<c>|</c>, <c>&gt;</c>) is a string;</item>
/// <item><c>true</c>/<c>false</c> (also <c>True</c>, <c>TRUE</c>, …) are booleans. <c>yes</c>, <c>no</c>, <c>on</c> and
/// <c>off</c> are strings, as in YAML 1.2 (YAML 1.1 read them as booleans), so <c>batch_norm: yes</c> is refused
/// with the path and "expected true or false" rather than guessed;</item>
/// <item><c>~</c>, <c>null</c> and an empty value are null;</item>
/// <item>integers (<c>12</c>, <c>0x1F</c>, <c>0o17</c>) and decimals (<c>2e-4</c>, <c>.5</c>) are numbers; <c>.inf</c> and
/// <c>.nan</c> are refused, since no recipe field takes them;</item>
/// <item>anything else is a string. Underscores in numbers (<c>10_000</c>) are YAML 1.1 only: here that is a string.</item>
/// </list>
/// The explicit tags <c>!!str</c>, <c>!!int</c>, <c>!!float</c>, <c>!!bool</c> and <c>!!null</c> are honoured; anchors and
/// aliases are expanded; a key given twice in one mapping, a second document, and merge keys (<c>&lt;&lt;</c>, YAML 1.1) are refused.
/// A syntax error is reported with its line and column.
/// </remarks>
public static partial class RecipeYaml
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>Reads a recipe from YAML text, applies <paramref name="overrides"/>, and checks keys and types as <see cref="RecipeJson.Parse"/> does.</summary>
    /// <param name="yaml">The YAML text: one mapping at the top level; absent fields take their defaults.</param>
    /// <param name="source">Names the text in errors (a file path).</param>
    /// <param name="overrides"><c>path=value</c> assignments, as for <see cref="RecipeJson.Parse"/>.</param>
    /// <exception cref="RecipeException">Malformed YAML (with line and column), an unknown key, a value of the wrong type, or a bad override.</exception>
    public static Recipe Parse(string yaml, string source, IEnumerable<string>? overrides = null)
    {
        var node = ToJson(yaml, source);
        if (node is not JsonObject root)
            throw new RecipeException($"{source}: expected a YAML mapping (key: value lines) at the top level, found {(node is null ? "nothing" : node is JsonArray ? "a list" : "a single value")}");
        return RecipeJson.FromTree(root, source, overrides);
    }

    /// <summary>The YAML document as a JSON tree (mappings as objects, sequences as lists, scalars typed as described on <see cref="RecipeYaml"/>).</summary>
    /// <param name="yaml">One YAML document.</param>
    /// <param name="source">Names the text in errors.</param>
    /// <returns>The tree; null for an empty document or an explicit null.</returns>
    /// <exception cref="RecipeException">Malformed YAML, a value no recipe can hold (<c>.inf</c>, a tag other than the core ones), or a repeated key.</exception>
    public static JsonNode? ToJson(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var scanner = new Scanner(new StringReader(yaml), skipComments: true);
        var reader = new TreeReader(new Parser(scanner), source);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            throw new RecipeException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {Sentence(e.Message)}", e);
        }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly)
        {
            // YamlDotNet 18.1's scanner fails this way on some malformed flow collections ("[1, 2" left open
            // before the next key) instead of with a YamlException: still a syntax error, at the scanner's position.
            var at = scanner.CurrentPosition;
            throw new RecipeException($"{source}: not valid YAML at line {at.Line}, column {at.Column}: cannot read on from here; is a bracket or quote before it left open?", e);
        }
    }

    /// <summary>The recipe as YAML, every field written (the YAML twin of <see cref="RecipeJson.Serialize"/>); it reads back to the same recipe.</summary>
    public static string Serialize(Recipe recipe)
    {
        var text = new StringBuilder();
        WriteMapping(text, RecipeJson.ToTree(recipe), 0);
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject mapping, int indent)
    {
        foreach (var (key, value) in mapping)
        {
            text.Append(' ', indent).Append(key).Append(':');
            if (value is JsonObject { Count: > 0 } inner)
            {
                text.Append('\n');
                WriteMapping(text, inner, indent + 2);
            }
            else
            {
                text.Append(' ').Append(Flow(value)).Append('\n');
            }
        }
    }

    /// <summary>
    /// A value on one line: scalars, and lists and empty mappings in flow style (<c>[64, 64]</c>, <c>{}</c>), inside
    /// which (<paramref name="inFlow"/>) commas and brackets end a plain scalar.
    /// </summary>
    private static string Flow(JsonNode? value, bool inFlow = false) => value switch
    {
        null => "null",
        JsonObject inner => "{" + string.Join(", ", inner.Select(p => $"{p.Key}: {Flow(p.Value, true)}")) + "}",
        JsonArray items => "[" + string.Join(", ", items.Select(i => Flow(i, true))) + "]",
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => PlainOrQuoted(scalar.GetValue<string>(), inFlow),
        _ => value.ToJsonString(),
    };

    /// <summary>
    /// A string as a plain scalar when it reads back as that same string, else double-quoted (a JSON string is a valid
    /// YAML double-quoted scalar).
    /// </summary>
    private static string PlainOrQuoted(string text, bool inFlow)
    {
        bool plain = text.Length > 0 && text.Trim() == text
                     && Resolve(text) is JsonValue resolved && resolved.GetValueKind() == JsonValueKind.String
                     && "-?:,[]{}#&*!|>'\"%@`".IndexOf(text[0]) < 0
                     && !text.Contains(": ", StringComparison.Ordinal) && !text.Contains(" #", StringComparison.Ordinal) && !text.EndsWith(':')
                     && !text.Any(char.IsControl)
                     && !(inFlow && text.Any(c => c is ',' or '[' or ']' or '{' or '}'));
        return plain ? text : JsonSerializer.Serialize(text, QuotedStrings);
    }

    private static readonly JsonSerializerOptions QuotedStrings = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A plain (untagged, unquoted) scalar typed by the YAML 1.2 core schema; infinities and NaN as doubles, for the caller to refuse.</summary>
    private static JsonNode? Resolve(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        return Number(text) ?? JsonValue.Create(text);
    }

    /// <summary>A core-schema number in JSON's syntax, or null when <paramref name="text"/> is not one.</summary>
    private static JsonNode? Number(string text)
    {
        if (Decimal().IsMatch(text))
        {
            string digits = text.TrimStart('+', '-').TrimStart('0');
            return JsonNode.Parse((text[0] == '-' ? "-" : "") + (digits.Length == 0 ? "0" : digits));
        }
        if (Octal().IsMatch(text) || Hexadecimal().IsMatch(text))
        {
            try
            {
                return JsonNode.Parse(Convert.ToUInt64(text[2..], text[1] == 'x' ? 16 : 8).ToString(CultureInfo.InvariantCulture));
            }
            catch (OverflowException)
            {
                return null; // too large for any field: left a string, which the field's check refuses
            }
        }
        if (Float().IsMatch(text))
        {
            string unsigned = text.TrimStart('+');
            if (JsonNumber().IsMatch(unsigned))
                return JsonNode.Parse(unsigned);
            // .5, 1., 01.5: not JSON's syntax; written as the same double, keeping a fraction mark so that
            // "1." is not a whole number here when "1.0" is not one in JSON.
            string shortest = double.Parse(text, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            return JsonNode.Parse(shortest.Contains('.') || shortest.Contains('E') ? shortest : shortest + ".0");
        }
        if (Infinity().IsMatch(text))
            return JsonValue.Create(text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        if (NotANumber().IsMatch(text))
            return JsonValue.Create(double.NaN);
        return null;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Decimal();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex Octal();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex Hexadecimal();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex Infinity();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$")]
    private static partial Regex NotANumber();

    private static string Sentence(string message) => message.Trim().TrimEnd('.');

    /// <summary>Walks the parser's events into a JSON tree, keeping the dotted path for messages.</summary>
    private sealed class TreeReader(IParser parser, string source)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

        public JsonNode? ReadStream()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
                return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode("");
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                throw Error(second.Start, "", "a second YAML document (after '---'); expected one recipe per file");
            parser.Consume<StreamEnd>();
            return root;
        }

        private JsonNode? ReadNode(string path)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    throw Error(alias.Start, path, $"the alias *{alias.Value.Value} names no anchor defined before it");
                return anchored?.DeepClone();
            }
            var node = parser.Current as NodeEvent ?? throw Error(parser.Current!.Start, path, "expected a value");
            JsonNode? value = node switch
            {
                Scalar scalar => ReadScalar(scalar, path),
                SequenceStart => ReadSequence(path),
                MappingStart => ReadMapping(path),
                _ => throw Error(node.Start, path, "expected a value"),
            };
            if (!node.Anchor.IsEmpty)
                _anchors[node.Anchor.Value] = value?.DeepClone();
            return value;
        }

        private JsonArray ReadSequence(string path)
        {
            var start = parser.Consume<SequenceStart>();
            CheckCollectionTag(start, "seq", path);
            var items = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode($"{path}[{items.Count}]"));
            return items;
        }

        private JsonObject ReadMapping(string path)
        {
            var start = parser.Consume<MappingStart>();
            CheckCollectionTag(start, "map", path);
            var mapping = new JsonObject();
            var lines = new Dictionary<string, Mark>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.Accept<Scalar>(out var keyEvent))
                    throw Error(parser.Current!.Start, path, "a key that is a list or a mapping; expected a plain name such as steps");
                parser.MoveNext();
                string key = keyEvent.Value;
                string here = path.Length == 0 ? key : $"{path}.{key}";
                if (key == "<<" && keyEvent.Style == ScalarStyle.Plain)
                    throw Error(keyEvent.Start, here, "merge keys (<<) are YAML 1.1 only; write the keys out, or use an alias (*name) for a whole value");
                if (lines.TryGetValue(key, out var first))
                    throw Error(keyEvent.Start, here, $"given twice in one mapping (first at line {first.Line})");
                lines[key] = keyEvent.Start;
                mapping[key] = ReadNode(here);
            }
            return mapping;
        }

        private JsonNode? ReadScalar(Scalar scalar, string path)
        {
            parser.MoveNext();
            string? tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
            bool plain = scalar.Style == ScalarStyle.Plain;
            JsonNode? value;
            switch (tag)
            {
                case null when plain:
                    value = Resolve(scalar.Value);
                    break;
                case null or "!" or CoreTagPrefix + "str":
                    return JsonValue.Create(scalar.Value);
                case CoreTagPrefix + "null":
                    value = scalar.Value is "" or "~" or "null" or "Null" or "NULL" ? null : throw Error(scalar.Start, path, $"!!null \"{scalar.Value}\" is not null");
                    break;
                case CoreTagPrefix + "bool":
                    value = Resolve(scalar.Value) is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                        ? b : throw Error(scalar.Start, path, $"!!bool \"{scalar.Value}\" is not true or false");
                    break;
                case CoreTagPrefix + "int":
                    value = Number(scalar.Value) is JsonValue i && !i.ToJsonString().Any(c => c is '.' or 'e' or 'E')
                        ? i : throw Error(scalar.Start, path, $"!!int \"{scalar.Value}\" is not a whole number");
                    break;
                case CoreTagPrefix + "float":
                    value = Number(scalar.Value) ?? throw Error(scalar.Start, path, $"!!float \"{scalar.Value}\" is not a number");
                    break;
                default:
                    throw Error(scalar.Start, path, $"the tag {tag} is not one a recipe uses; expected no tag, or !!str, !!int, !!float, !!bool, !!null");
            }
            if (value is JsonValue number && number.TryGetValue(out double d) && !double.IsFinite(d))
                throw Error(scalar.Start, path, $"{scalar.Value} is not a finite number; no recipe field takes infinities or NaN");
            return value;
        }

        private void CheckCollectionTag(NodeEvent start, string kind, string path)
        {
            if (!start.Tag.IsEmpty && start.Tag.Value != "!" && start.Tag.Value != CoreTagPrefix + kind)
                throw Error(start.Start, path, $"the tag {start.Tag.Value} is not one a recipe uses; expected none");
        }

        private RecipeException Error(Mark at, string path, string what) =>
            new($"{source}: {(path.Length == 0 ? "" : path + ": ")}{what} (line {at.Line}, column {at.Column})");
    }
}
