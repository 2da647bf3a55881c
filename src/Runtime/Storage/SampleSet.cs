namespace MeanField;

/// <summary>
/// L training samples (x_l, y_l), x_l ∈ R^d: an immutable copy of the inputs (L × d, row-major) and the
/// targets (length L), with every |x_l|² precomputed for the sample channel.
/// </summary>
public sealed class SampleSet
{
    private readonly double[] _inputs;
    private readonly double[] _targets;
    private readonly double[] _squaredNorms;

    /// <summary>Copies and validates the samples.</summary>
    /// <param name="inputs">L × d, row-major (sample l at [l·d, (l + 1)·d)); finite.</param>
    /// <param name="targets">Length L ≥ 1; finite.</param>
    /// <param name="dimension">d ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">No samples, a length mismatch, or a NaN/∞ value (the message names the index and value).</exception>
    public SampleSet(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, int dimension)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The input dimension must be at least 1.");
        }

        if (targets.IsEmpty)
        {
            throw new ArgumentException("A sample set needs at least one sample; targets is empty.", nameof(targets));
        }

        if (inputs.Length != (long)targets.Length * dimension)
        {
            throw new ArgumentException(
                $"inputs has {inputs.Length} values; {targets.Length} targets of dimension {dimension} need {(long)targets.Length * dimension} (L × d, row-major).",
                nameof(inputs));
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!double.IsFinite(inputs[i]))
            {
                throw new ArgumentException($"inputs[{i}] (sample {i / dimension}, component {i % dimension}) is {inputs[i]}; samples must be finite.", nameof(inputs));
            }
        }

        for (int l = 0; l < targets.Length; l++)
        {
            if (!double.IsFinite(targets[l]))
            {
                throw new ArgumentException($"targets[{l}] is {targets[l]}; targets must be finite.", nameof(targets));
            }
        }

        Count = targets.Length;
        Dimension = dimension;
        _inputs = inputs.ToArray();
        _targets = targets.ToArray();
        _squaredNorms = new double[Count];
        for (int l = 0; l < Count; l++)
        {
            ReadOnlySpan<double> x = _inputs.AsSpan(l * dimension, dimension);
            _squaredNorms[l] = System.Numerics.Tensors.TensorPrimitives.Dot(x, x);
        }
    }

    /// <summary>L, the number of samples.</summary>
    public int Count { get; }

    /// <summary>d, the input dimension.</summary>
    public int Dimension { get; }

    /// <summary>The inputs: L × d, row-major.</summary>
    public ReadOnlySpan<double> Inputs => _inputs;

    /// <summary>The targets y_l, length L.</summary>
    public ReadOnlySpan<double> Targets => _targets;

    /// <summary>|x_l|² for every sample, length L.</summary>
    public ReadOnlySpan<double> SquaredNorms => _squaredNorms;

    /// <summary>Sample <paramref name="index"/>'s input x_l (length d).</summary>
    /// <param name="index">0 ≤ l &lt; L.</param>
    public ReadOnlySpan<double> Input(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The sample set has {Count} samples.");
        }

        return _inputs.AsSpan(index * Dimension, Dimension);
    }

    internal double[] InputArray => _inputs;

    internal double[] TargetArray => _targets;

    internal double[] SquaredNormArray => _squaredNorms;

    private ParticleFile.DataFingerprint? _fingerprint;

    /// <summary>Shape and XxHash3 of the samples, stored in checkpoints (computed once; the set is immutable).</summary>
    internal ParticleFile.DataFingerprint Fingerprint => _fingerprint ??= ParticleFile.DataFingerprint.Of(this);
}
