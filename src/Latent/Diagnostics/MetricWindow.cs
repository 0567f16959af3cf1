namespace Latent.Diagnostics;

/// <summary>The last <see cref="Capacity"/> values of one figure, oldest first: the sliding window a detector judges, so that one noisy step decides nothing.</summary>
internal sealed class MetricWindow
{
    private readonly double[] _values;
    // The same values kept in ascending order (double.CompareTo: NaN first) as they come and go, so that the median,
    // asked for at every step by several detectors, is a look-up rather than a copy and a sort.
    private readonly double[] _sorted;
    private int _start;

    internal MetricWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
        _sorted = new double[capacity];
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
            Insert(value, Count);
            Count++;
        }
        else
        {
            int leaving = Array.BinarySearch(_sorted, 0, Count, _values[_start]);
            Array.Copy(_sorted, leaving + 1, _sorted, leaving, Count - leaving - 1);
            Insert(value, Count - 1);
            _values[_start] = value;
            _start = (_start + 1) % _values.Length;
        }
    }

    /// <summary>Puts <paramref name="value"/> in its place among the first <paramref name="count"/> sorted values.</summary>
    private void Insert(double value, int count)
    {
        int at = Array.BinarySearch(_sorted, 0, count, value);
        if (at < 0)
            at = ~at;
        Array.Copy(_sorted, at, _sorted, at + 1, count - at);
        _sorted[at] = value;
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
        int middle = Count / 2;
        return Count % 2 == 1 ? _sorted[middle] : (_sorted[middle - 1] + _sorted[middle]) / 2;
    }
}
