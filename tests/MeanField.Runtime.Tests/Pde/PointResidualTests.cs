using MeanField.Models;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The generated pointwise residuals (<see cref="IGameResiduals{TSelf}"/>, specs/mfg.md §9.2): they vanish at the
/// explicit example's exact solution, whose derivatives are written out here by hand, and their Jacobian matches central
/// differences of the residuals.
/// </summary>
public sealed class PointResidualTests
{
    /// <summary>
    /// The exact (u, m, λ) of specs/mfg.md §5 in d dimensions, with c = ½: u = −c Σ sin 2πx_k, m = Π e^{2c sin 2πx_k}/I₀(2c):
    /// u_k = −2πc cos 2πx_k, u_kk = 4π²c sin 2πx_k, m_k = 4πc cos(2πx_k) m, m_kk = m [(4πc cos 2πx_k)² − 8π²c sin 2πx_k].
    /// R_HJB and R_FP are then 0 up to rounding: d terms of size ≤ 4π²c·(1 + m) ≈ 20(1 + m) each (m reaches e^{2cd}/I₀(2c)^d,
    /// ≈ 2000 in d = 10), so the bound 10⁻¹²·d·(1 + m) is ~50 ulps of the largest term.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void ResidualsVanishAtTheExactSolution(int d)
    {
        var random = new Random(31 + d);
        var residuals = new double[2];
        for (int s = 0; s < 100; s++)
        {
            double[] x = [.. Enumerable.Range(0, d).Select(_ => random.NextDouble())];
            double m = ExplicitErgodic.M(x);
            double[] inputs = ExplicitErgodic.ExactPointInputs(x);
            switch (d)
            {
                case 1: Evaluate<ExplicitErgodicGame>(inputs, residuals); break;
                case 2: Evaluate<ExplicitErgodicGame2D>(inputs, residuals); break;
                default: Evaluate<ExplicitErgodicGame10D>(inputs, residuals); break;
            }

            double tolerance = 1e-12 * d * (1 + m);
            Assert.True(Math.Abs(residuals[0]) <= tolerance, $"R_HJB = {residuals[0]} at x = ({string.Join(", ", x)})");
            Assert.True(Math.Abs(residuals[1]) <= tolerance, $"R_FP = {residuals[1]} at x = ({string.Join(", ", x)})");
        }
    }

    /// <summary>
    /// Each of the 2 × (5d + 5) Jacobian entries against central differences (h = 10⁻⁵·max(1, |input|); the residuals are
    /// smooth in every input at m ≥ 0.5: truncation h²|R'''|/6 ≲ 10⁻⁸, rounding ε|R|/h ≲ 10⁻⁹), to 10⁻⁶·max(1, |entry|).
    /// </summary>
    [Fact]
    public void JacobianMatchesFiniteDifferences()
    {
        Check<ExplicitErgodicGame>(1, 41);
        Check<ExplicitErgodicGame2D>(2, 42);
        Check<WindGame>(1, 43);
        Check<WindLagrangianGame>(1, 44);
        Check<AnisotropicGame>(2, 45);
        Check<TerminalGame>(1, 46);
        Check<VectorPositionGame>(3, 47);
        Check<ExplicitErgodicGame10D>(10, 48);
    }

    private static void Check<T>(int d, int seed)
        where T : struct, IGameResiduals<T>
    {
        int n = T.PointInputCount;
        Assert.Equal((5 * d) + 5, n);
        var random = new Random(seed);
        var residuals = new double[2];
        var up = new double[2];
        var down = new double[2];
        var jacobian = new double[2 * n];
        var scratch = new double[2 * n];
        for (int s = 0; s < 20; s++)
        {
            double[] inputs = [.. Enumerable.Range(0, n).Select(_ => (2 * random.NextDouble()) - 1)];
            inputs[(2 * d) + 1 + d] = 0.5 + random.NextDouble(); // m > 0
            T.PointResiduals(inputs, residuals, jacobian);
            for (int k = 0; k < n; k++)
            {
                double h = 1e-5 * Math.Max(1, Math.Abs(inputs[k]));
                double[] shifted = (double[])inputs.Clone();
                shifted[k] += h;
                T.PointResiduals(shifted, up, scratch);
                shifted[k] -= 2 * h;
                T.PointResiduals(shifted, down, scratch);
                for (int r = 0; r < 2; r++)
                {
                    double fd = (up[r] - down[r]) / (2 * h);
                    double entry = jacobian[(r * n) + k];
                    Assert.True(Math.Abs(entry - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{typeof(T).Name}: ∂R{r}/∂input{k} = {entry}, FD {fd}");
                }
            }
        }
    }

    private static void Evaluate<T>(double[] inputs, double[] residuals)
        where T : struct, IGameResiduals<T> => T.PointResiduals(inputs, residuals, new double[2 * T.PointInputCount]);
}
