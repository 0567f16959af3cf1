using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latent.Evaluation.Classifiers;

/// <summary>
/// The <c>classifier.json</c> beside a cached classifier's weights: what it classifies, how it was trained and how well it
/// does, enough to rebuild the net before loading the weights and to tell whether the cache fits a request.
/// </summary>
/// <remarks>Fields are snake_case in the file (<c>data_set</c>, <c>feature_dim</c>, <c>recipe.batch_size</c>); all are required.</remarks>
internal sealed record ClassifierCard
{
    /// <summary>The format written now; bumped whenever the net's layers or the file's fields change, so older caches retrain.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public required int Version { get; init; }

    public required string DataSet { get; init; }

    public required int Channels { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    public required int Classes { get; init; }

    public required int FeatureDim { get; init; }

    public required ClassifierRecipe Recipe { get; init; }

    public required double TestAccuracy { get; init; }

    public required long TrainImages { get; init; }

    public required long TestImages { get; init; }

    public required DateTime TrainedUtc { get; init; }

    /// <summary>The card of <paramref name="classifier"/>.</summary>
    public static ClassifierCard Of(TrainedClassifier classifier) => new()
    {
        Version = CurrentVersion,
        DataSet = classifier.DataSet,
        Channels = classifier.Net.Channels,
        Height = classifier.Net.Height,
        Width = classifier.Net.Width,
        Classes = classifier.Net.Classes,
        FeatureDim = classifier.Net.FeatureDim,
        Recipe = classifier.Recipe,
        TestAccuracy = classifier.TestAccuracy,
        TrainImages = classifier.TrainImages,
        TestImages = classifier.TestImages,
        TrainedUtc = classifier.TrainedUtc,
    };

    /// <summary>The card as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a card, refusing one that is not JSON, lacks a field or has another version.</summary>
    /// <exception cref="InvalidDataException">The file is not a card of <see cref="CurrentVersion"/>; the message names it.</exception>
    public static ClassifierCard Read(string path)
    {
        ClassifierCard card;
        try
        {
            card = JsonSerializer.Deserialize<ClassifierCard>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path} holds null; expected a classifier card (data_set, channels, height, width, classes, feature_dim, recipe, …)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a classifier card: {e.Message}", e);
        }
        if (card.Version != CurrentVersion)
            throw new InvalidDataException($"{path} has version {card.Version}; expected {CurrentVersion} (the cache was written by another version of Latent)");
        if (card.Recipe is null || card.DataSet is null)
            throw new InvalidDataException($"{path} has a null data_set or recipe; expected both");
        try
        {
            card.Recipe.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        return card;
    }
}
