using System.Globalization;

namespace MeanField.Dgm;

/// <summary>
/// The Deep Galerkin trainer of a finite-horizon mean-field game on [0, T] × 𝕋^d (specs/dgm.md §5.6): u = u_θ(x, τ) and
/// m = e^{v_φ(x, τ)}, two networks (the tanh MLP or the gated layer, <see cref="DgmArchitecture"/>) with the time input τ = t/T (their forward pass carries
/// ∂/∂τ), trained on the loss
/// mean_interior (R_HJB² + (R_FP/m)²) + w_T mean_terminal (u(T, x) − g(x, m(T, x)))² + w_0 mean_initial (m(0, x) − m₀(x))²
/// with the residuals and their Jacobian from the game's generated <see cref="IGameResiduals{TSelf}.PointResiduals"/>
/// (λ = 0), g and m₀ from the game's <see cref="IGameModel{TSelf}.TerminalCost"/> and
/// <see cref="IGameModel{TSelf}.InitialDensity"/>, minimised by Adam on fresh uniform batches. m is not normalised: the
/// Fokker–Planck equation conserves the mass that the initial term gives it. Allocation-free per step once built.
/// </summary>
/// <remarks>
/// As the ergodic trainer, it trains any declared game: where ∂²H/∂p_k² differs between coordinates, u's network also
/// carries the weighted Laplacians the residuals need (specs/dgm.md §5.1). The domain is the torus [0, L)^d (periodic embedding) or, with
/// <c>periodic: false</c>, the box [0, L]^d with no boundary condition (for solutions that live inside it, as the crowd's
/// inventories). A 1-D game with a mean control μ(t) = −∫ ∂ₚH m dx (crowd trading) is trained with μ estimated on each
/// of the batch's time slices by the midpoint rule and differentiated through (specs/dgm.md §5.7). Not thread-safe: one
/// trainer per thread.
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class FiniteHorizonDgmTrainer<TGame>
    where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
{
    private readonly DgmCore _core;
    private readonly DgmCore.PointWork _work;
    private readonly int _interior;
    private readonly int _boundary;
    private readonly double[] _x;
    private readonly bool _meanControl;
    private readonly int _slices;
    private readonly double[] _mu, _muBar, _hp, _hpp, _hpm;
    private readonly double[] _pm = new double[1], _hGradient = new double[3], _hHessian = new double[9];

    /// <summary>Points per time slice of a mean-control game's interior batch (the midpoint rule for μ).</summary>
    public const int SlicePoints = 64;

    /// <summary>A trainer with Glorot-initialised networks from <paramref name="seed"/>.</summary>
    /// <param name="horizon">T &gt; 0, finite.</param>
    /// <param name="width">Units per hidden layer (1 … 4096).</param>
    /// <param name="depth">Hidden layers (1 … 64).</param>
    /// <param name="batch">Interior points per step (1 … 2²⁰), uniform in [0, T] × 𝕋^d; for a game with a mean control a
    /// multiple of <see cref="SlicePoints"/>: batch/64 time slices of 64 equispaced points (randomly shifted) each.</param>
    /// <param name="seed">Seeds the networks and the batches.</param>
    /// <param name="boundaryBatch">Points per step on each of t = T and t = 0 (1 … 2²⁰); 0 (the default) takes ⌈batch/4⌉.</param>
    /// <param name="terminalWeight">w_T &gt; 0, the weight of the terminal condition's mean square.</param>
    /// <param name="initialWeight">w_0 &gt; 0, the weight of the initial condition's mean square (in log m).</param>
    /// <param name="learningRate">Adam's α.</param>
    /// <param name="decay">The learning rate's factor per step, in (0, 1].</param>
    /// <param name="threads">1, or 2 (v's network on a pool thread; bit-identical to one).</param>
    /// <param name="length">L &gt; 0, the domain's side: x ∈ [0, L)^d (the games' positions).</param>
    /// <param name="periodic">True: the torus (periodic embedding); false: the box [0, L]^d, no boundary condition.</param>
    /// <param name="architecture">The networks: the tanh MLP (default) or the DGM gated layer.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range (the message names it and its value).</exception>
    /// <exception cref="ArgumentException">A mean-control game's batch is not a multiple of <see cref="SlicePoints"/>.</exception>
    /// <exception cref="NotSupportedException">The game has a mean control in more than one dimension, or its point residuals are not those of a game.</exception>
    public FiniteHorizonDgmTrainer(
        double horizon, int width, int depth, int batch, ulong seed, int boundaryBatch = 0, double terminalWeight = 1, double initialWeight = 1, double learningRate = 1e-3, double decay = 1, int threads = 1,
        double length = 1, bool periodic = true, DgmArchitecture architecture = DgmArchitecture.Mlp)
    {
        DgmCore.RequirePositive(horizon, nameof(horizon));
        DgmCore.RequireRange(width, 1, ErgodicDgmTrainer<TGame>.MaxWidth, nameof(width), "units per hidden layer");
        DgmCore.RequireRange(depth, 1, ErgodicDgmTrainer<TGame>.MaxDepth, nameof(depth), "hidden layers");
        DgmCore.RequireRange(batch, 1, ErgodicDgmTrainer<TGame>.MaxBatch, nameof(batch), "interior points per step");
        DgmCore.RequireRange(boundaryBatch, 0, ErgodicDgmTrainer<TGame>.MaxBatch, nameof(boundaryBatch), "points per step on each of t = 0 and t = T; 0 takes ⌈batch/4⌉");
        DgmCore.RequirePositive(terminalWeight, nameof(terminalWeight));
        DgmCore.RequirePositive(initialWeight, nameof(initialWeight));
        DgmCore.RequirePositive(learningRate, nameof(learningRate));
        DgmCore.RequireDecay(decay);
        DgmCore.RequireRange(threads, 1, 2, nameof(threads), "threads (1, or 2: v's network on a pool thread)");
        DgmCore.RequirePositive(length, nameof(length));
        DgmCore.RequireArchitecture(architecture);
        int d = DgmCore.GameDimension<TGame>("finite-horizon trainer", meanControlSupported: true);
        _meanControl = TGame.HasMeanControl;
        if (_meanControl && batch % SlicePoints != 0)
        {
            throw new ArgumentException($"batch is {batch}; {typeof(TGame).Name} has a mean control, so the interior batch is made of time slices of {SlicePoints} points: give a multiple of {SlicePoints}.", nameof(batch));
        }

        _slices = _meanControl ? batch / SlicePoints : 0;
        _mu = new double[_slices];
        _muBar = new double[_slices];
        _hp = new double[_meanControl ? batch : 0];
        _hpp = new double[_hp.Length];
        _hpm = new double[_hp.Length];
        Periodic = periodic;
        Horizon = horizon;
        TerminalWeight = terminalWeight;
        InitialWeight = initialWeight;
        _interior = batch;
        _boundary = boundaryBatch == 0 ? (batch + 3) / 4 : boundaryBatch;
        double[] directions = DgmCore.LaplacianDirections<TGame>(d, length, hasTime: true);
        _core = new DgmCore(d, width, depth, hasTime: true, periodic ? InputEmbedding.Periodic : InputEmbedding.Plain, length, architecture, batch + (2 * _boundary), seed, learningRate, lambdaLearningRate: 1, decay, threads, directions);
        _work = new DgmCore.PointWork(TGame.PointInputCount);
        _x = new double[d];
    }

    /// <summary>The horizon T.</summary>
    public double Horizon { get; }

    /// <summary>w_T.</summary>
    public double TerminalWeight { get; }

    /// <summary>w_0.</summary>
    public double InitialWeight { get; }

    /// <summary>d.</summary>
    public int Dimension => _core.Dimension;

    /// <summary>L, the domain's side.</summary>
    public double Length => _core.Length;

    /// <summary>Whether the domain is the torus (else the box, no boundary condition).</summary>
    public bool Periodic { get; }

    /// <summary>Points per step on each of t = 0 and t = T.</summary>
    public int BoundaryBatch => _boundary;

    /// <summary>The networks' architecture.</summary>
    public DgmArchitecture Architecture => _core.Architecture;

    /// <summary>Threads used: 1, or 2.</summary>
    public int Threads => _core.Threads;

    /// <summary>Steps taken.</summary>
    public int Steps => _core.Steps;

    /// <summary>mean R_HJB² over the interior points of the last evaluation.</summary>
    public double HjbLoss { get; private set; }

    /// <summary>mean (R_FP/m)² over the interior points of the last evaluation.</summary>
    public double FokkerPlanckLoss { get; private set; }

    /// <summary>mean (u(T, x) − g(x, m(T, x)))² of the last evaluation (unweighted).</summary>
    public double TerminalLoss { get; private set; }

    /// <summary>mean (m(0, x) − m₀(x))² of the last evaluation (unweighted).</summary>
    public double InitialLoss { get; private set; }

    /// <summary>The network of u.</summary>
    internal ILaplacianNetwork U => _core.U;

    /// <summary>The network of v = ln m.</summary>
    internal ILaplacianNetwork V => _core.V;

    /// <summary>The gradient of the last evaluation: ∂L/∂θ (u's parameters), ∂L/∂φ (v's), then 0 (no λ).</summary>
    internal ReadOnlySpan<double> Gradient => _core.Gradient;

    /// <summary>Bytes allocated inside v's passes run as pool work items (for the allocation test).</summary>
    internal long WorkerAllocatedBytes => _core.WorkerAllocatedBytes;

    /// <summary>One step: a fresh batch (counter-based on the seed and step), the loss and its gradient, Adam. Returns the loss before the update.</summary>
    /// <exception cref="InvalidOperationException">The game's m₀ or g is not positive/finite at a sampled point (the message names the point).</exception>
    public double Step()
    {
        Sample();
        double loss = Evaluate();
        _core.Update();
        return loss;
    }

    /// <summary>
    /// u(t, x) and m(t, x) = e^{v(x/L, t/T)} at <paramref name="points"/> (count × d, row-major, any finite coordinates: the
    /// torus is periodic; the box is trained on [0, L]^d only) and <paramref name="times"/> (count values in [0, T]).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match, a coordinate is not finite or a time is outside [0, T] (the message names the index).</exception>
    public void Solution(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> u, Span<double> m)
    {
        (double[] xi, double[] tau) = NetworkCoordinates(points, times);
        DgmCore.RequireOnePerPoint(u.Length, tau.Length, nameof(u));
        DgmCore.RequireOnePerPoint(m.Length, tau.Length, nameof(m));

        _core.Evaluate(xi, tau, u, m);
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = Math.Exp(m[i]);
        }
    }

    /// <summary>
    /// The mean control μ(t) = −∫ ∂ₚH(x, ∂ₓu, m) m dx of the trained solution (a 1-D game with a mean control), by the
    /// midpoint rule on <paramref name="points"/> equispaced points of [0, L).
    /// </summary>
    /// <param name="time">t in [0, T].</param>
    /// <param name="points">Quadrature points, 8 … 2²⁰ (default 1024).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is outside [0, T] or <paramref name="points"/> outside its range.</exception>
    /// <exception cref="InvalidOperationException">The game has no mean control.</exception>
    public double MeanControl(double time, int points = 1024)
    {
        if (!(time >= 0 && time <= Horizon))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"time must be in [0, T = {Horizon.ToString(CultureInfo.InvariantCulture)}]; got {time.ToString(CultureInfo.InvariantCulture)}.");
        }

        DgmCore.RequireRange(points, 8, ErgodicDgmTrainer<TGame>.MaxBatch, nameof(points), "quadrature points");
        if (!_meanControl)
        {
            throw new InvalidOperationException($"{typeof(TGame).Name} has no mean control (its H does not read μ).");
        }

        var xi = new double[points];
        var tau = new double[points];
        for (int j = 0; j < points; j++)
        {
            xi[j] = (j + 0.5) / points;
            tau[j] = time / Horizon;
        }

        double[] u = new double[points], v = new double[points], gradient = new double[points];
        _core.Evaluate(xi, tau, u, v, gradient);
        double sum = 0;
        for (int j = 0; j < points; j++)
        {
            _x[0] = Length * xi[j];
            double m = Math.Exp(v[j]);
            sum += HamiltonianSlope(gradient[j] / Length, m) * m;
        }

        return -Length * sum / points;
    }

    /// <summary>Writes the whole training state to <paramref name="path"/> (the ergodic trainer's checkpoint format, kind 1, with T; specs/dgm.md §5.3).</summary>
    /// <param name="path">The file.</param>
    public void SaveCheckpoint(string path) => _core.SaveCheckpoint(path, DgmCore.TrainerKind.FiniteHorizon, Horizon);

    /// <summary>Restores the training state saved by <see cref="SaveCheckpoint"/> into this trainer, built with the same settings.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">The path is blank, or the checkpoint is of another configuration (the message says what differs).</exception>
    /// <exception cref="InvalidDataException">The file is not an intact DGM checkpoint (magic, version, length, checksum).</exception>
    public void LoadCheckpoint(string path) => _core.LoadCheckpoint(path, DgmCore.TrainerKind.FiniteHorizon, Horizon, $"{typeof(TGame).Name} finite-horizon trainer");

    /// <summary>
    /// The batch of step <see cref="Steps"/> (counter-based on the seed, step and index): x uniform on the domain and τ
    /// uniform on (0, 1] for the interior points — for a mean-control game, batch/64 slices of one τ each with 64
    /// equispaced x shifted by one uniform offset —, then τ = 1 for the terminal points and τ = 0 for the initial ones.
    /// </summary>
    internal void Sample()
    {
        double[] points = _core.Points, times = _core.Times;
        int n = points.Length;
        ulong offset = (ulong)_core.Steps * (ulong)(n + _interior);
        for (int i = 0; i < n; i++)
        {
            points[i] = CounterRandom.Uniform(_core.Key, offset + (ulong)i) % 1.0; // (0, 1] folded onto [0, 1)
        }

        for (int p = 0; p < times.Length; p++)
        {
            times[p] = p < _interior ? CounterRandom.Uniform(_core.Key, offset + (ulong)(n + p)) : p < _interior + _boundary ? 1 : 0;
        }

        for (int k = 0; k < _slices; k++)
        {
            // The slice's first point's draws give its time and shift (d = 1: one coordinate per point).
            int first = k * SlicePoints;
            double shift = points[first], tau = times[first];
            for (int j = 0; j < SlicePoints; j++)
            {
                points[first + j] = (j + shift) / SlicePoints;
                times[first + j] = tau;
            }
        }
    }

    /// <summary>The loss at the sampled batch and its gradient into <see cref="Gradient"/> (specs/dgm.md §5.6, §5.7).</summary>
    internal double Evaluate()
    {
        _core.Forward();
        int n = _interior, nb = _boundary, d = Dimension;
        double scale = 1 / Horizon, hjb = 0, fp = 0, terminal = 0, initial = 0;
        double[] points = _core.Points, uValue = _core.UValue, vValue = _core.VValue;
        if (_meanControl)
        {
            EstimateMeanControl();
        }

        for (int p = 0; p < n; p++)
        {
            double shift = 0;
            if (_meanControl)
            {
                _x[0] = Length * points[p];
                shift = _mu[p / SlicePoints] * TGame.MeanControlCoupling(_x);
            }

            double q = _core.ChainPoint<TGame>(p, Math.Exp(vValue[p]), scale, n, _work, out double rh, out double rfm, out _, shift);
            hjb += rh * rh;
            fp += rfm * rfm;
            _core.VValueBar[p] = q;
            if (_meanControl)
            {
                _muBar[p / SlicePoints] += 2 * rh / n * TGame.MeanControlCoupling(_x);
            }
        }

        if (_meanControl)
        {
            ChainMeanControl();
        }

        for (int p = n; p < n + (2 * nb); p++)
        {
            for (int k = 0; k < d; k++)
            {
                _x[k] = Length * points[(p * d) + k];
            }

            _core.ClearDerivativeAdjoints(p);
            if (p < n + nb)
            {
                // u(T, x) − g(x, m(T, x)), m = e^v: ∂/∂u = 1, ∂/∂v = −∂g/∂m · m.
                double m = Math.Exp(vValue[p]), g = TGame.TerminalCost(_x, m);
                if (!double.IsFinite(g))
                {
                    throw BadData("TerminalCost", p, $"g(x, m = {m.ToString("R", CultureInfo.InvariantCulture)}) = {g.ToString(CultureInfo.InvariantCulture)}; it must be finite");
                }

                double r = uValue[p] - g, a = 2 * TerminalWeight * r / nb;
                terminal += r * r;
                _core.UValueBar[p] = a;
                _core.VValueBar[p] = -a * TGame.TerminalCostDerivative(_x, m) * m;
            }
            else
            {
                double m0 = TGame.InitialDensity(_x);
                if (!(m0 > 0 && double.IsFinite(m0)))
                {
                    throw BadData("InitialDensity", p, $"m₀(x) = {m0.ToString(CultureInfo.InvariantCulture)}; it must be positive and finite");
                }

                double m = Math.Exp(vValue[p]), r = m - m0;
                initial += r * r;
                _core.UValueBar[p] = 0;
                _core.VValueBar[p] = 2 * InitialWeight * r * m / nb;
            }
        }

        _core.Backward();
        _core.Gradient[^1] = 0;
        HjbLoss = hjb / n;
        FokkerPlanckLoss = fp / n;
        TerminalLoss = terminal / nb;
        InitialLoss = initial / nb;
        return HjbLoss + FokkerPlanckLoss + (TerminalWeight * TerminalLoss) + (InitialWeight * InitialLoss);
    }

    /// <summary>
    /// μ_k = −(L/J) Σ_j ∂ₚH(x_j, ∂ₓu_j, m_j) m_j on each slice k (J = 64 points, the midpoint rule with the slice's
    /// shift), keeping ∂ₚH, ∂²ₚH and ∂ₚ∂ₘH per point for the chain rule (from the game's numerical Hamiltonian at
    /// p⁻ = p⁺ = p, where Ĥ = H: ∂ₚH = ∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺).
    /// </summary>
    private void EstimateMeanControl()
    {
        double[] points = _core.Points, gradient = _core.UGradient, v = _core.VValue;
        for (int k = 0; k < _slices; k++)
        {
            double sum = 0;
            for (int j = k * SlicePoints; j < (k + 1) * SlicePoints; j++)
            {
                _x[0] = Length * points[j];
                double m = Math.Exp(v[j]);
                _hp[j] = HamiltonianSlope(gradient[j] / Length, m);
                _hpp[j] = _hHessian[0] + _hHessian[1] + _hHessian[3] + _hHessian[4];
                _hpm[j] = _hHessian[2] + _hHessian[5];
                sum += _hp[j] * m;
            }

            _mu[k] = -Length * sum / SlicePoints;
            _muBar[k] = 0;
        }
    }

    /// <summary>
    /// ∂L/∂μ_k = Σ_{p ∈ slice k} (2R_HJB/n) c(x_p) into the slice's points: ∂μ_k/∂(∂ₓu_j) = −(L/J) ∂²ₚH m_j and
    /// ∂μ_k/∂m_j = −(L/J)(∂ₚ∂ₘH m_j + ∂ₚH), then through ∂ₓu = ∂_ξu/L and m = e^v.
    /// </summary>
    private void ChainMeanControl()
    {
        double[] v = _core.VValue;
        for (int k = 0; k < _slices; k++)
        {
            double a = -_muBar[k] * Length / SlicePoints;
            for (int j = k * SlicePoints; j < (k + 1) * SlicePoints; j++)
            {
                double m = Math.Exp(v[j]);
                _core.UGradientBar[j] += a * _hpp[j] * m / Length;
                _core.VValueBar[j] += a * ((_hpm[j] * m) + _hp[j]) * m;
            }
        }
    }

    /// <summary>∂ₚH(x, p, m) at <c>_x</c> from the numerical Hamiltonian at p⁻ = p⁺ = p; its Hessian stays in <c>_hHessian</c>.</summary>
    private double HamiltonianSlope(double p, double m)
    {
        _pm[0] = p;
        TGame.NumericalHamiltonian(_x, _pm, _pm, m, _hGradient, _hHessian);
        return _hGradient[0] + _hGradient[1];
    }

    /// <summary>Checks the read-out's arguments and maps them to network coordinates ξ = x/L, τ = t/T.</summary>
    private (double[] Xi, double[] Tau) NetworkCoordinates(ReadOnlySpan<double> points, ReadOnlySpan<double> times)
    {
        int d = Dimension, count = DgmCore.ReadOutCount(points, d);
        DgmCore.RequireOnePerPoint(times.Length, count, nameof(times));
        var tau = new double[count];
        var xi = new double[points.Length];
        for (int i = 0; i < count; i++)
        {
            if (!(times[i] >= 0 && times[i] <= Horizon))
            {
                throw new ArgumentException($"times[{i}] is {times[i].ToString(CultureInfo.InvariantCulture)}; times must be in [0, T = {Horizon.ToString(CultureInfo.InvariantCulture)}].", nameof(times));
            }

            tau[i] = times[i] / Horizon;
        }

        for (int i = 0; i < points.Length; i++)
        {
            xi[i] = points[i] / Length;
        }

        return (xi, tau);
    }

    private InvalidOperationException BadData(string what, int p, string rule)
        => new($"{typeof(TGame).Name}.{what} at x = ({string.Join(", ", _x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}) (batch point {p}): {rule}.");
}
