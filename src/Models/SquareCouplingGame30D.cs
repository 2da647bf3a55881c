namespace MeanField.Models;

/// <summary>
/// The ergodic example without an explicit solution (specs/mfg.md §5.2) on the 30-torus, for the mesh-free (Deep
/// Galerkin) solver (specs/dgm.md §6.5): H(x, p, m) = ½|p|² − f̃(x) − m², f̃(x) = 2π²c Σ_i (sin 2πx_i + cos 2πx_i),
/// c = 0.1, ν = ½. The coupling m² is monotone, so the solution is unique; f̃ is symmetric under permutations of the
/// coordinates, so the 30 one-dimensional marginals of m are equal.
/// </summary>
[MeanFieldGame(Viscosity = 0.5, Dimension = 30)]
public partial struct SquareCouplingGame30D
{
    /// <summary>H(x, p, m) = ½|p|² − f̃(x) − m².</summary>
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => (0.5 * SquaredNorm(p)) - Sum(x, Source) - (m * m);

    /// <summary>The amplitude c.</summary>
    public const double C = 0.1;

    /// <summary>One coordinate's term of f̃: 2π²c (sin 2πx + cos 2πx).</summary>
    public static double Source(double x) => 2 * Math.PI * Math.PI * C * (Math.Sin(2 * Math.PI * x) + Math.Cos(2 * Math.PI * x));
}
