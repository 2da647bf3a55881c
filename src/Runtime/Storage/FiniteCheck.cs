using System.Globalization;
using System.Numerics.Tensors;

namespace MeanField;

/// <summary>
/// Rejects NaN and ±∞ at the public entry points with an <see cref="ArgumentException"/> that names the parameter,
/// the index of the first bad value and the value itself, e.g. <c>inputs[3, 7] is NaN</c>.
/// </summary>
/// <remarks>
/// One vectorised pass per call: a sum is finite exactly when no term is NaN or ±∞, except when finite terms
/// overflow, so only a non-finite sum pays for the element-by-element search (which then also finds the index).
/// </remarks>
internal static class FiniteCheck
{
    /// <summary>Rejects the first non-finite value of a flat array: <c>name[i] is NaN</c>.</summary>
    public static void Require(ReadOnlySpan<double> values, string paramName)
    {
        int bad = FirstNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException($"{paramName}[{bad}] is {Format(values[bad])}; every value must be finite (no NaN or ±∞).", paramName);
        }
    }

    /// <summary>Rejects the first non-finite value of a row-major matrix with rows of <paramref name="rowLength"/>: <c>name[row, column] is NaN</c>.</summary>
    public static void Require(ReadOnlySpan<double> values, int rowLength, string paramName)
    {
        int bad = FirstNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{paramName}[{bad / rowLength}, {bad % rowLength}] (row {bad / rowLength}, component {bad % rowLength}; flat index {bad}) is {Format(values[bad])}; every value must be finite (no NaN or ±∞).",
                paramName);
        }
    }

    /// <summary>Rejects the first non-finite value of a particle set, naming the parameter and the particle.</summary>
    public static void Require(ParticleSet particles, string paramName)
    {
        int bad = FirstNonFinite(particles.Values);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{paramName}.Values[{bad}] ({Locate(particles, bad)}) is {Format(particles.Values[bad])}; every parameter must be finite (no NaN or ±∞).",
                paramName);
        }
    }

    /// <summary>Where flat index <paramref name="index"/> of a particle set's values lies: "scalar parameter 'c' of particle 4".</summary>
    public static string Locate(ParticleSet particles, int index)
    {
        ParticleLayout layout = particles.Layout;
        int n = particles.Count;
        int scalarValues = layout.ScalarCount * n;
        if (index < scalarValues)
        {
            return $"scalar parameter '{layout.ScalarParameters[index / n]}' of particle {index % n}";
        }

        int d = particles.Dimension;
        int rest = index - scalarValues;
        int vector = rest / (n * d);
        int within = rest % (n * d);
        return $"vector parameter '{layout.VectorParameters[vector]}' of particle {within / d}, component {within % d}";
    }

    /// <summary>The index of the first NaN or ±∞, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty || double.IsFinite(TensorPrimitives.Sum(values)))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1; // finite values whose sum overflowed
    }

    /// <summary>"NaN", "Infinity", "-Infinity" or the round-trip text of a finite value, culture-invariant (as <see cref="SampleSet"/> writes them).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
