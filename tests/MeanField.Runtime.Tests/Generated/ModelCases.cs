using MeanField.Models;
using static MeanField.Channels;

namespace MeanField.Runtime.Tests.Generated;

/// <summary>A model under test: its parameter names and its own methods, called directly as references.</summary>
/// <param name="Sample">Draws (scalars, vectors V × d, x) away from kinks and domain edges.</param>
public sealed record ModelCase(
    string Name,
    string[] Scalars,
    string[] Vectors,
    Func<Random, int, (double[] Scalars, double[] Vectors, double[] X)> Sample,
    Func<double[], double[], double[], double> Unit,
    Func<double, double, double> Cost,
    Func<double[], double[], double>? Regularizer = null,
    double[]? CostTargets = null);

public static class ModelCases
{
    public static readonly ModelCase Tanh = new(
        "TanhNetwork", new[] { "c", "b" }, new[] { "w" },
        (r, d) => (Uniform(r, 2, 2), Uniform(r, d, 1), Uniform(r, d, 1.5)),
        (s, v, x) => s[0] * TanhNetwork.Sigma(Dot(v, x) + s[1]),
        TanhNetwork.Loss);

    /// <summary>The logistic ridge network of src/Models (the generator's stable Logistic against the user's 1/(1 + e^{−z})).</summary>
    public static readonly ModelCase Sigmoid = new(
        "SigmoidNetwork", new[] { "c", "b" }, new[] { "w" },
        (r, d) => (Uniform(r, 2, 2), Uniform(r, d, 1), Uniform(r, d, 1.5)),
        (s, v, x) => s[0] * SigmoidNetwork.Sigma(Dot(v, x) + s[1]),
        SigmoidNetwork.Loss);

    /// <summary>The softplus ridge network of src/Models (the generator's stable Softplus against the user's log(1 + e^z)).</summary>
    public static readonly ModelCase Softplus = new(
        "SoftplusNetwork", new[] { "c", "b" }, new[] { "w" },
        (r, d) => (Uniform(r, 2, 2), Uniform(r, d, 1), Uniform(r, d, 1.5)),
        (s, v, x) => s[0] * SoftplusNetwork.Sigma(Dot(v, x) + s[1]),
        SoftplusNetwork.Loss);

    public static readonly ModelCase Relu = new(
        "ReluNetwork", new[] { "c", "b" }, new[] { "w" },
        (r, d) =>
        {
            // Stay 1e-3 away from the kink w·x + b = 0, where a finite difference straddles it.
            while (true)
            {
                var point = (Uniform(r, 2, 2), Uniform(r, d, 1), Uniform(r, d, 1.5));
                if (Math.Abs(Dot(point.Item2, point.Item3) + point.Item1[1]) > 1e-3)
                {
                    return point;
                }
            }
        },
        (s, v, x) => s[0] * ReluNetwork.Relu(Dot(v, x) + s[1]),
        ReluNetwork.Loss);

    public static readonly ModelCase GaussianBump = new(
        "GaussianBumpNetwork", new[] { "c", "s" }, new[] { "w" },
        (r, d) => (new[] { 4 * r.NextDouble() - 2, 0.5 + (1.5 * r.NextDouble()) }, Uniform(r, d, 1), Uniform(r, d, 1)),
        (s, v, x) => GaussianBumpNetwork.Bump(s[0], v, s[1], x),
        GaussianBumpNetwork.Loss,
        (s, v) => GaussianBumpNetwork.Confinement(s[0], v, s[1]));

    public static readonly ModelCase Fourier = new(
        "FourierNetwork", new[] { "a", "b" }, new[] { "w" },
        (r, d) => (Uniform(r, 2, 2), Uniform(r, d, 2), Uniform(r, d, 1)),
        (s, v, x) => FourierNetwork.Feature(s[0], s[1], v, x),
        FourierNetwork.Logistic,
        CostTargets: new[] { -1.0, 1.0 });

    public static readonly ModelCase SoftplusLogCosh = new(
        "SoftplusLogCoshNetwork", new[] { "c", "b" }, new[] { "w" },
        (r, d) => (Uniform(r, 2, 2), Uniform(r, d, 1), Uniform(r, d, 1.5)),
        (s, v, x) => s[0] * SoftplusLogCoshNetwork.Softplus(Dot(v, x) + s[1]),
        SoftplusLogCoshNetwork.LogCosh);

    public static readonly ModelCase KitchenSink = new(
        "KitchenSinkNetwork", new[] { "a", "s" }, new[] { "w", "u" },
        (r, d) =>
        {
            // a ∈ (−2, 2) and s ∈ (0.3, 1.5) keep |a − 3|, max(s, −4), min(a, 5) away from their kinks;
            // Bend is C¹ at its switch point, so a central difference across it is still O(h).
            return (new[] { 4 * r.NextDouble() - 2, 0.3 + (1.2 * r.NextDouble()) }, Uniform(r, 2 * d, 1), Uniform(r, d, 1));
        },
        (s, v, x) => KitchenSinkNetwork.Unit(s[0], s[1], v.AsSpan(0, x.Length), v.AsSpan(x.Length, x.Length), x),
        KitchenSinkNetwork.PseudoHuber,
        (s, v) => KitchenSinkNetwork.Confinement(s[0], s[1], v.AsSpan(0, v.Length / 2), v.AsSpan(v.Length / 2)));

    private static double[] Uniform(Random random, int count, double half)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = half * ((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
