namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The explicit example's Hamiltonian on 𝕋¹ over a finite horizon, m₀ = the exact ergodic density, and a terminal cost
/// that depends on m, g(x, m) = u(x) + 0.3 ln m (so the Jacobian check covers ∂g/∂m).
/// </summary>
internal readonly struct TerminalCoupling1D : IGameModel<TerminalCoupling1D>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => ExplicitErgodic.M(x);

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => ExplicitErgodic.U(x) + (0.3 * Math.Log(m));

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0.3 / m;
}

/// <inheritdoc cref="TerminalCoupling1D"/>
internal readonly struct TerminalCoupling2D : IGameModel<TerminalCoupling2D>
{
    public static int Dimension => 2;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => ExplicitErgodic.M(x);

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => ExplicitErgodic.U(x) + (0.3 * Math.Log(m));

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0.3 / m;
}

/// <summary>
/// The explicit example's Hamiltonian on 𝕋¹ with grid data: m₀ and g(x, ·) are the discrete ergodic solution (M̄, Ū)
/// set in <see cref="Data"/> (node i at x = i/N). Then U^k = Ū + λ̄(T − t_k), M^k = M̄ solves the discrete
/// finite-horizon system exactly (specs/mfg.md §2.5). Used by one test only (static data).
/// </summary>
internal readonly struct StationaryData1D : IGameModel<StationaryData1D>
{
    public static (double[] U, double[] M) Data { get; set; } = ([0, 0, 0], [1, 1, 1]);

    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => Data.M[Node(x)];

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => Data.U[Node(x)];

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;

    private static int Node(ReadOnlySpan<double> x) => (int)Math.Round(x[0] * Data.M.Length) % Data.M.Length;
}

/// <summary>m₀ = 2 everywhere: not a density (mass 2).</summary>
internal readonly struct HeavyDensityGame : IGameModel<HeavyDensityGame>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 2;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>m₀ = 2 cos 2πx + 1: negative on part of the torus.</summary>
internal readonly struct NegativeDensityGame : IGameModel<NegativeDensityGame>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => (2 * Math.Cos(2 * Math.PI * x[0])) + 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
