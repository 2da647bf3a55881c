namespace MeanField.Models;

/// <summary>
/// The 1-D ergodic mean-field game with an explicit solution (Almulla–Ferreira–Gomes 2017; the SciPy peer
/// <c>w2_mfg.py</c>; specs/mfg.md §5): ν = ½, H(x, p, m) = ½p² − f̃(x) − ln m with
/// f̃(x) = 2π²(−c sin 2πx + c² cos² 2πx) − 2c sin 2πx. Exact solution u = −c sin 2πx, m = e^{2c sin 2πx} / I₀(2c),
/// λ = −ln I₀(2c).
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct ExplicitErgodicGame
{
    /// <summary>The amplitude c of the exact solution.</summary>
    public const double C = 0.5;

    /// <summary>I₀(2c) = I₀(1), the modified Bessel function (Σ (1/4)^k / (k!)², summed to convergence): the exact
    /// λ = −d ln I₀(2c) and the normalisation of m.</summary>
    public const double I0OfTwoC = 1.2660658777520082;

    /// <summary>H(x, p, m) = ½p² − f̃(x) − ln m.</summary>
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - Source(x) - Math.Log(m);

    /// <summary>f̃(x) = 2π²(−c sin 2πx + c² cos² 2πx) − 2c sin 2πx.</summary>
    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}
