namespace MeanField.Models;

/// <summary>
/// The m² example in d = 1 with <see cref="SquareCouplingGame30D"/>'s c = 0.1: what the marginals of the d = 30 game are
/// compared with, and differ from at c²d = 0.3 (specs/dgm.md §6.5).
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct SquareCouplingGame1D
{
    /// <summary>H(x, p, m) = ½p² − 2π²c (sin 2πx + cos 2πx) − m².</summary>
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - Source(x) - (m * m);

    /// <summary>The amplitude c.</summary>
    public const double C = 0.1;

    /// <summary>f̃.</summary>
    public static double Source(double x) => 2 * Math.PI * Math.PI * C * (Math.Sin(2 * Math.PI * x) + Math.Cos(2 * Math.PI * x));
}
