using MeanField.Dgm;
using MeanField.Models;
using MeanField.Runtime.Tests.Pde;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The explicit example's Hamiltonian over a finite horizon with the ergodic solution as data: m₀ = m̄ and g = ū (no m).
/// Then u(t, x) = ū(x) + λ̄(T − t), m(t, x) = m̄(x) solves the continuous system exactly (−∂ₜu = λ̄ cancels the ergodic
/// equation's λ̄; m̄ is stationary): specs/dgm.md §6.6.
/// </summary>
[MeanFieldGame(Viscosity = 0.5)]
internal partial struct StationaryTerminal1D
{
    private const double C = ExplicitErgodic.C;
    private const double I0 = ExplicitErgodic.I0OfTwoC;

    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - Source(x) - Math.Log(m);

    [InitialDensity]
    public static double M0(double x) => Math.Exp(2 * C * Math.Sin(2 * Math.PI * x)) / I0;

    [TerminalCost]
    public static double G(double x, double m) => -C * Math.Sin(2 * Math.PI * x);

    public static double Source(double x)
        => (2 * Math.PI * Math.PI * ((-C * Math.Sin(2 * Math.PI * x)) + (C * C * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * x))))
           - (2 * C * Math.Sin(2 * Math.PI * x));
}

/// <summary>m₀ = sin 2πx + 0.5, negative on part of the torus: not a density.</summary>
[MeanFieldGame(Viscosity = 0.5)]
internal partial struct NegativeInitialDensity1D
{
    [Hamiltonian]
    public static double H(double x, double p, double m) => (0.5 * p * p) - Math.Log(m);

    [InitialDensity]
    public static double M0(double x) => Math.Sin(2 * Math.PI * x) + 0.5;

    [TerminalCost]
    public static double G(double x, double m) => 0;
}

