namespace MeanField.Runtime.Tests.Pde;

/// <summary>Games a solver must refuse: ν = 0, ν = NaN, dimension 3 (the bad-input matrix's rows).</summary>
internal readonly struct ZeroViscosityGame : IGameModel<ZeroViscosityGame>
{
    public static int Dimension => 1;

    public static double Viscosity => 0;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <inheritdoc cref="ZeroViscosityGame"/>
internal readonly struct NaNViscosityGame : IGameModel<NaNViscosityGame>
{
    public static int Dimension => 1;

    public static double Viscosity => double.NaN;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <inheritdoc cref="ZeroViscosityGame"/>
internal readonly struct ThreeDimensionalGame : IGameModel<ThreeDimensionalGame>
{
    public static int Dimension => 3;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>A hand-written 2-D game that claims a mean control (the finite-horizon solvers support it in 1-D only).</summary>
internal readonly struct MeanControl2D : IGameModel<MeanControl2D>
{
    public static int Dimension => 2;

    public static double Viscosity => 0.5;

    public static bool HasMeanControl => true;

    public static double MeanControlCoupling(ReadOnlySpan<double> x) => x[0];

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, default);

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
        => ExplicitErgodic.Hamiltonian(x, pMinus, pPlus, m, gradient, hessian);

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}

/// <summary>Ĥ = ln(m − 2): NaN at M = 1, the solver's initial guess.</summary>
internal readonly struct NaNHamiltonianGame : IGameModel<NaNHamiltonianGame>
{
    public static int Dimension => 1;

    public static double Viscosity => 0.5;

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient)
    {
        gradient[..3].Clear();
        return Math.Log(m - 2);
    }

    public static double NumericalHamiltonian(ReadOnlySpan<double> x, ReadOnlySpan<double> pMinus, ReadOnlySpan<double> pPlus, double m, Span<double> gradient, Span<double> hessian)
    {
        hessian[..9].Clear();
        return NumericalHamiltonian(x, pMinus, pPlus, m, gradient);
    }

    public static double InitialDensity(ReadOnlySpan<double> x) => 1;

    public static double TerminalCost(ReadOnlySpan<double> x, double m) => 0;

    public static double TerminalCostDerivative(ReadOnlySpan<double> x, double m) => 0;
}
