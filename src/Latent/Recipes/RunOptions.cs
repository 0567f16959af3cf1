namespace Latent.Recipes;

/// <summary>Where and how <see cref="RecipeRunner.Train"/> writes a run.</summary>
public sealed record RunOptions
{
    /// <summary>The run folder; when null, <c>RunsRoot/NAME</c>, numbered (<c>NAME-2</c>, …) if taken.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Where unnamed runs go; default <c>runs</c>.</summary>
    public string RunsRoot { get; init; } = "runs";

    /// <summary>Where progress goes; none when null.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Rewrite one progress line in place (a terminal) instead of printing periodic lines.</summary>
    public bool LiveProgress { get; init; }

    /// <summary>Steps between plain progress lines; default a tenth of the run.</summary>
    public long? LogEvery { get; init; }

    /// <summary>Also write to <see cref="Progress"/> what the run is about to do (<see cref="RunSummary"/>) and every figure of each evaluation.</summary>
    public bool Verbose { get; init; }

    /// <summary>Write sample plots (PNG); true by default.</summary>
    public bool WritePlots { get; init; } = true;

    /// <summary>Where image data sets are installed; the default store (<c>$LATENT_DATA</c> or the user's cache) when null.</summary>
    public Data.Images.DataStore? DataStore { get; init; }

    /// <summary>More callbacks, called after each step after Latent's own and before the checkpoint of that step is written.</summary>
    public IReadOnlyList<Training.ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>Stops training after the current step, which is then saved as a checkpoint.</summary>
    public CancellationToken Cancellation { get; init; }
}
