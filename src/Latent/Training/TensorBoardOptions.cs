namespace Latent.Training;

/// <summary>What a <see cref="TensorBoardLog"/> writes and how often.</summary>
public sealed record TensorBoardOptions
{
    /// <summary>The number of points per training scalar that <see cref="ScalarsEvery"/> = 0 aims at.</summary>
    public const long AutomaticScalarPoints = 10_000;

    /// <summary>
    /// Steps between the training scalars (<c>train/NAME</c>, each step's figures as they are, not averaged);
    /// 0 (default) for every step in runs of up to <see cref="AutomaticScalarPoints"/> steps and about that many points
    /// in longer ones. The first and last steps of every <see cref="Trainer.Fit"/> are always written.
    /// </summary>
    public long ScalarsEvery { get; init; }

    /// <summary>Steps between histograms of every parameter of every network (<c>weights/NETWORK/PARAMETER</c>); 0 (default) for none.</summary>
    public long HistogramsEvery { get; init; }

    /// <summary>Steps between pictures from <see cref="SampleImage"/>; 0 (default) for the last step only.</summary>
    public long ImagesEvery { get; init; }

    /// <summary>
    /// A PNG picture of the model at a step (a grid of samples, a scatter plot), written under the tag <c>samples</c>;
    /// none when null. It must draw from generators of its own, never from the run's.
    /// </summary>
    public Func<long, byte[]?>? SampleImage { get; init; }

    /// <summary>
    /// Figures computed beside training, asked for after every step and written as <c>eval/NAME</c> when there are some
    /// (the evaluations of <c>evals.jsonl</c>); none when null.
    /// </summary>
    public Func<long, IReadOnlyList<KeyValuePair<string, double>>?>? Evaluations { get; init; }

    /// <summary>Markdown shown in TensorBoard's text tab under the tag <c>recipe</c> (the run's recipe); written once, at the start of a new run.</summary>
    public string? Description { get; init; }
}
