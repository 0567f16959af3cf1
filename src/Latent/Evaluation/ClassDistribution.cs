using static TorchSharp.torch;

namespace Latent.Evaluation;

/// <summary>
/// What a classifier says about generated samples: the histogram of predicted classes, its KL divergence to uniform,
/// the accuracy on the labels a conditional generator was asked for, and the Inception-Score-style classifier score.
/// </summary>
/// <remarks>All sums in double precision on the CPU. The classifier is Latent's own (say, an MNIST classifier), not Inception.</remarks>
public static class ClassDistribution
{
    /// <summary>Probabilities are clamped at this value inside a logarithm, so that a class with probability 0 adds 0·ln(1e−12) = 0 instead of 0·(−∞) = NaN.</summary>
    public const double LogFloor = 1e-12;

    /// <summary>Rows whose probabilities sum further than this from 1 are refused by <see cref="ClassifierScore"/>, which would be wrong on logits.</summary>
    public const double RowSumTolerance = 1e-3;

    /// <summary>How many rows the classifier assigns to each class: the count of argmax(row) = c for every class c.</summary>
    /// <param name="probabilities">(N, C) with N ≥ 1, C ≥ 1: probabilities, or logits (the argmax is the same); floating point; not modified or disposed.</param>
    /// <returns>C counts summing to N. A tie goes to the lowest class index.</returns>
    public static long[] Histogram(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var scores = ReadScores(probabilities, nameof(probabilities));
        return bincount(scores.argmax(1), minlength: scores.shape[1]).data<long>().ToArray();
    }

