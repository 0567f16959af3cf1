namespace Latent.Diagnostics;

/// <summary>The last <see cref="Capacity"/> values of one figure, oldest first: the sliding window a detector judges, so that one noisy step decides nothing.</summary>
internal sealed class MetricWindow
{
    private readonly double[] _values;
    private int _start;

    internal MetricWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
    }

    internal int Capacity => _values.Length;

    internal int Count { get; private set; }

    internal bool IsFull => Count == _values.Length;

    /// <summary>Appends a value, dropping the oldest when full. Non-finite values are kept: the median copes with a few.</summary>
    internal void Add(double value)
    {
        if (Count < _values.Length)
        {
            _values[(_start + Count) % _values.Length] = value;
            Count++;
        }
        else
        {
            _values[_start] = value;
            _start = (_start + 1) % _values.Length;
        }
    }

    internal void Clear()
    {
        _start = 0;
        Count = 0;
    }

    /// <summary>The values, oldest first.</summary>
    internal double[] ToArray()
    {
        var copy = new double[Count];
        for (int i = 0; i < Count; i++)
            copy[i] = _values[(_start + i) % _values.Length];
        return copy;
    }

    /// <summary>The median of the window; NaN when empty.</summary>
    internal double Median()
    {
        if (Count == 0)
            return double.NaN;
        var sorted = ToArray();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
