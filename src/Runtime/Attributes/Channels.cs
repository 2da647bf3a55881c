namespace MeanField;

/// <summary>
/// The vector functions a model may apply to its <c>ReadOnlySpan&lt;double&gt;</c> parameters
/// (write <c>using static MeanField.Channels;</c> in the model's file). A unit depends on its
/// vectors only through these scalar <em>channels</em>; the generator differentiates through them
/// and the runtime computes them for many (sample, particle) pairs at once. They are ordinary
/// methods too, so a model's members can be called directly (for example in a test).
/// </summary>
public static class Channels
{
    /// <summary>a·b = Σ_j a_j b_j. Both spans must have the same length.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Dot needs vectors of one length; got {a.Length} and {b.Length}.", nameof(b));
        }

        return System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
    }

    /// <summary>|a|² = Σ_j a_j².</summary>
    public static double SquaredNorm(ReadOnlySpan<double> a) => System.Numerics.Tensors.TensorPrimitives.Dot(a, a);

    /// <summary>|a − b|² = Σ_j (a_j − b_j)². Both spans must have the same length.</summary>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"SquaredDistance needs vectors of one length; got {a.Length} and {b.Length}.", nameof(b));
        }

        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double t = a[j] - b[j];
            sum += t * t;
        }

        return sum;
    }

    /// <summary>
    /// Σ_j term(a_j): a sum over the components of a game's vector (for example <c>Sum(x, Source)</c> for a source
    /// f̃(x) = Σ_j Source(x_j)). The generator expands it into one term per component (the game's dimension is known at
    /// compile time); <paramref name="term"/> is a lambda or a static method of the model.
    /// </summary>
    public static double Sum(ReadOnlySpan<double> a, Func<double, double> term)
    {
        ArgumentNullException.ThrowIfNull(term);
        double sum = 0;
        foreach (double value in a)
        {
            sum += term(value);
        }

        return sum;
    }

    /// <summary>Σ_j term(a_j, b_j), as <see cref="Sum(ReadOnlySpan{double}, Func{double, double})"/> over two vectors of one length.</summary>
    public static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Func<double, double, double> term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Sum needs vectors of one length; got {a.Length} and {b.Length}.", nameof(b));
        }

        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            sum += term(a[j], b[j]);
        }

        return sum;
    }
}
