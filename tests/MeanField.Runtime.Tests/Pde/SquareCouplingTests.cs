namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The example without an explicit solution (issue 10's second reference case; specs/mfg.md §5.2): ν = ½,
/// H = ½|p|² − f̃ − m², f̃ = 2π²c Σ(sin 2πx_i + cos 2πx_i). The tests of this class set <see cref="SquareCoupling.C"/>;
/// xUnit runs a class's tests one at a time and no other class uses these games.
/// </summary>
[Collection("SquareCoupling.C")]
public sealed class SquareCouplingTests
{
    /// <summary>
    /// c = ½, N = 200: Newton reaches ‖R‖_∞ ≤ 10⁻¹⁰ in ≤ 10 iterations (6 measured); M &gt; 0, mass 1. Symmetry: f̃ ∝
    /// sin(2πx + π/4) is even about x = 1/8, and the Engquist–Osher scheme commutes with reflections (D⁻ ↔ −D⁺), so the
    /// discrete solution satisfies U_i = U_{N/4 − i}, M_i = M_{N/4 − i} (N divisible by 4) — to 10⁻¹⁰, the Newton
    /// tolerance (measured 2·10⁻¹⁵).
    /// </summary>
    [Fact]
    public void ConvergesAndIsReflectionSymmetric1D()
    {
        SquareCoupling.C = 0.5;
        const int N = 200;
        ErgodicSolution solution = new ErgodicSolver<SquareCoupling1D>(new PeriodicGrid(N), null).Solve();
        Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
        Assert.True(solution.Iterations <= 10, $"{solution.Iterations} iterations");
        Assert.True(solution.MinDensity > 0);
        Assert.True(Math.Abs(solution.Mass - 1) <= 1e-12, $"mass {solution.Mass}");
        for (int i = 0; i < N; i++)
        {
            int mirror = ((N / 4) - i + N) % N;
            Assert.True(Math.Abs(solution.U[i] - solution.U[mirror]) <= 1e-10, $"U[{i}] = {solution.U[i]}, U[{mirror}] = {solution.U[mirror]}");
            Assert.True(Math.Abs(solution.M[i] - solution.M[mirror]) <= 1e-10, $"M[{i}] = {solution.M[i]}, M[{mirror}] = {solution.M[mirror]}");
        }
    }

    /// <summary>2-D, 24 × 24, c = ½: f̃ is symmetric in (x, y), so M(x, y) = M(y, x) and U likewise, to 10⁻¹⁰ (measured 4·10⁻¹⁶).</summary>
    [Fact]
    public void IsSymmetricUnderSwappingTheAxes2D()
    {
        SquareCoupling.C = 0.5;
        const int N = 24;
        ErgodicSolution solution = new ErgodicSolver<SquareCoupling2D>(new PeriodicGrid(N, N), null).Solve();
        Assert.True(solution.ResidualNorm <= 1e-10, $"‖R‖ = {solution.ResidualNorm}");
        for (int iy = 0; iy < N; iy++)
        {
            for (int ix = 0; ix < N; ix++)
            {
                int g = ix + (N * iy), swapped = iy + (N * ix);
                Assert.True(Math.Abs(solution.M[g] - solution.M[swapped]) <= 1e-10, $"M at ({ix}, {iy}) and ({iy}, {ix})");
                Assert.True(Math.Abs(solution.U[g] - solution.U[swapped]) <= 1e-10, $"U at ({ix}, {iy}) and ({iy}, {ix})");
            }
        }
    }

    /// <summary>
    /// c → 0 (specs/mfg.md §5.2): u = c u₁ + O(c²), m = 1 − 2c u₁ + O(c²), λ = 1 + c²λ₂ + O(c³) with
    /// u₁ = a (sin 2πx + cos 2πx), a = 2π²/(2π² + 4), λ₂ = a²(4 − 2π²) = −10.88 (1-D). At c = 10⁻³, N = 200: measured
    /// max|U/c − u₁| = 3.0·10⁻⁴, max|(M − 1)/c + 2u₁| = 9.9·10⁻⁴ (both O(c) + O(h²)), (λ − 1)/c² = −10.88; bounds 10⁻³,
    /// 3·10⁻³ and 2 % of λ₂ (the O(h²) error of the discrete Laplacian's symbol at N = 200 is 10⁻⁴, the O(c) term 10⁻³).
    /// </summary>
    [Fact]
    public void SmallAmplitudeLimit()
    {
        SquareCoupling.C = 1e-3;
        try
        {
            const int N = 200;
            const double C = 1e-3;
            ErgodicSolution solution = new ErgodicSolver<SquareCoupling1D>(new PeriodicGrid(N), null).Solve();
            double a = 2 * Math.PI * Math.PI / ((2 * Math.PI * Math.PI) + 4);
            double lambda2 = a * a * (4 - (2 * Math.PI * Math.PI));
            double eu = 0, em = 0;
            for (int i = 0; i < N; i++)
            {
                double x = (double)i / N, u1 = a * (Math.Sin(2 * Math.PI * x) + Math.Cos(2 * Math.PI * x));
                eu = Math.Max(eu, Math.Abs((solution.U[i] / C) - u1));
                em = Math.Max(em, Math.Abs(((solution.M[i] - 1) / C) + (2 * u1)));
            }

            Assert.True(eu <= 1e-3, $"max|U/c − u₁| = {eu}");
            Assert.True(em <= 3e-3, $"max|(M − 1)/c + 2u₁| = {em}");
            double observed = (solution.Lambda - 1) / (C * C);
            Assert.True(Math.Abs(observed - lambda2) <= 0.02 * Math.Abs(lambda2), $"(λ − 1)/c² = {observed}, λ₂ = {lambda2}");
        }
        finally
        {
            SquareCoupling.C = 0.5;
        }
    }
}