    /// <summary>How many labels fall in each class.</summary>
    /// <param name="labels">(N) with N ≥ 1, an integer tensor of class indices in [0, <paramref name="classCount"/>); not modified or disposed.</param>
    /// <param name="classCount">The number of classes C, ≥ 1.</param>
    /// <returns>C counts summing to N.</returns>
    public static long[] Histogram(Tensor labels, int classCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "must be ≥ 1");
        using var scope = NewDisposeScope();
        var classes = ReadLabels(labels, nameof(labels), classCount, expectedCount: null);
        return bincount(classes, minlength: classCount).data<long>().ToArray();
    }

    /// <summary>KL(p̂ ‖ uniform) = Σ_c p̂_c·ln(p̂_c·C) in nats, with p̂ the class frequencies of <paramref name="histogram"/> and 0·ln 0 = 0.</summary>
    /// <param name="histogram">C ≥ 1 non-negative counts with a positive total, as <see cref="Histogram(Tensor)"/> returns.</param>
    /// <returns>0 when every class is equally frequent, ln C when one class takes all.</returns>
    public static double KlToUniform(long[] histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.Length == 0)
            throw new ArgumentException("histogram is empty; expected one count per class", nameof(histogram));
        long total = 0;
        for (int c = 0; c < histogram.Length; c++)
        {
            if (histogram[c] < 0)
                throw new ArgumentException($"histogram[{c}] is {histogram[c]}; counts must be ≥ 0", nameof(histogram));
            total += histogram[c];
        }
        if (total == 0)
            throw new ArgumentException($"histogram holds {histogram.Length} zero counts; expected a positive total", nameof(histogram));

        double kl = 0;
        foreach (long count in histogram.Where(count => count > 0))
        {
            double share = (double)count / total;
            kl += share * Math.Log(share * histogram.Length);
        }
        return kl;
    }

    /// <summary>The share of rows whose argmax is the class a conditional generator was asked for.</summary>
    /// <param name="probabilities">(N, C) with N ≥ 1: probabilities or logits; floating point; not modified or disposed.</param>
    /// <param name="askedLabels">(N), an integer tensor of the requested classes in [0, C).</param>
    /// <returns>A share in [0, 1]; 1/C is chance.</returns>
    public static double Accuracy(Tensor probabilities, Tensor askedLabels)
    {
        using var scope = NewDisposeScope();
        var scores = ReadScores(probabilities, nameof(probabilities));
        var asked = ReadLabels(askedLabels, nameof(askedLabels), (int)scores.shape[1], expectedCount: scores.shape[0]);
        long hits = (scores.argmax(1) == asked).sum().item<long>();
        return (double)hits / scores.shape[0];
    }

    /// <summary>
    /// The classifier score exp(E_x[KL(p(y|x) ‖ p(y))]), with p(y) the mean of the rows: Inception-Score-style, with
    /// Latent's classifier, not Inception.
    /// </summary>
    /// <param name="probabilities">(N, C) with N ≥ 1: class probabilities p(y|x), one row per sample (a softmax of the logits), non-negative with rows summing to 1 within <see cref="RowSumTolerance"/>; not modified or disposed.</param>
    /// <returns>
    /// A value in [1, C]: C when every sample is classified with certainty and the classes are used equally often, 1 when
    /// every sample gets the same prediction. Logarithms take probabilities clamped at <see cref="LogFloor"/>.
    /// </returns>
    /// <remarks>Salimans et al. 2016 define the Inception Score this way with Inception-v3 on ImageNet classes; the same formula with another classifier gives numbers comparable only between runs of that classifier. One score over all rows, without the customary 10 splits.</remarks>
    public static double ClassifierScore(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = ReadScores(probabilities, nameof(probabilities));
        double smallest = p.min().item<double>();
        if (smallest < 0)
            throw new ArgumentException($"probabilities hold a negative value ({smallest:G6}); expected probabilities (a softmax of the logits)", nameof(probabilities));
        var rowSums = p.sum(1);
        double worstSum = (rowSums - 1).abs().max().item<double>();
        if (worstSum > RowSumTolerance)
        {
            long worstRow = (rowSums - 1).abs().argmax().item<long>();
            throw new ArgumentException(
                $"row {worstRow} of probabilities sums to {rowSums[worstRow].item<double>():G6}; expected each row to sum to 1 within {RowSumTolerance} (a softmax of the logits)",
                nameof(probabilities));
        }

        var marginal = p.mean([0], keepdim: true); // (1, C), p(y)
        var perSample = (p * (p.clamp_min(LogFloor).log() - marginal.clamp_min(LogFloor).log())).sum(1);
        return Math.Exp(perSample.mean().item<double>());
    }

    /// <summary>An (N, C) score matrix as float64 on the CPU.</summary>
    private static Tensor ReadScores(Tensor scores, string paramName)
    {
        ArgumentNullException.ThrowIfNull(scores, paramName);
        if (scores.dim() != 2 || scores.shape[0] < 1 || scores.shape[1] < 1)
            throw new ArgumentException($"{paramName} [{FeatureMatrix.Shape(scores)}] must be (N, C) with N ≥ 1 rows and C ≥ 1 classes", paramName);
        if (!scores.is_floating_point())
            throw new ArgumentException($"{paramName} has dtype {scores.dtype}; expected floating-point scores (use the labels overload for class indices)", paramName);
        var values = scores.detach().to(ScalarType.Float64).cpu();
        FeatureMatrix.RequireFinite(values, paramName);
        return values;
    }

    /// <summary>An (N) label vector as int64 on the CPU, every value in [0, classCount).</summary>
    private static Tensor ReadLabels(Tensor labels, string paramName, int classCount, long? expectedCount)
    {
        ArgumentNullException.ThrowIfNull(labels, paramName);
        if (labels.dim() != 1 || labels.shape[0] < 1)
            throw new ArgumentException($"{paramName} [{FeatureMatrix.Shape(labels)}] must be a vector (N) of class indices with N ≥ 1", paramName);
        if (expectedCount is long rows && labels.shape[0] != rows)
            throw new ArgumentException($"{paramName} [{FeatureMatrix.Shape(labels)}] must have one label per row of probabilities, {rows}", paramName);
        if (labels.is_floating_point() || labels.is_complex() || labels.dtype == ScalarType.Bool)
            throw new ArgumentException($"{paramName} has dtype {labels.dtype}; expected an integer tensor of class indices", paramName);
        var values = labels.detach().to(ScalarType.Int64).cpu();
        // Both ends in one transfer.
        var ends = stack([values.min(), values.max()]).data<long>().ToArray();
        if (ends[0] < 0 || ends[1] >= classCount)
            throw new ArgumentException($"{paramName} hold values from {ends[0]} to {ends[1]}; expected class indices in [0, {classCount})", paramName);
        return values;
    }
}
