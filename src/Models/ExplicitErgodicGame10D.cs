namespace MeanField.Models;

/// <summary>
/// <see cref="ExplicitErgodicGame"/> on the 10-torus, declared in the vector form for the mesh-free (Deep Galerkin)
/// solvers (specs/mfg.md §5, §9): H(x, p, m) = ½|p|² − Σ_i f̃(x_i) − ln m, exact solution u = −c Σ_i sin 2πx_i,
/// m = e^{2c Σ_i sin 2πx_i} / I₀(2c)^10, λ = −10 ln I₀(2c) (the PyTorch peer <c>dgm_torch.py --d 10</c>).
/// </summary>
[MeanFieldGame(Viscosity = 0.5, Dimension = 10)]
public partial struct ExplicitErgodicGame10D
{
    /// <summary>H(x, p, m) = ½|p|² − Σ_i f̃(x_i) − ln m.</summary>
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => (0.5 * SquaredNorm(p)) - Sum(x, Source) - Math.Log(m);

    /// <summary>The amplitude c of the exact solution (a model's formulas read only its own members).</summary>
    public const double C = ExplicitErgodicGame.C;

    /// <summary>f̃ of <see cref="ExplicitErgodicGame.Source"/>, one coordinate.</summary>
    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}
