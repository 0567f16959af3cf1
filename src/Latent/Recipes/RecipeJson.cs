using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latent.Recipes;

/// <summary>
/// Reads and writes recipes as JSON with snake_case keys, checking every key against the recipe's fields
/// and applying <c>path=value</c> overrides (the CLI's <c>--set</c>).
/// </summary>
public static class RecipeJson
{
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.SnakeCaseLower;
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = Naming,
        WriteIndented = true,
        // recipe.json is read by people: keep λ and σ in descriptions as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The recipe as indented JSON, every field written (the resolved recipe of a run).</summary>
    public static string Serialize(Recipe recipe) => JsonSerializer.Serialize(recipe, Options);

    /// <summary>Reads a recipe from JSON text, applies <paramref name="overrides"/>, and checks keys and types.</summary>
    /// <param name="json">The JSON text; absent fields take their defaults.</param>
    /// <param name="source">Names the text in errors (a file path or a preset name).</param>
    /// <param name="overrides"><c>path=value</c> assignments, value parsed as JSON when it is valid JSON, else taken as a string.</param>
    /// <exception cref="RecipeException">Malformed JSON, an unknown key, a value of the wrong type, or a bad override.</exception>
    public static Recipe Parse(string json, string source, IEnumerable<string>? overrides = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new RecipeException($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", e);
        }
        if (node is not JsonObject root)
            throw new RecipeException($"{source}: expected a JSON object at the top level, found {Describe(node)}");
        return FromTree(root, source, overrides);
    }

    /// <summary>Applies overrides to <paramref name="recipe"/> through its JSON form, with the same checks as <see cref="Parse"/>.</summary>
    public static Recipe WithOverrides(Recipe recipe, IEnumerable<string> overrides, string source) =>
        FromTree(ToTree(recipe), source, overrides);

    /// <summary>The recipe as a JSON tree, every field present (what <see cref="Serialize"/> writes).</summary>
    public static JsonObject ToTree(Recipe recipe) => (JsonObject)JsonSerializer.SerializeToNode(recipe, Options)!;

    /// <summary>
    /// Reads a recipe from a JSON tree, however it was written (a JSON file, a YAML file through <see cref="RecipeYaml"/>):
    /// applies <paramref name="overrides"/> to <paramref name="root"/>, then checks every key and type and names the path of the first problem.
    /// </summary>
    /// <param name="root">The recipe's top-level object; changed by the overrides.</param>
    /// <param name="source">Names the recipe in errors (a file path or a preset name).</param>
    /// <param name="overrides"><c>path=value</c> assignments, as for <see cref="Parse"/>.</param>
    /// <exception cref="RecipeException">An unknown key, a value of the wrong type, or a bad override.</exception>
    public static Recipe FromTree(JsonObject root, string source, IEnumerable<string>? overrides = null)
    {
        foreach (string assignment in overrides ?? [])
            ApplyOverride(root, assignment);
        CheckKeys(root, typeof(Recipe), "", source);
        try
        {
            return root.Deserialize<Recipe>(Options) ?? throw new RecipeException($"{source}: the recipe is empty");
        }
        catch (JsonException e)
        {
            string path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new RecipeException($"{source}: {(path.Length == 0 ? "recipe" : path)}: {FirstSentence(e.Message)}", e);
        }
    }

    /// <summary>Sets the field at a dotted path (<c>gan.generator_optimizer.lr=1e-4</c>), creating sections as needed.</summary>
    /// <exception cref="RecipeException">The assignment has no '=' or an empty path.</exception>
    public static void ApplyOverride(JsonObject root, string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw new RecipeException($"--set {assignment}: expected path=value, for example gan.loss=hinge or steps=500");
        string[] keys = assignment[..equals].Trim().Split('.');
        if (keys.Any(string.IsNullOrWhiteSpace))
            throw new RecipeException($"--set {assignment}: the path has an empty part");
        string text = assignment[(equals + 1)..].Trim();
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(text);
        }

        JsonObject section = root;
        foreach (string key in keys[..^1])
        {
            if (section[key] is JsonObject inner)
            {
                section = inner;
                continue;
            }
            var created = new JsonObject();
            section[key] = created;
            section = created;
        }
        section[keys[^1]] = value;
    }

    private static void CheckKeys(JsonObject node, Type type, string path, string source)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => Naming.ConvertName(p.Name), StringComparer.Ordinal);
        foreach (var (key, value) in node)
        {
            string here = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(key, out var property))
            {
                string hint = NameSuggestion.Closest(key, properties.Keys) is { } near ? $" (did you mean '{near}'?)" : "";
                throw new RecipeException($"{source}: {here}: unknown key{hint}; expected one of {string.Join(", ", properties.Keys)}");
            }
            if (value is null)
            {
                if (Nullability.Create(property).WriteState != NullabilityState.Nullable)
                    throw new RecipeException($"{source}: {here}: must not be null; expected {Expected(property.PropertyType)}");
                continue;
            }
            CheckValue(value, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, here, source);
        }
    }

    /// <summary>Checks one value against its field's type; list items are checked one by one and named by index (<c>hidden[1]</c>).</summary>
    private static void CheckValue(JsonNode value, Type type, string here, string source)
    {
        if (IsSection(type))
        {
            if (value is not JsonObject inner)
                throw new RecipeException($"{source}: {here}: expected an object with keys {string.Join(", ", SectionKeys(type))}, found {Describe(value)}");
            CheckKeys(inner, type, here, source);
            return;
        }
        if (type.IsArray)
        {
            if (value is not JsonArray items)
                throw new RecipeException($"{source}: {here}: expected {Expected(type)}, found {Describe(value)}");
            var itemType = type.GetElementType()!;
            for (int i = 0; i < items.Count; i++)
            {
                if (items[i] is not { } item)
                    throw new RecipeException($"{source}: {here}[{i}]: must not be null; expected {Expected(itemType)}");
                CheckValue(item, itemType, $"{here}[{i}]", source);
            }
            return;
        }
        if (type == typeof(int) && WholeNumber(value) is { } whole && whole is < int.MinValue or > int.MaxValue)
            throw new RecipeException($"{source}: {here}: expected a whole number from {int.MinValue} to {int.MaxValue}, found {Describe(value)}");
        if (!Fits(value, type))
            throw new RecipeException($"{source}: {here}: expected {Expected(type)}, found {Describe(value)}");
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && !type.IsArray && type.Namespace == typeof(Recipe).Namespace;

    private static IEnumerable<string> SectionKeys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => Naming.ConvertName(p.Name));

    private static bool Fits(JsonNode value, Type type)
    {
        if (type == typeof(string))
            return value is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        if (type == typeof(bool))
            return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
        if (type == typeof(int))
            return WholeNumber(value) is >= int.MinValue and <= int.MaxValue;
        if (type == typeof(long))
            return WholeNumber(value) is not null;
        if (type == typeof(double))
            return value is JsonValue d && d.GetValueKind() == JsonValueKind.Number;
        return true;
    }

    /// <summary>The value as a whole number when it is one written without a fraction or exponent (<c>2</c>, not <c>2.0</c>); null otherwise.</summary>
    private static long? WholeNumber(JsonNode value) =>
        value is JsonValue n && n.GetValueKind() == JsonValueKind.Number
        && long.TryParse(n.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole) ? whole : null;

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type.IsArray) return $"a list of {Expected(type.GetElementType()!).Replace("a ", "", StringComparison.Ordinal)}s";
        return "an object";
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {v.ToJsonString()}",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
