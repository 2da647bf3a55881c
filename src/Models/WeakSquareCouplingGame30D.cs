namespace MeanField.Models;

/// <summary>
/// <see cref="SquareCouplingGame30D"/> with a weak source, c = 0.02 (specs/dgm.md §6.5): at c²d = 0.012 the coupling
/// between the coordinates enters at third order, so each one-dimensional marginal of m agrees with the solution of the
/// same game in d = 1 (<see cref="WeakSquareCouplingGame1D"/>, solved by finite differences) to O(c³d), against a deviation
/// from 1 of amplitude ≈ 2√2·a·c ≈ 0.047 (a = 2π²/(2π² + 4)).
/// </summary>
[MeanFieldGame(Viscosity = 0.5, Dimension = 30)]
public partial struct WeakSquareCouplingGame30D
{
    /// <summary>H(x, p, m) = ½|p|² − f̃(x) − m².</summary>
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => (0.5 * SquaredNorm(p)) - Sum(x, Source) - (m * m);

    /// <summary>The amplitude c.</summary>
    public const double C = 0.02;

    /// <summary>One coordinate's term of f̃: 2π²c (sin 2πx + cos 2πx).</summary>
    public static double Source(double x) => 2 * Math.PI * Math.PI * C * (Math.Sin(2 * Math.PI * x) + Math.Cos(2 * Math.PI * x));
}
