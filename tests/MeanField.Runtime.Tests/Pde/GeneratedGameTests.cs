using MeanField.Models;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// A game drifting with the wind b(x) = sin 2πx, declared here from scratch (not in src/Models): H = ½p² + b(x)·p − ln m
/// is quadratic in p with its minimum at p* = −b(x) ≠ 0, so the generator's minimiser and increments are exercised.
/// </summary>
[MeanFieldGame(Viscosity = 0.3)]
public partial struct WindGame
{
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) + (Math.Sin(2 * Math.PI * x) * p) - Math.Log(m);
}

/// <summary>
/// <see cref="WindGame"/> declared by its running cost: L(x, v, m) = ½(v + b(x))² + ln m, whose Legendre transform
/// sup_v [−pv − L] is ½(p + b)² − ½b² − ln m = ½p² + b p − ln m, the Hamiltonian of <see cref="WindGame"/>.
/// </summary>
[MeanFieldGame(Viscosity = 0.3)]
public partial struct WindLagrangianGame
{
    [Lagrangian]
    public static double L(double x, double v, double m) => (0.5 * (v + Math.Sin(2 * Math.PI * x)) * (v + Math.Sin(2 * Math.PI * x))) + Math.Log(m);
}

/// <summary>
/// A 2-D game with a quadratic, anisotropic, position-dependent kinetic part: H = ½ a(x) px² + ½ py² + py − m,
/// a(x) = 1.5 + cos 2πx, minimum at (0, −1) (checks the 2-D minimiser and increments, and a coupling F(m) = m).
/// </summary>
[MeanFieldGame(Viscosity = 0.4)]
public partial struct AnisotropicGame
{
    [Hamiltonian]
    public static double H(double x, double y, double px, double py, double m)
        => (0.5 * (1.5 + Math.Cos(2 * Math.PI * x)) * px * px) + (0.5 * py * py) + py - m;
}

/// <summary>
/// <see cref="ExplicitErgodicGame2D"/> written with p as a vector: H(x, y, p, m) = ½|p|² − f̃(x) − f̃(y) − ln m through
/// <c>Channels.SquaredNorm</c>, which the generator expands into the components p_x, p_y.
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
public partial struct VectorFormGame
{
    [Hamiltonian]
    public static double H(double x, double y, ReadOnlySpan<double> p, double m)
        => (0.5 * Channels.SquaredNorm(p)) - Source(x) - Source(y) - Math.Log(m);

    public static double Source(double x) => ExplicitErgodicGame2DSource(x);

