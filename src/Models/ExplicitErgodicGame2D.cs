namespace MeanField.Models;

/// <summary>
/// <see cref="ExplicitErgodicGame"/> on the 2-torus (specs/mfg.md §5): H = ½|p|² − f̃(x) − f̃(y) − ln m, exact solution
/// u = −c (sin 2πx + sin 2πy), m = e^{2c (sin 2πx + sin 2πy)} / I₀(2c)², λ = −2 ln I₀(2c).
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct ExplicitErgodicGame2D
{
    /// <summary>H(x, y, px, py, m) = ½(px² + py²) − f̃(x) − f̃(y) − ln m.</summary>
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * ((px * px) + (py * py))) - Source(x) - Source(y) - Math.Log(m);

    /// <summary>The amplitude c of the exact solution (a model's formulas read only its own members).</summary>
    public const double C = 0.5;

    /// <summary>f̃ of <see cref="ExplicitErgodicGame.Source"/>.</summary>
    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}