/// <summary>
/// The finite-horizon Deep Galerkin trainer (specs/dgm.md §5.6, §6.6): its gradient against central differences (the
/// terminal cost's ∂g/∂m and the time derivatives included), training to the exact solution of
/// <see cref="StationaryTerminal1D"/>, two threads bit-identical to one, checkpoint and resume.
/// </summary>
public sealed class FiniteHorizonDgmTrainerTests
{
    /// <summary>
    /// The analytic gradient (interior residuals with ∂ₜu, ∂ₜm = m∂ₜv and ∂ₜ = ∂_τ/T; terminal (u − g(x, e^v))² with
    /// ∂g/∂m ≠ 0; initial (e^v − m₀)²) against central differences of the loss on a fixed batch at 30 parameters of each
    /// network, h = 10⁻⁵; the same bounds as the ergodic trainer's check (ErgodicDgmTrainerTests): the loss is O(10²)
    /// and smooth, truncation ≲ 10⁻⁷, rounding ≈ 10⁻⁹; tolerance 10⁻⁶·max(1, |∂L|). Generated games in d = 1 and 2 with
    /// g(x, m) = ū(x) + 0.3 ln m (<see cref="TerminalCoupling1D"/>, <see cref="TerminalCoupling2D"/>), T = 0.7 so that
    /// 1/T ≠ 1 is exercised, weights 2 and 3; and <see cref="MeanField.Runtime.Tests.Pde.VectorPositionGame"/> (d = 3, whose
    /// ∂²H/∂p_k² = 1.5 + cos 2πx_k puts two weighted Laplacians in u's network, specs/dgm.md §5.1).
    /// </summary>
    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        CheckGradient<TerminalCoupling1D>();
        CheckGradient<TerminalCoupling2D>();
        CheckGradient<MeanField.Runtime.Tests.Pde.VectorPositionGame>(); // d = 3, two weighted Laplacians with ∂ₜ (specs/dgm.md §5.1)
        CheckGradient(new FiniteHorizonDgmTrainer<TerminalCoupling2D>(0.7, 6, 1, 40, seed: 3, boundaryBatch: 13, terminalWeight: 2, initialWeight: 3, architecture: DgmArchitecture.Gated));
        CheckGradient(new FiniteHorizonDgmTrainer<MeanField.Runtime.Tests.Pde.VectorPositionGame>(0.7, 6, 1, 40, seed: 3, boundaryBatch: 13, terminalWeight: 2, initialWeight: 3, architecture: DgmArchitecture.Gated));
    }

    private static void CheckGradient<TGame>()
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
        => CheckGradient(new FiniteHorizonDgmTrainer<TGame>(0.7, 8, 2, 40, seed: 3, boundaryBatch: 13, terminalWeight: 2, initialWeight: 3));

    private static void CheckGradient<TGame>(FiniteHorizonDgmTrainer<TGame> trainer)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
    {
        for (int s = 0; s < 5; s++)
        {
            trainer.Step(); // away from the initialisation's symmetric point
        }

        trainer.Sample();
        trainer.Evaluate();
        Assert.True(trainer.TerminalLoss > 0 && trainer.InitialLoss > 0 && trainer.HjbLoss > 0 && trainer.FokkerPlanckLoss > 0);
        double[] analytic = trainer.Gradient.ToArray();
        int nu = trainer.U.ParameterCount, nv = trainer.V.ParameterCount;
        Assert.Equal(0.0, analytic[nu + nv]);
        var random = new Random(8);
        const double h = 1e-5;
        void CheckAt(int i, Span<double> parameters, int j)
        {
            double saved = parameters[j];
            parameters[j] = saved + h;
            double plus = trainer.Evaluate();
            parameters[j] = saved - h;
            double minus = trainer.Evaluate();
            parameters[j] = saved;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - analytic[i]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{typeof(TGame).Name} gradient[{i}]: analytic {analytic[i]:R}, central difference {fd:R}");
        }

        for (int s = 0; s < 30; s++)
        {
            int i = random.Next(nu), j = random.Next(nv);
            CheckAt(i, trainer.U.Parameters, i);
            CheckAt(nu + j, trainer.V.Parameters, j);
        }
    }

    /// <summary>
    /// Training on [0, ½] × 𝕋¹ (width 16, depth 2, batch 128 + 2 × 32 boundary points, Adam 10⁻³, 4000 steps, seed 2):
    /// relative L2 errors of u and m against the exact u = ū + λ̄(T − t), m = m̄ on 11 time levels × 200 points, and the
    /// mass of m on each level (the FP equation conserves what the initial term sets; the grid sum is spectrally accurate
    /// for a periodic smooth m). Measured (2026-12-06, AVX-512): seeds 2, 3, 4 gave err u 1.35e-2, 1.66e-2, 1.18e-2,
    /// err m 5.6e-3, 6.3e-3, 3.1e-3 and largest |mass − 1| 7.0e-3, 7.2e-3, 3.7e-3 (8000 steps: 5.0e-3, 1.2e-3, 1.1e-3).
    /// The bounds 3e-2, 1.5e-2 and 2e-2 are about 2–3× the worst seed, for another SIMD width's rounding.
    /// </summary>
    [Fact]
    public void TrainsToTheStationarySolution()
    {
        var trainer = new FiniteHorizonDgmTrainer<StationaryTerminal1D>(0.5, 16, 2, 128, seed: 2);
        Assert.Equal(32, trainer.BoundaryBatch);
        for (int s = 0; s < 4000; s++)
        {
            trainer.Step();
        }

        (double errU, double errM, double massError) = Errors(trainer);
        string report = $"err u {errU:E2}, err m {errM:E2}, largest |mass − 1| {massError:E2}";
        Assert.True(errU < 3e-2 && errM < 1.5e-2 && massError < 2e-2, report);
    }

    /// <summary>Two threads (v's passes on the pool) give bit-identical losses and parameters to one (d = 2).</summary>
    [Fact]
    public void TwoThreadsAreBitIdenticalToOne()
    {
        var one = new FiniteHorizonDgmTrainer<TerminalCoupling2D>(1, 12, 2, 70, seed: 6, threads: 1);
        var two = new FiniteHorizonDgmTrainer<TerminalCoupling2D>(1, 12, 2, 70, seed: 6, threads: 2);
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(one.Step()), BitConverter.DoubleToInt64Bits(two.Step()));
        }

        Assert.True(one.U.Parameters.SequenceEqual(two.U.Parameters), "u's parameters differ");
        Assert.True(one.V.Parameters.SequenceEqual(two.V.Parameters), "v's parameters differ");
        Assert.Equal(2, two.Threads);
    }

    /// <summary>
    /// Save after 3 steps, load into a fresh trainer of the same settings, 3 more steps: the parameters equal a straight
    /// 6-step run's to the bit. An ergodic trainer's checkpoint, and one of another horizon, are refused by name.
    /// </summary>
    [Fact]
    public void ResumeContinuesBitIdenticallyAndOtherKindsAreRefused()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mf-fh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "fh.mfdg");
            var straight = new FiniteHorizonDgmTrainer<TerminalCoupling1D>(0.5, 8, 2, 30, seed: 4, decay: 0.99);
            var first = new FiniteHorizonDgmTrainer<TerminalCoupling1D>(0.5, 8, 2, 30, seed: 4, decay: 0.99);
            for (int s = 0; s < 6; s++)
            {
                straight.Step();
            }

            for (int s = 0; s < 3; s++)
            {
                first.Step();
            }

            first.SaveCheckpoint(path);
            var resumed = new FiniteHorizonDgmTrainer<TerminalCoupling1D>(0.5, 8, 2, 30, seed: 4, decay: 0.99);
            resumed.LoadCheckpoint(path);
            Assert.Equal(3, resumed.Steps);
            for (int s = 0; s < 3; s++)
            {
                resumed.Step();
            }

            Assert.True(straight.U.Parameters.SequenceEqual(resumed.U.Parameters), "u's parameters differ");
            Assert.True(straight.V.Parameters.SequenceEqual(resumed.V.Parameters), "v's parameters differ");

            var gated = new FiniteHorizonDgmTrainer<TerminalCoupling1D>(0.5, 8, 2, 30, seed: 4, decay: 0.99, architecture: DgmArchitecture.Gated);
            Assert.Contains("architecture (0 MLP, 1 gated) = 0, this trainer has 1", Assert.Throws<ArgumentException>(() => gated.LoadCheckpoint(path)).Message, StringComparison.Ordinal);
            string gatedPath = Path.Combine(dir, "gated.mfdg");
            gated.SaveCheckpoint(gatedPath); // longer than an MLP file: named before the length check
            Assert.Contains("architecture (0 MLP, 1 gated) = 1, this trainer has 0", Assert.Throws<ArgumentException>(() => resumed.LoadCheckpoint(gatedPath)).Message, StringComparison.Ordinal);
            var otherHorizon = new FiniteHorizonDgmTrainer<TerminalCoupling1D>(0.6, 8, 2, 30, seed: 4, decay: 0.99);
            ArgumentException e = Assert.Throws<ArgumentException>(() => otherHorizon.LoadCheckpoint(path));
            Assert.Contains("horizon T = 0.5", e.Message, StringComparison.Ordinal);

            string ergodicPath = Path.Combine(dir, "ergodic.mfdg");
            new ErgodicDgmTrainer<MeanField.Models.ExplicitErgodicGame>(8, 2, 30, seed: 4).SaveCheckpoint(ergodicPath);
            e = Assert.Throws<ArgumentException>(() => resumed.LoadCheckpoint(ergodicPath));
            Assert.Contains("saved by the ergodic trainer, this is the finite-horizon one", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => new ErgodicDgmTrainer<MeanField.Models.ExplicitErgodicGame>(8, 2, 30, seed: 4).LoadCheckpoint(path));
            Assert.Contains("saved by the finite-horizon trainer, this is the ergodic one", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// An m₀ that is not positive where the batch samples it stops the first step with an error naming the game, the
    /// method, the point and the value; the parameters are untouched (the check runs before the update).
    /// </summary>
    [Fact]
    public void NegativeInitialDensityIsReported()
    {
        var trainer = new FiniteHorizonDgmTrainer<NegativeInitialDensity1D>(1, 4, 1, 64, seed: 1);
        double[] before = trainer.U.Parameters.ToArray();
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => trainer.Step());
        Assert.Contains("NegativeInitialDensity1D.InitialDensity at x = (", e.Message, StringComparison.Ordinal);
        Assert.Contains("it must be positive and finite", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, trainer.Steps);
        Assert.True(before.AsSpan().SequenceEqual(trainer.U.Parameters));
    }

    /// <summary>
    /// Crowd trading (<see cref="CrowdTradingGame"/>, a mean control in H) on the inventory box [0, 5] at reduced size:
    /// width 32, depth 2, batch 512 (8 time slices) + 2 × 128, w₀ = 10, Adam 10⁻³, 10 000 steps (≈ 20 s), one thread.
    /// The largest errors of E(t) = ∫ q m and μ(t) over t = 0, 0.1, …, 1 against the Riccati reference (MathNet's RK4;
    /// specs/mfg.md §5.3). Measured (2026-12-06, AVX-512, seed 1, the same settings in <c>dgm-crowd</c>): 0.042 and 0.016
    /// at 10 000 steps (0.017 and 0.0099 at 20 000; specs/dgm.md §6.7). The bounds 0.1 are 2.4× and 6× those: the
    /// training is noisy from step to step (±50 % between rows of the command's table).
    /// </summary>
    [Fact]
    public void CrowdTradingApproachesTheRiccatiReference()
    {
        var reference = new CrowdTradingReference(CrowdTradingGame.Kappa, CrowdTradingGame.Alpha, CrowdTradingGame.Phi, CrowdTradingGame.TerminalPenalty, CrowdTradingGame.Horizon, CrowdTradingGame.InitialMean);
        (double[] time, double[] mean, double[] rate, _) = reference.Solve(100);
        const int steps = 10_000;
        var trainer = new FiniteHorizonDgmTrainer<CrowdTradingGame>(
            CrowdTradingGame.Horizon, 32, 2, 512, seed: 1, initialWeight: 10, length: CrowdTradingGame.Length, periodic: false);
        for (int s = 0; s < steps; s++)
        {
            trainer.Step();
        }

        (double errE, double errMu, _, _) = CrowdTradingReference.CompareDgm(trainer, time, mean, rate);
        Assert.True(errE < CrowdErrE && errMu < CrowdErrMu, $"max|E − E_ref| {errE:E2}, max|μ − μ_ref| {errMu:E2}");
    }

    private const double CrowdErrE = 0.1, CrowdErrMu = 0.1;

    /// <summary>
    /// The mean-control chain rule: with crowd trading (μ_k on each time slice a function of ∂ₓu and m at the slice's
    /// points), the gradient against central differences as <see cref="GradientMatchesCentralDifferences"/>, on the box
    /// of length 5 (∇ₓ = ∇_ξ/5 exercised). The loss is larger here (q² terms up to 9): the tolerance stays relative.
    /// </summary>
    [Fact]
    public void MeanControlGradientMatchesCentralDifferences()
        => CheckGradient(new FiniteHorizonDgmTrainer<CrowdTradingGame>(1, 8, 2, 128, seed: 3, boundaryBatch: 13, terminalWeight: 2, initialWeight: 3, length: CrowdTradingGame.Length, periodic: false));

    /// <summary>A mean-control game's interior batch is made of 64-point time slices: another batch is refused by name.</summary>
    [Fact]
    public void MeanControlBatchMustBeSlices()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new FiniteHorizonDgmTrainer<CrowdTradingGame>(1, 4, 1, 96, seed: 1));
        Assert.Equal("batch", e.ParamName);
        Assert.Contains("multiple of 64", e.Message, StringComparison.Ordinal);
    }

    private static (double U, double M, double Mass) Errors(FiniteHorizonDgmTrainer<StationaryTerminal1D> trainer)
    {
        const int nx = 200, nt = 11;
        double T = trainer.Horizon, lambda = -Math.Log(ExplicitErgodic.I0OfTwoC);
        var x = new double[nx * nt];
        var t = new double[nx * nt];
        for (int j = 0; j < nt; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                x[(j * nx) + i] = (i + 0.5) / nx;
                t[(j * nx) + i] = T * j / (nt - 1);
            }
        }

        double[] u = new double[nx * nt], m = new double[nx * nt];
        trainer.Solution(x, t, u, m);
        double du = 0, nu = 0, dm = 0, nm = 0;
        for (int p = 0; p < u.Length; p++)
        {
            double exactU = (-ExplicitErgodic.C * Math.Sin(2 * Math.PI * x[p])) + (lambda * (T - t[p]));
            double exactM = Math.Exp(2 * ExplicitErgodic.C * Math.Sin(2 * Math.PI * x[p])) / ExplicitErgodic.I0OfTwoC;
            du += Math.Pow(u[p] - exactU, 2);
            nu += exactU * exactU;
            dm += Math.Pow(m[p] - exactM, 2);
            nm += exactM * exactM;
        }

        double massError = 0;
        for (int j = 0; j < nt; j++)
        {
            massError = Math.Max(massError, Math.Abs(m.AsSpan(j * nx, nx).ToArray().Average() - 1));
        }

        return (Math.Sqrt(du / nu), Math.Sqrt(dm / nm), massError);
    }
}

