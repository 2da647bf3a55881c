namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The example without an explicit solution (issue 10; specs/mfg.md §5.2): ν = ½, H = ½|p|² − f̃(x) − m² with
/// f̃(x) = 2π²c Σ_i (sin 2πx_i + cos 2πx_i), Engquist–Osher Ĥ. <see cref="C"/> is settable (static) for the c → 0 test;
/// only <see cref="SquareCouplingTests"/> uses these games.
/// </summary>
internal static class SquareCoupling
{
    public static double C { get; set; } = 0.5;

    public static double Hamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
    {
        int d = x.Length, n = (2 * d) + 1;
        double source = 0;
        foreach (double xi in x)
        {
            source += Math.Sin(2 * Math.PI * xi) + Math.Cos(2 * Math.PI * xi);
        }

        double value = (-2 * Math.PI * Math.PI * C * source) - (m * m);
        if (!hessian.IsEmpty)
        {
            hessian[..(n * n)].Clear();
        }

        for (int k = 0; k < d; k++)
        {
            double b = Math.Max(pMinus[k], 0), a = Math.Min(pPlus[k], 0);
            value += 0.5 * ((a * a) + (b * b));
            gradient[k] = b;
            gradient[d + k] = a;
            if (!hessian.IsEmpty)
            {
                hessian[(k * n) + k] = pMinus[k] > 0 ? 1 : 0;
                hessian[((d + k) * n) + d + k] = pPlus[k] < 0 ? 1 : 0;
            }
        }

        gradient[2 * d] = -2 * m;
        if (!hessian.IsEmpty)
        {
            hessian[(n * n) - 1] = -2;
        }

        return value;
    }
}

/// <summary>The m² example on 𝕋¹.</summary>
internal readonly struct SquareCoupling1D : IGameModel<SquareCoupling1D>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => SquareCoupling.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => SquareCoupling.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>The m² example on 𝕋².</summary>
internal readonly struct SquareCoupling2D : IGameModel<SquareCoupling2D>
{
    public static int Dimension => 2;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => SquareCoupling.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => SquareCoupling.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