    private static double ExplicitErgodicGame2DSource(double x)
        => (2 * Math.PI * Math.PI * ((-0.5 * Math.Sin(2 * Math.PI * x)) + (0.25 * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - Math.Sin(2 * Math.PI * x);
}

/// <summary>
/// A game in the vector form (any d; here 3): H = Σ_k [½ a(x_k) p_k² + sin(2πx_k) p_k] − ⅒ cos 2πx₁ − ln m with
/// a(x) = 1.5 + cos 2πx, through <c>Sum</c> over two vectors with a lambda and a constant index; minimiser
/// p*_k = −sin(2πx_k)/a(x_k). Its m₀ and g read the position as a vector too.
/// </summary>
[MeanFieldGame(Viscosity = 0.3, Dimension = 3)]
public partial struct VectorPositionGame
{
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => Channels.Sum(x, p, (xi, pi) => (0.5 * (1.5 + Math.Cos(2 * Math.PI * xi)) * pi * pi) + (Math.Sin(2 * Math.PI * xi) * pi))
           - (0.1 * Math.Cos(2 * Math.PI * x[1])) - Math.Log(m);

    [InitialDensity]
    public static double M0(ReadOnlySpan<double> x) => 1 + (0.5 * Math.Sin(2 * Math.PI * x[0]) * Math.Cos(2 * Math.PI * x[2]));

    [TerminalCost]
    public static double G(ReadOnlySpan<double> x, double m) => Channels.Sum(x, Bump) + (0.5 * m * m);

    public static double Bump(double xi) => Math.Cos(2 * Math.PI * xi);
}

/// <summary><see cref="VectorPositionGame"/>'s H written with constant indices instead of Sum (same game).</summary>
[MeanFieldGame(Viscosity = 0.3, Dimension = 3)]
public partial struct VectorIndexGame
{
    [Hamiltonian]
    public static double H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m)
        => Term(x[0], p[0]) + Term(x[1], p[1]) + Term(x[2], p[2]) - (0.1 * Math.Cos(2 * Math.PI * x[1])) - Math.Log(m);

    public static double Term(double xi, double pi) => (0.5 * (1.5 + Math.Cos(2 * Math.PI * xi)) * pi * pi) + (Math.Sin(2 * Math.PI * xi) * pi);
}

/// <summary>
/// A finite-horizon game with every optional role: m₀(x) = 1 + ½ sin 2πx, g(x, m) = cos 2πx + ½m² (g depends on m, so
/// the generated ∂g/∂m enters the Jacobian), H = ½p² − m.
/// </summary>
[MeanFieldGame(Viscosity = 0.2)]
public partial struct TerminalGame
{
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - m;

    [InitialDensity]
    public static double M0(double x) => 1 + (0.5 * Math.Sin(2 * Math.PI * x));

    [TerminalCost]
    public static double G(double x, double m) => Math.Cos(2 * Math.PI * x) + (0.5 * m * m);
}

/// <summary>
/// The generated games (issue 10's "checks of the generated code"): each generated gradient and Hessian entry against
/// central differences of the generated Ĥ; Ĥ consistent with the user's own H and monotone; the generated explicit game
/// equal to the hand-written one; a Lagrangian declaration solving to the same solution as its Hamiltonian twin.
/// </summary>
public sealed class GeneratedGameTests
{
    /// <summary>
    /// Random node states away from the kinks (|p⁻|, |p⁺| of p − p* ≥ 0.05, where Ĥ is smooth). Central differences with
    /// step h = 10⁻⁵ have truncation error h²|Ĥ'''|/6 ≲ 10⁻⁸ (|Ĥ'''| ≤ 2/m³ ≈ 16 at m ≥ 0.5) and rounding error
    /// ε|Ĥ|/h ≈ 10⁻⁹ (|Ĥ| ≲ 50): the tolerance 10⁻⁶·max(1, |entry|) is ~100 times both.
    /// </summary>
    private static IEnumerable<(double[] X, double[] PMinus, double[] PPlus, double M)> States(int d, int seed, Func<double[], double[]> minimiser)
    {
        var random = new Random(seed);
        for (int s = 0; s < 40; s++)
        {
            double[] x = [.. Enumerable.Range(0, d).Select(_ => random.NextDouble())];
            double[] star = minimiser(x);
            double[] pm = [.. star.Select(c => c + Away(random))];
            double[] pp = [.. star.Select(c => c + Away(random))];
            yield return (x, pm, pp, 0.5 + (2 * random.NextDouble()));
        }
    }

    private static double Away(Random random)
    {
        double v = 0.05 + (2 * random.NextDouble());
        return random.Next(2) == 0 ? v : -v;
    }

    private static double[] AtZero(double[] x) => new double[x.Length];

    public static TheoryData<string> Games() => ["ExplicitErgodicGame", "ExplicitErgodicGame2D", "ExplicitErgodicLagrangianGame", "WindGame", "WindLagrangianGame", "AnisotropicGame", "VectorFormGame", "VectorPositionGame", "ExplicitErgodicGame10D"];

    /// <summary>p*_k = −sin(2πx_k)/(1.5 + cos 2πx_k) of <see cref="VectorPositionGame"/>.</summary>
    private static double[] VectorPositionMinimiser(double[] x) => [.. x.Select(a => -Math.Sin(2 * Math.PI * a) / (1.5 + Math.Cos(2 * Math.PI * a)))];

    [Theory]
    [MemberData(nameof(Games))]
    public void EveryJacobianEntryMatchesFiniteDifferences(string game)
    {
        switch (game)
        {
            case "ExplicitErgodicGame": CheckDerivatives<ExplicitErgodicGame>(1, AtZero); break;
            case "ExplicitErgodicGame2D": CheckDerivatives<ExplicitErgodicGame2D>(2, AtZero); break;
            case "ExplicitErgodicLagrangianGame": CheckDerivatives<ExplicitErgodicLagrangianGame>(3, AtZero); break;
            case "WindGame": CheckDerivatives<WindGame>(4, x => [-Math.Sin(2 * Math.PI * x[0])]); break;
            case "WindLagrangianGame": CheckDerivatives<WindLagrangianGame>(5, x => [-Math.Sin(2 * Math.PI * x[0])]); break;
            case "VectorFormGame": CheckDerivatives<VectorFormGame>(7, AtZero); break;
            case "VectorPositionGame": CheckDerivatives<VectorPositionGame>(8, VectorPositionMinimiser); break;
            case "ExplicitErgodicGame10D": CheckDerivatives<ExplicitErgodicGame10D>(9, AtZero); break;
            default: CheckDerivatives<AnisotropicGame>(6, _ => [0, -1]); break;
        }
    }

    private static void CheckDerivatives<T>(int seed, Func<double[], double[]> minimiser)
        where T : struct, IGameModel<T>
    {
        int d = T.Dimension, n = (2 * d) + 1;
        const double h = 1e-5;
        var gradient = new double[n];
        var hessian = new double[n * n];
        var plus = new double[n];
        var minus = new double[n];
        var scratch = new double[n];
        foreach (var (x, pm, pp, m) in States(d, seed, minimiser))
        {
            double value = T.NumericalHamiltonian(x, pm, pp, m, gradient, hessian);
            double valueOnly = T.NumericalHamiltonian(x, pm, pp, m, scratch);
            Assert.Equal(value, valueOnly);
            Assert.Equal(gradient, scratch);
            for (int k = 0; k < n; k++)
            {
                double[] vars = [.. pm, .. pp, m];
                vars[k] += h;
                double up = T.NumericalHamiltonian(x, vars.AsSpan(0, d), vars.AsSpan(d, d), vars[2 * d], plus);
                vars[k] -= 2 * h;
                double down = T.NumericalHamiltonian(x, vars.AsSpan(0, d), vars.AsSpan(d, d), vars[2 * d], minus);
                double fd = (up - down) / (2 * h);
                Assert.True(Math.Abs(gradient[k] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{typeof(T).Name} ∂Ĥ/∂v{k} = {gradient[k]}, FD {fd}");
                for (int j = 0; j < n; j++)
                {
                    double fd2 = (plus[j] - minus[j]) / (2 * h);
                    Assert.True(Math.Abs(hessian[(k * n) + j] - fd2) <= 1e-6 * Math.Max(1, Math.Abs(fd2)), $"{typeof(T).Name} ∂²Ĥ/∂v{k}∂v{j} = {hessian[(k * n) + j]}, FD {fd2}");
                }
            }
        }
    }

    /// <summary>
    /// Ĥ(x, p, p, m) = H(x, p, m) (the user's own method, called directly) to 10⁻¹² relative, and the scheme's monotonicity:
    /// ∂Ĥ/∂p⁻ ≥ 0 and ∂Ĥ/∂p⁺ ≤ 0 at every state (exact signs, no tolerance).
    /// </summary>
    [Fact]
    public void NumericalHamiltonianIsConsistentAndMonotone()
    {
        var gradient = new double[3];
        foreach (var (x, pm, pp, m) in States(1, 7, x => [-Math.Sin(2 * Math.PI * x[0])]))
        {
            double consistent = Generic<WindGame>(x, pm, pm, m, gradient);
            double user = WindGame.H(x[0], pm[0], m);
            Assert.True(Math.Abs(consistent - user) <= 1e-12 * Math.Max(1, Math.Abs(user)), $"Ĥ(p, p) = {consistent}, H(p) = {user}");
            Generic<WindGame>(x, pm, pp, m, gradient);
            Assert.True(gradient[0] >= 0, $"∂Ĥ/∂p⁻ = {gradient[0]}");
            Assert.True(gradient[1] <= 0, $"∂Ĥ/∂p⁺ = {gradient[1]}");

            double explicitGame = Generic<ExplicitErgodicGame>(x, pm, pm, m, gradient);
            double explicitUser = ExplicitErgodicGame.H(x[0], pm[0], m);
            Assert.True(Math.Abs(explicitGame - explicitUser) <= 1e-12 * Math.Max(1, Math.Abs(explicitUser)));
        }
    }

    /// <summary>
    /// The generated explicit games equal the hand-written reference (tests/…/Pde/ExplicitErgodicGame.cs, Ĥ written out by
    /// hand) at random states, kinks included (p⁻ = 0 every tenth state): value, gradient and Hessian to 10⁻¹² relative
    /// (the generator orders the source's terms differently, and computes 1/m² as (1/m)·(1/m): 1 ulp).
    /// </summary>
    [Fact]
    public void GeneratedExplicitGamesEqualTheHandWrittenOnes()
    {
        Compare<ExplicitErgodicGame, ExplicitErgodic1D>(1, 11);
        Compare<ExplicitErgodicLagrangianGame, ExplicitErgodic1D>(1, 12);
        Compare<ExplicitErgodicGame2D, ExplicitErgodic2D>(2, 13);
        Compare<VectorFormGame, ExplicitErgodic2D>(2, 14);
    }

    private static void Compare<TGenerated, TReference>(int d, int seed)
        where TGenerated : struct, IGameModel<TGenerated>
        where TReference : struct, IGameModel<TReference>
    {
        int n = (2 * d) + 1;
        double[] g1 = new double[n], g2 = new double[n], h1 = new double[n * n], h2 = new double[n * n];
        var random = new Random(seed);
        Assert.Equal(TReference.Dimension, TGenerated.Dimension);
        Assert.Equal(TReference.Viscosity, TGenerated.Viscosity);
        for (int s = 0; s < 200; s++)
        {
            double[] x = [.. Enumerable.Range(0, d).Select(_ => random.NextDouble())];
            double[] pm = [.. Enumerable.Range(0, d).Select(_ => s % 10 == 0 ? 0.0 : (4 * random.NextDouble()) - 2)];
            double[] pp = [.. Enumerable.Range(0, d).Select(_ => (4 * random.NextDouble()) - 2)];
            double m = 0.05 + (3 * random.NextDouble());
            double v1 = TGenerated.NumericalHamiltonian(x, pm, pp, m, g1, h1);
            double v2 = TReference.NumericalHamiltonian(x, pm, pp, m, g2, h2);
            Assert.True(Math.Abs(v1 - v2) <= 1e-12 * Math.Max(1, Math.Abs(v2)), $"{typeof(TGenerated).Name}: Ĥ {v1} vs {v2}");
            for (int k = 0; k < n; k++)
            {
                Assert.True(Math.Abs(g1[k] - g2[k]) <= 1e-12 * Math.Max(1, Math.Abs(g2[k])), $"{typeof(TGenerated).Name}: ∂Ĥ/∂v{k} {g1[k]} vs {g2[k]}");
            }

            for (int k = 0; k < n * n; k++)
            {
                Assert.True(Math.Abs(h1[k] - h2[k]) <= 1e-12 * Math.Max(1, Math.Abs(h2[k])), $"{typeof(TGenerated).Name}: Hessian entry {k} {h1[k]} vs {h2[k]}");
            }
        }
    }

    /// <summary>
    /// Solving with the generated explicit game gives the hand-written game's discrete solution (the same scheme: U, M
    /// and Λ to 10⁻¹⁰, the Newton tolerance being 10⁻¹⁰ on the residual with a well-conditioned Jacobian at N = 200),
    /// hence its errors against the exact solution.
    /// </summary>
    [Fact]
    public void GeneratedGameSolvesLikeTheHandWrittenOne()
    {
        var grid = new PeriodicGrid(200);
        ErgodicSolution generated = new ErgodicSolver<ExplicitErgodicGame>(grid, null).Solve();
        ErgodicSolution reference = new ErgodicSolver<ExplicitErgodic1D>(grid, null).Solve();
        Assert.True(generated.Converged);
        Assert.True(Math.Abs(generated.Lambda - reference.Lambda) <= 1e-10, $"Λ {generated.Lambda} vs {reference.Lambda}");
        for (int g = 0; g < grid.NodeCount; g++)
        {
            Assert.True(Math.Abs(generated.U[g] - reference.U[g]) <= 1e-10, $"U[{g}]");
            Assert.True(Math.Abs(generated.M[g] - reference.M[g]) <= 1e-10, $"M[{g}]");
        }

        var (_, _, _, lambdaError) = ErgodicReference.Errors(generated);
        Assert.True(lambdaError < 0.1, $"λ error {lambdaError}");
    }

    /// <summary>
    /// A game written from scratch in this project (<see cref="WindGame"/>, not in src/Models) solves with no other code:
    /// Newton to ‖R‖ ≤ 10⁻¹⁰, mass 1 to 10⁻¹², m &gt; 0; and its Lagrangian twin <see cref="WindLagrangianGame"/> gives the
    /// same solution (U, M, Λ to 10⁻⁹: the two Ĥ agree to rounding, 10⁻¹⁵ relative, and the solve amplifies that by the
    /// Jacobian's condition, ≲ 10⁶ at N = 128).
    /// </summary>
    [Fact]
    public void LagrangianDeclarationSolvesLikeItsHamiltonian()
    {
        var grid = new PeriodicGrid(128);
        ErgodicSolution hamiltonian = new ErgodicSolver<WindGame>(grid, null).Solve();
        ErgodicSolution lagrangian = new ErgodicSolver<WindLagrangianGame>(grid, null).Solve();
        foreach (var solution in new[] { hamiltonian, lagrangian })
        {
            Assert.True(solution.Converged);
            Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
            Assert.True(Math.Abs(solution.Mass - 1) <= 1e-12, $"mass {solution.Mass}");
            Assert.True(solution.MinDensity > 0, $"min m {solution.MinDensity}");
        }

        Assert.True(Math.Abs(hamiltonian.Lambda - lagrangian.Lambda) <= 1e-9, $"Λ {hamiltonian.Lambda} vs {lagrangian.Lambda}");
        for (int g = 0; g < grid.NodeCount; g++)
        {
            Assert.True(Math.Abs(hamiltonian.U[g] - lagrangian.U[g]) <= 1e-9, $"U[{g}]");
            Assert.True(Math.Abs(hamiltonian.M[g] - lagrangian.M[g]) <= 1e-9, $"M[{g}]");
        }

        // The wind moves the crowd: the density is not uniform (max/min > 1.05), so the test is not of a trivial solution.
        Assert.True(hamiltonian.M.Max() / hamiltonian.M.Min() > 1.05);
    }

    /// <summary>The generated 2-D anisotropic game (minimum at p* = (0, −1)) solves on a 24 × 24 grid with the same guarantees.</summary>
    [Fact]
    public void Generated2DGameSolves()
    {
        ErgodicSolution solution = new ErgodicSolver<AnisotropicGame>(new PeriodicGrid(24, 24), null).Solve();
        Assert.True(solution.Converged);
        Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
        Assert.True(Math.Abs(solution.Mass - 1) <= 1e-12, $"mass {solution.Mass}");
        Assert.True(solution.MinDensity > 0);
    }

    [Fact]
    public void GeneratedHeaderSaysWhereHComesFrom()
    {
        Assert.Contains("Legendre transform", WindLagrangianGame.Derivation, StringComparison.Ordinal);
        Assert.Contains("Declared: the Hamiltonian H(x, p, m)", WindGame.Derivation, StringComparison.Ordinal);
        Assert.Equal("−sin(6.283185307179586·x)", WindGame.Formulas["p*"]);
    }

    /// <summary>
    /// The optional roles are generated from the user's methods: m₀ and g equal them (to 10⁻¹⁵ relative: the generator
    /// may reorder), ∂g/∂m equals central differences of the generated g (h = 10⁻⁵, error ≤ 10⁻⁹ for this quadratic),
    /// and a game without them gets m₀ = 1, g = 0. The finite-horizon solver runs on the generated game: Newton
    /// converges, m stays positive and the mass stays 1 (to the solver's stated defect, 10⁻¹²).
    /// </summary>
    [Fact]
    public void GeneratedOptionalRolesAndFiniteHorizonSolve()
    {
        var random = new Random(21);
        for (int s = 0; s < 50; s++)
        {
            double[] x = [random.NextDouble()];
            double m = 0.1 + (3 * random.NextDouble());
            Assert.True(Math.Abs(Initial<TerminalGame>(x) - TerminalGame.M0(x[0])) <= 1e-15 * 2);
            Assert.True(Math.Abs(Terminal<TerminalGame>(x, m) - TerminalGame.G(x[0], m)) <= 1e-15 * 8);
            double fd = (Terminal<TerminalGame>(x, m + 1e-5) - Terminal<TerminalGame>(x, m - 1e-5)) / 2e-5;
            Assert.True(Math.Abs(TerminalSlope<TerminalGame>(x, m) - fd) <= 1e-9, $"∂g/∂m {TerminalSlope<TerminalGame>(x, m)} vs {fd}");
            Assert.Equal(1.0, Initial<WindGame>(x));
            Assert.Equal(0.0, Terminal<WindGame>(x, m));
            Assert.Equal(0.0, TerminalSlope<WindGame>(x, m));
        }

        FiniteHorizonSolution solution = new FiniteHorizonSolver<TerminalGame>(new PeriodicGrid(48), 0.5, 20, null).Solve();
        Assert.True(solution.Converged);
        Assert.True(solution.MinDensity > 0);
        Assert.True(solution.MassDefect <= 1e-12, $"mass defect {solution.MassDefect}");
    }

    private static double Initial<T>(double[] x)
        where T : struct, IGameModel<T> => T.InitialDensity(x);

    private static double Terminal<T>(double[] x, double m)
        where T : struct, IGameModel<T> => T.TerminalCost(x, m);

    private static double TerminalSlope<T>(double[] x, double m)
        where T : struct, IGameModel<T> => T.TerminalCostDerivative(x, m);

    /// <summary>
    /// The vector form: the generated Ĥ(x, p, p, m), m₀ and g equal the user's methods called directly (their
    /// <c>Channels.Sum</c> and <c>x[k]</c> run as ordinary C#), to 10⁻¹² relative (the generator reorders the sums: a few
    /// ulps); Ĥ monotone in every p⁻_k and p⁺_k (exact signs); the stated dimensions reach the contract.
    /// </summary>
    [Fact]
    public void VectorFormGamesAgreeWithTheirOwnMethods()
    {
        Assert.Equal(3, Dimension<VectorPositionGame>());
        Assert.Equal(10, Dimension<ExplicitErgodicGame10D>());
        var gradient = new double[7];
        foreach (var (x, pm, pp, m) in States(3, 12, VectorPositionMinimiser))
        {
            double generated = Generic<VectorPositionGame>(x, pm, pm, m, gradient);
            double user = VectorPositionGame.H(x, pm, m);
            Assert.True(Math.Abs(generated - user) <= 1e-12 * Math.Max(1, Math.Abs(user)), $"Ĥ(p, p) = {generated}, H(p) = {user}");
            Generic<VectorPositionGame>(x, pm, pp, m, gradient);
            for (int k = 0; k < 3; k++)
            {
                Assert.True(gradient[k] >= 0, $"∂Ĥ/∂p⁻_{k} = {gradient[k]}");
                Assert.True(gradient[3 + k] <= 0, $"∂Ĥ/∂p⁺_{k} = {gradient[3 + k]}");
            }

            Assert.Equal(VectorPositionGame.M0(x), Initial<VectorPositionGame>(x), 12);
            Assert.Equal(VectorPositionGame.G(x, m), Terminal<VectorPositionGame>(x, m), 12);
        }

        var random = new Random(13);
        var gradient10 = new double[21];
        for (int s = 0; s < 20; s++)
        {
            double[] x = [.. Enumerable.Range(0, 10).Select(_ => random.NextDouble())];
            double[] p = [.. Enumerable.Range(0, 10).Select(_ => (4 * random.NextDouble()) - 2)];
            double m = 0.5 + random.NextDouble();
            double generated = Generic<ExplicitErgodicGame10D>(x, p, p, m, gradient10);
            double user = ExplicitErgodicGame10D.H(x, p, m);
            Assert.True(Math.Abs(generated - user) <= 1e-12 * Math.Max(1, Math.Abs(user)), $"10-D: Ĥ(p, p) = {generated}, H(p) = {user}");
        }
    }

    /// <summary>
    /// Sum with a lambda (<see cref="VectorPositionGame"/>) and constant indices with a helper (<see cref="VectorIndexGame"/>)
    /// generate the same game: Ĥ with its gradient and Hessian, and the point residuals with their Jacobian, agree to
    /// 10⁻¹³ relative (the two forms may order the sum's terms differently: a few ulps).
    /// </summary>
    [Fact]
    public void SumFormsGiveTheSameGame()
    {
        var (g1, h1, g2, h2) = (new double[7], new double[49], new double[7], new double[49]);
        foreach (var (x, pm, pp, m) in States(3, 14, VectorPositionMinimiser))
        {
            double a = WithHessian<VectorPositionGame>(x, pm, pp, m, g1, h1);
            double b = WithHessian<VectorIndexGame>(x, pm, pp, m, g2, h2);
            Assert.Equal(a, b, 1e-13 * Math.Max(1, Math.Abs(a)));
            AssertClose(g1, g2);
            AssertClose(h1, h2);
        }

        var random = new Random(15);
        var (r1, j1, r2, j2) = (new double[2], new double[40], new double[2], new double[40]);
        for (int s = 0; s < 20; s++)
        {
            double[] inputs = [.. Enumerable.Range(0, 20).Select(_ => (2 * random.NextDouble()) - 1)];
            inputs[10] = 0.5 + random.NextDouble(); // m
            Residuals<VectorPositionGame>(inputs, r1, j1);
            Residuals<VectorIndexGame>(inputs, r2, j2);
            AssertClose(r1, r2);
            AssertClose(j1, j2);
        }

        static void AssertClose(double[] expected, double[] actual)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * Math.Max(1, Math.Abs(expected[i])), $"entry {i}: {expected[i]} against {actual[i]}");
            }
        }
    }

    private static double WithHessian<T>(double[] x, double[] pm, double[] pp, double m, double[] gradient, double[] hessian)
        where T : struct, IGameModel<T> => T.NumericalHamiltonian(x, pm, pp, m, gradient, hessian);

    private static void Residuals<T>(double[] inputs, double[] residuals, double[] jacobian)
        where T : struct, IGameResiduals<T> => T.PointResiduals(inputs, residuals, jacobian);

    private static int Dimension<T>()
        where T : struct, IGameModel<T> => T.Dimension;

    private static double Generic<T>(double[] x, double[] pm, double[] pp, double m, double[] gradient)
        where T : struct, IGameModel<T> => T.NumericalHamiltonian(x, pm, pp, m, gradient);
}
