using MeanField.Pde;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>The assembled Jacobian of the discrete ergodic system against central differences of its residual (specs/mfg.md §2.4).</summary>
public sealed class ErgodicJacobianTests
{
    /// <summary>
    /// Every entry of J (dense comparison, pattern and values) at a random state with M &gt; 0, against
    /// (R(x + εe_j) − R(x − εe_j)) / 2ε, ε = 10⁻⁶. Tolerance 10⁻⁶·(1 + |J_ij|): the truncation error is
    /// ε²/6·|∂³R| ≤ 10⁻¹²·(2/M³ of the log term, ≤ 10³ here), negligible; the rounding error is
    /// ε_mach·max|R|/ε ≈ 2.2·10⁻¹⁶·10⁴/10⁻⁶ ≈ 2·10⁻⁶ at worst (max|R| ~ ν|U|/h² with h = 1/9 and |U| ≤ 1 is ~10²,
    /// so in practice ~2·10⁻⁸). The state keeps every one-sided difference at least 10³ε/h away from the kinks at
    /// p = 0 (checked), so the perturbation never crosses a kink of max/min.
    /// </summary>
    [Theory]
    [InlineData(1, 9, 1)]
    [InlineData(1, 3, 2)]
    [InlineData(2, 5, 3)]
    [InlineData(2, 3, 4)]
    public void JacobianMatchesCentralDifferences(int dimension, int points, int seed)
    {
        if (dimension == 1)
        {
            Check<ExplicitErgodic1D>(new PeriodicGrid(points), seed);
        }
        else
        {
            Check<ExplicitErgodic2D>(new PeriodicGrid(points, points + 1), seed);
        }
    }

    /// <summary>
    /// The same check with the generated games (src/Models: the explicit example declared by its Hamiltonian in 1-D and
    /// 2-D, and by its Lagrangian): the system's Jacobian, built from the generated Ĥ, ∇Ĥ and ∇²Ĥ, against central
    /// differences of its residual, with the tolerance reasoned above (their kinks are at p = 0 as well).
    /// </summary>
    [Theory]
    [InlineData("ExplicitErgodicGame", 9, 5)]
    [InlineData("ExplicitErgodicLagrangianGame", 7, 6)]
    [InlineData("ExplicitErgodicGame2D", 5, 7)]
    public void GeneratedGameJacobianMatchesCentralDifferences(string game, int points, int seed)
    {
        switch (game)
        {
            case "ExplicitErgodicGame": Check<MeanField.Models.ExplicitErgodicGame>(new PeriodicGrid(points), seed); break;
            case "ExplicitErgodicLagrangianGame": Check<MeanField.Models.ExplicitErgodicLagrangianGame>(new PeriodicGrid(points), seed); break;
            default: Check<MeanField.Models.ExplicitErgodicGame2D>(new PeriodicGrid(points, points + 1), seed); break;
        }
    }

    /// <summary>Conservation: the rows of ∂HJB/∂U sum to zero, so Σ_g FP_g = Σ_o M_o Σ_g ∂HJB_o/∂U_g = 0 for any state.</summary>
    [Fact]
    public void FokkerPlanckRowsSumToZero()
    {
        var grid = new PeriodicGrid(7);
        var system = new ErgodicSystem<ExplicitErgodic1D>(grid);
        double[] x = RandomState(grid, 5);
        var r = new double[system.Size];
        system.Assemble(x, r, withJacobian: false);

        // R[2q+1] holds the mass row; FP_q = −Σ_{g<q} FP_g is implied. Recompute FP_q from the adjoint form:
        // the FP rows are (∂HJB/∂U)ᵀM without the Λ column, so Σ_g FP_g = Σ_o M_o Σ_s w_s(o) = 0 since Σ_s w_s = 0.
        system.Assemble(x, r, withJacobian: true);
        CsrMatrix j = system.Jacobian;
        double sumAll = 0;
        for (int g = 0; g < grid.NodeCount; g++)
        {
            // column sums of the HJB block in U weighted by M = the FP residual without diffusion; diffusion sums to 0 too.
            for (int o = 0; o < grid.NodeCount; o++)
            {
                sumAll += j[2 * o, 2 * g] * x[(2 * o) + 1];
            }
        }

        // Σ_g Σ_o (∂HJB_o/∂U_g) M_o = Σ_o M_o Σ_g ∂HJB_o/∂U_g = 0: rows of ∂HJB/∂U sum to zero (shift invariance).
        // Tolerance: each term is ≤ ~10³ (ν/h² with h = 1/7, times M ≤ 2), 49 terms: rounding ≤ 10⁻¹⁰.
        Assert.True(Math.Abs(sumAll) < 1e-10, $"Σ (∂HJB/∂U)ᵀM = {sumAll}");
    }

    internal static double[] RandomState(PeriodicGrid grid, int seed)
    {
        var random = new Random(seed);
        int n = grid.NodeCount;
        var x = new double[(2 * n) + 1];
        for (int g = 0; g < n; g++)
        {
            x[2 * g] = (2 * random.NextDouble()) - 1;
            x[(2 * g) + 1] = 0.5 + random.NextDouble();
        }

        x[2 * n] = random.NextDouble() - 0.5;
        return x;
    }

    private static void Check<TGame>(PeriodicGrid grid, int seed)
        where TGame : struct, IGameModel<TGame>
    {
        const double Epsilon = 1e-6;
        var system = new ErgodicSystem<TGame>(grid);
        double[] x = RandomState(grid, seed);
        int size = system.Size, n = grid.NodeCount;

        // Keep every one-sided difference away from the kinks of max/min.
        double minSpacing = Math.Min(grid.Hx, grid.Hy);
        for (int g = 0; g < n; g++)
        {
            for (int axis = 0; axis < grid.Dimension; axis++)
            {
                int next = grid.Neighbour(g, axis, +1);
                double p = Math.Abs(x[2 * next] - x[2 * g]) / grid.Spacing(axis);
                Assert.True(p > 1e3 * Epsilon / minSpacing, $"seed {seed}: a difference {p} is too close to a kink");
            }
        }

        var r = new double[size];
        system.Assemble(x, r, withJacobian: true);
        var plus = new double[size];
        var minus = new double[size];
        var xp = (double[])x.Clone();
        for (int col = 0; col < size; col++)
        {
            xp[col] = x[col] + Epsilon;
            system.Assemble(xp, plus, withJacobian: false);
            xp[col] = x[col] - Epsilon;
            system.Assemble(xp, minus, withJacobian: false);
            xp[col] = x[col];
            for (int row = 0; row < size; row++)
            {
                double fd = (plus[row] - minus[row]) / (2 * Epsilon);
                double exact = system.Jacobian[row, col];
                Assert.True(Math.Abs(fd - exact) <= 1e-6 * (1 + Math.Abs(exact)), $"J[{row}, {col}] = {exact}, central difference {fd}");
            }
        }
    }
}
