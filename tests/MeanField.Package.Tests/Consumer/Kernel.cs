using MeanField;

namespace PackageConsumer;

/// <summary>
/// An interaction energy that is not among the ready-made models: particles θ = (m, r, v) with a softened Coulomb
/// interaction in r (a squared-distance pair channel), an alignment term in v (a dot pair channel) damped by each
/// particle's speed — 1/√((1 + |v|²)(1 + |v′|²)), whose one-sided factors the generator computes once per particle
/// (side values) — a potential and a confinement.
/// </summary>
[InteractionEnergy]
public partial struct SoftCoulomb
{
    [Kernel]
    public static double K(double m, ReadOnlySpan<double> r, ReadOnlySpan<double> v, double m2, ReadOnlySpan<double> r2, ReadOnlySpan<double> v2)
        => (m * m2 / Math.Sqrt(1 + SquaredDistance(r, r2))) + (0.1 * Dot(v, v2) / Math.Sqrt((1 + SquaredNorm(v)) * (1 + SquaredNorm(v2))));

    [Potential]
    public static double F(double m, ReadOnlySpan<double> r, ReadOnlySpan<double> v) => m * Math.Exp(-SquaredNorm(r));

    [Confinement]
    public static double U(double m, ReadOnlySpan<double> r, ReadOnlySpan<double> v) => 0.5 * ((m * m) + SquaredNorm(v));
}
