namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// A strongly coupled game for the fixed-point iterations (specs/mfg.md §11): ν = 0.2, H = ½|p|² − 2 cos 2πx − κm with
/// κ = 20 (Engquist–Osher), a monotone potential coupling F(m) = κm far stronger than the diffusion, so the linearised
/// best-response map has a spectral radius well above 1.
/// </summary>
internal readonly struct StrongCoupling1D : IGameModel<StrongCoupling1D>
{
    public const double Kappa = 20;

    public static int Dimension => 1;

    public static double Viscosity => 0.2;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => NumericalHamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
    {
        double b = Math.Max(pMinus[0], 0), a = Math.Min(pPlus[0], 0);
        gradient[0] = b;
        gradient[1] = a;
        gradient[2] = -Kappa;
        if (!hessian.IsEmpty)
        {
            hessian[..9].Clear();
            hessian[0] = pMinus[0] > 0 ? 1 : 0;
            hessian[4] = pPlus[0] < 0 ? 1 : 0;
        }

        return (0.5 * ((a * a) + (b * b))) - (2 * Math.Cos(2 * Math.PI * x[0])) - (Kappa * m);
    }

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
