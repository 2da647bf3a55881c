namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The explicit example's Hamiltonian on 𝕋¹ over a finite horizon, m₀ = the exact ergodic density, and a terminal cost
/// that depends on m, g(x, m) = u(x) + 0.3 ln m (so the Jacobian check covers ∂g/∂m), declared as a game: the generator
/// writes Ĥ, m₀, g and ∂g/∂m.
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
internal partial struct TerminalCoupling1D
{
    private const double C = ExplicitErgodic.C;
    private const double I0 = ExplicitErgodic.I0OfTwoC;

    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - Source(x) - Math.Log(m);

    [InitialDensity]
    public static double M0(double x) => Math.Exp(2 * C * Math.Sin(2 * Math.PI * x)) / I0;

    [TerminalCost]
    public static double G(double x, double m) => (-C * Math.Sin(2 * Math.PI * x)) + (0.3 * Math.Log(m));

    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}

/// <inheritdoc cref="TerminalCoupling1D"/>
[MeanFieldGame(Viscosity = 0.5)]
internal partial struct TerminalCoupling2D
{
    private const double C = ExplicitErgodic.C;
    private const double I0 = ExplicitErgodic.I0OfTwoC;

    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m) => (0.5 * ((px * px) + (py * py))) - Source(x) - Source(y) - Math.Log(m);

    [InitialDensity]
    public static double M0(double x, double y) => Math.Exp(2 * C * (Math.Sin(2 * Math.PI * x) + Math.Sin(2 * Math.PI * y))) / (I0 * I0);

    [TerminalCost]
    public static double G(double x, double y, double m) => (-C * (Math.Sin(2 * Math.PI * x) + Math.Sin(2 * Math.PI * y))) + (0.3 * Math.Log(m));

    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
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

/// <summary>
/// Crowd trading declared by its Lagrangian L(q, v, m, μ) = κv² − αqμ + φq² (the running cost; specs/mfg.md §5.3): the
/// generator's Legendre transform gives H = p²/(4κ) + αqμ − φq², the Hamiltonian <see cref="MeanField.Models.CrowdTradingGame"/>
/// declares, with c = −∂L/∂μ = αq.
/// </summary>
[MeanFieldGame(Viscosity = 0.01)]
internal partial struct CrowdTradingLagrangian
{
    private const double Offset = MeanField.Models.CrowdTradingGame.Offset;
    private const double Mean = MeanField.Models.CrowdTradingGame.InitialMean;
    private const double Spread = MeanField.Models.CrowdTradingGame.InitialSpread;

    [Lagrangian]
    public static double L(double x, double v, double m, double mu)
        => (MeanField.Models.CrowdTradingGame.Kappa * v * v) - (MeanField.Models.CrowdTradingGame.Alpha * (x - Offset) * mu) + (MeanField.Models.CrowdTradingGame.Phi * (x - Offset) * (x - Offset));

    [InitialDensity]
    public static double M0(double x)
        => Math.Exp(-(x - Offset - Mean) * (x - Offset - Mean) / (2 * Spread * Spread)) / (Spread * Math.Sqrt(2 * Math.PI));

    [TerminalCost]
    public static double G(double x, double m) => MeanField.Models.CrowdTradingGame.TerminalPenalty * (x - Offset) * (x - Offset);
}
