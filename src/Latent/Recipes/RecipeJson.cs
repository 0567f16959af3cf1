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
        return FromNode(root, source, overrides);
    }

    /// <summary>Applies overrides to <paramref name="recipe"/> through its JSON form, with the same checks as <see cref="Parse"/>.</summary>
    public static Recipe WithOverrides(Recipe recipe, IEnumerable<string> overrides, string source) =>
        FromNode((JsonObject)JsonSerializer.SerializeToNode(recipe, Options)!, source, overrides);

    private static Recipe FromNode(JsonObject root, string source, IEnumerable<string>? overrides)
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
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsSection(propertyType))
            {
                if (value is not JsonObject inner)
                    throw new RecipeException($"{source}: {here}: expected an object with keys {string.Join(", ", SectionKeys(propertyType))}, found {Describe(value)}");
                CheckKeys(inner, propertyType, here, source);
            }
            else if (!Fits(value, propertyType))
            {
                throw new RecipeException($"{source}: {here}: expected {Expected(propertyType)}, found {Describe(value)}");
            }
        }
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
        if (type == typeof(int) || type == typeof(long))
            return value is JsonValue n && n.GetValueKind() == JsonValueKind.Number
                   && long.TryParse(n.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long whole)
                   && (type == typeof(long) || whole is >= int.MinValue and <= int.MaxValue);
        if (type == typeof(double))
            return value is JsonValue d && d.GetValueKind() == JsonValueKind.Number;
        if (type.IsArray)
            return value is JsonArray items && items.All(i => i is not null && Fits(i, type.GetElementType()!));
        return true;
    }

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
