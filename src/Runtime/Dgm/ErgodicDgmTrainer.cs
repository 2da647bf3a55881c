namespace MeanField.Dgm;

/// <summary>
/// The Deep Galerkin trainer of an ergodic mean-field game on 𝕋^d (specs/dgm.md §5): u = u_θ and m = e^{v_φ}/Z, Z the
/// batch mean of e^{v_φ}, two periodic <see cref="LaplacianNetwork"/>s, λ a trained scalar, the loss
/// mean_p R_HJB² + mean_p (R_FP/m)² with the residuals and their Jacobian from the game's
/// <see cref="IGameResiduals{TSelf}.PointResiduals"/> (generated for declared games), minimised by Adam on fresh uniform
/// batches. Allocation-free per step once built.
/// </summary>
/// <remarks>
/// The residual inputs want diag ∇²u and diag ∇²m; the forward Laplacian gives Δu and Δm only, so Δ/d goes into every
/// diagonal slot. That is exact when the residuals weigh the d diagonal slots equally (∂²H/∂p_k² the same for every k, as
/// for H quadratic and isotropic in p); it is checked at every point, and a game that weighs them differently gets a
/// <see cref="NotSupportedException"/> (it needs the full Hessian diagonal, a later increment).
/// </remarks>
/// <para>Use: build it for a declared game (<c>[MeanFieldGame(Viscosity = ν, Dimension = d)]</c> with a Hamiltonian
/// quadratic and isotropic in p), call <see cref="Step"/> until <see cref="HjbLoss"/> and <see cref="FokkerPlanckLoss"/>
/// are small, read λ from <see cref="Lambda"/> and u, m from <see cref="Solution"/>; <see cref="SaveCheckpoint"/> and
/// <see cref="LoadCheckpoint"/> stop and resume a run bit-identically. Not thread-safe: one trainer per thread.</para>
/// <typeparam name="TGame">The game.</typeparam>
public sealed partial class ErgodicDgmTrainer<TGame>
    where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
{
    /// <summary>Relative tolerance of the equal-diagonal check: the generated code computes the d weights by the same formula, so they agree to a few ulps.</summary>
    private const double DiagonalTolerance = 1e-12;

    private readonly int _d;
    private readonly int _batch;
    private readonly ulong _key;
    private readonly double[] _points;
    private readonly double[] _u, _uGrad, _uLap, _v, _vGrad, _vLap;
    private readonly double[] _uBar, _uGradBar, _uLapBar, _vBar, _vGradBar, _vLapBar;
    private readonly double[] _m, _q;
    private readonly double[] _inputs, _residuals, _jacobian;
    private readonly double[] _gradient;
    private readonly double[] _lambdaParameter = new double[1];
    private readonly Adam _networkOptimiser;
    private readonly Adam _lambdaOptimiser;

    /// <summary>A trainer with Glorot-initialised networks from <paramref name="seed"/> and λ = 0.</summary>
    /// <param name="width">Units per hidden layer.</param>
    /// <param name="depth">Hidden layers.</param>
    /// <param name="batch">Points per step, ≥ 1.</param>
    /// <param name="seed">Seeds the networks and the batches.</param>
    /// <param name="learningRate">Adam's α for the networks (the peer: 10⁻³).</param>
    /// <param name="lambdaLearningRate">Adam's α for λ (the peer: 10⁻²).</param>
    /// <param name="decay">The learning rates' factor per step.</param>
    /// <param name="threads">1, or 2: v's network runs its forward and reverse passes on a pool thread while u's runs on
    /// the caller's (the two passes share nothing, so the results are bit-identical to one thread's).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range (the message names it and its value).</exception>
    /// <exception cref="NotSupportedException">The game has a mean control, or its point residuals are not those of a game.</exception>
    public ErgodicDgmTrainer(int width, int depth, int batch, ulong seed, double learningRate = 1e-3, double lambdaLearningRate = 1e-2, double decay = 1, int threads = 1)
    {
        RequireRange(width, 1, MaxWidth, nameof(width), "units per hidden layer");
        RequireRange(depth, 1, MaxDepth, nameof(depth), "hidden layers");
        RequireRange(batch, 1, MaxBatch, nameof(batch), "points per step");
        RequireRange(threads, 1, 2, nameof(threads), "threads (1, or 2: v's network on a pool thread)");
        RequirePositive(learningRate, nameof(learningRate));
        RequirePositive(lambdaLearningRate, nameof(lambdaLearningRate));
        if (!(decay > 0 && decay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, $"decay must be in (0, 1] (the learning rates' factor per step); got {decay.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (TGame.HasMeanControl)
        {
            // The point residuals are those of H at μ = 0 (specs/mfg.md §9); an ergodic game has no time for μ(t).
            throw new NotSupportedException($"{typeof(TGame).Name} has a mean control (its H reads the population's mean velocity μ(t)): the ergodic trainer cannot train it; its point residuals are those of H at μ = 0.");
        }

        int inputs = TGame.PointInputCount;
        if (inputs < 10 || (inputs - 5) % 5 != 0)
        {
            throw new NotSupportedException($"{typeof(TGame).Name}.PointInputCount = {inputs} is not 5d + 5 with d ≥ 1.");
        }

        _d = (inputs - 5) / 5;
        _batch = batch;
        U = new LaplacianNetwork(_d, width, depth, InputEmbedding.Periodic, hasTime: false, CounterRandom.SplitMix64(seed));
        V = new LaplacianNetwork(_d, width, depth, InputEmbedding.Periodic, hasTime: false, CounterRandom.SplitMix64(seed + 1));
        _key = CounterRandom.StreamKey(seed, 1000);
        _points = new double[batch * _d];
        _u = new double[batch];
        _uGrad = new double[batch * _d];
        _uLap = new double[batch];
        _v = new double[batch];
        _vGrad = new double[batch * _d];
        _vLap = new double[batch];
        _uBar = new double[batch];
        _uGradBar = new double[batch * _d];
        _uLapBar = new double[batch];
        _vBar = new double[batch];
        _vGradBar = new double[batch * _d];
        _vLapBar = new double[batch];
        _m = new double[batch];
        _q = new double[batch];
        _inputs = new double[inputs];
        _residuals = new double[2];
        _jacobian = new double[2 * inputs];
        _gradient = new double[U.ParameterCount + V.ParameterCount + 1];
        _networkOptimiser = new Adam(U.ParameterCount + V.ParameterCount, learningRate, decay);
        _lambdaOptimiser = new Adam(1, lambdaLearningRate, decay);
        _parameters = new double[U.ParameterCount + V.ParameterCount];
        _vJob = threads == 2 ? new VJob(this) : null;
    }

    /// <summary>The widest hidden layer accepted (4096 units).</summary>
    public const int MaxWidth = 4096;

    /// <summary>The most hidden layers accepted (64).</summary>
    public const int MaxDepth = 64;

    /// <summary>The largest batch accepted (2²⁰ points).</summary>
    public const int MaxBatch = 1 << 20;

    private static void RequireRange(int value, int min, int max, string name, string what)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} ({what}) must be between {min} and {max}; got {value}.");
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>v's passes on the pool (two threads), or null (one).</summary>
    private readonly VJob? _vJob;

    /// <summary>Threads used: 1, or 2 (v's network on a pool thread).</summary>
    public int Threads => _vJob is null ? 1 : 2;

    /// <summary>Bytes allocated inside v's passes run as pool work items, counted on the thread that ran them (for the allocation test).</summary>
    internal long WorkerAllocatedBytes => _vJob?.AllocatedBytes ?? 0;

    private readonly double[] _parameters;

    /// <summary>The network of u.</summary>
    internal LaplacianNetwork U { get; }

    /// <summary>The network of v = log m + log Z.</summary>
    internal LaplacianNetwork V { get; }

    /// <summary>The dimension d = (PointInputCount − 5)/5.</summary>
    public int Dimension => _d;

    /// <summary>The ergodic constant λ.</summary>
    public double Lambda
    {
        get => _lambdaParameter[0];
        internal set => _lambdaParameter[0] = value;
    }

    /// <summary>Steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>mean R_HJB² of the last evaluation.</summary>
    public double HjbLoss { get; private set; }

    /// <summary>mean (R_FP/m)² of the last evaluation.</summary>
    public double FokkerPlanckLoss { get; private set; }

    /// <summary>The gradient of the last evaluation: ∂L/∂θ (u's parameters), ∂L/∂φ (v's), then ∂L/∂λ.</summary>
    internal ReadOnlySpan<double> Gradient => _gradient;

    /// <summary>One step: a fresh uniform batch (counter-based on the seed and step), the loss and its gradient, Adam. Returns the loss before the update.</summary>
    public double Step()
    {
        ulong offset = (ulong)Steps * (ulong)_points.Length;
        for (int i = 0; i < _points.Length; i++)
        {
            _points[i] = CounterRandom.Uniform(_key, offset + (ulong)i) % 1.0; // (0, 1] folded onto [0, 1)
        }

        double loss = Evaluate(_points);
        int nu = U.ParameterCount, nv = V.ParameterCount;
        U.Parameters.CopyTo(_parameters);
        V.Parameters.CopyTo(_parameters.AsSpan(nu));
        _networkOptimiser.Step(_parameters, _gradient.AsSpan(0, nu + nv));
        _parameters.AsSpan(0, nu).CopyTo(U.Parameters);
        _parameters.AsSpan(nu, nv).CopyTo(V.Parameters);
        _lambdaOptimiser.Step(_lambdaParameter, _gradient.AsSpan(nu + nv, 1));
        Steps++;
        return loss;
    }

    /// <summary>
    /// The trained solution at <paramref name="points"/> (count × d, row-major, any finite coordinates: the networks are
    /// periodic): u into <paramref name="u"/> as the network gives it (u is defined up to a constant, which the loss does
    /// not see; subtract its mean for the ∫u = 0 convention), and m = e^v / mean(e^v) into <paramref name="m"/>, normalised
    /// so its mean over the given points is 1 — pass a uniform sample or grid of the torus (10⁴ points or more), and m is
    /// a density to within that quadrature.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match (points a positive multiple of d, u and m one value per
    /// point), or a coordinate is NaN or ±∞ (the message names the index).</exception>
    public void Solution(ReadOnlySpan<double> points, Span<double> u, Span<double> m)
    {
        int d = _d;
        if (points.Length == 0 || points.Length % d != 0)
        {
            throw new ArgumentException($"points has {points.Length} values, not a positive multiple of d = {d} (count × d, row-major).", nameof(points));
        }

        int count = points.Length / d;
        if (u.Length != count)
        {
            throw new ArgumentException($"u has length {u.Length}; expected one value per point, {count}.", nameof(u));
        }

        if (m.Length != count)
        {
            throw new ArgumentException($"m has length {m.Length}; expected one value per point, {count}.", nameof(m));
        }

        for (int i = 0; i < points.Length; i++)
        {
            if (!double.IsFinite(points[i]))
            {
                throw new ArgumentException($"points[{i}] (point {i / d}, coordinate {i % d}) is {points[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; coordinates must be finite.", nameof(points));
            }
        }

        // In chunks of the batch: the networks' buffers keep their training size, so the next Step allocates nothing.
        for (int start = 0; start < count; start += _batch)
        {
            int n = Math.Min(_batch, count - start);
            ReadOnlySpan<double> x = points.Slice(start * d, n * d);
            U.Forward(x, [], _u.AsSpan(0, n), _uGrad.AsSpan(0, n * d), _uLap.AsSpan(0, n), []);
            _u.AsSpan(0, n).CopyTo(u[start..]);
            V.Forward(x, [], _v.AsSpan(0, n), _vGrad.AsSpan(0, n * d), _vLap.AsSpan(0, n), []);
            _v.AsSpan(0, n).CopyTo(m[start..]);
        }

        double vMax = double.NegativeInfinity;
        foreach (double v in m)
        {
            vMax = Math.Max(vMax, v);
        }

        double z = 0;
        for (int p = 0; p < count; p++)
        {
            m[p] = Math.Exp(m[p] - vMax);
            z += m[p];
        }

        z /= count;
        for (int p = 0; p < count; p++)
        {
            m[p] /= z;
        }
    }

    /// <summary>
    /// The loss at the batch <paramref name="points"/> (batch × d, row-major) and its gradient into <see cref="Gradient"/>
    /// (specs/dgm.md §5.2: the chain rule from the residual Jacobian into the networks' per-point adjoints, Z included).
    /// </summary>
    internal double Evaluate(ReadOnlySpan<double> points)
    {
        int n = _batch, d = _d;
        if (points.Length != n * d)
        {
            throw new ArgumentException($"points has {points.Length} values; expected batch × d = {n * d}.", nameof(points));
        }

        points.CopyTo(_points); // v's pass on the pool reads the batch from here
        if (_vJob is null)
        {
            U.Forward(_points, [], _u, _uGrad, _uLap, []);
            ForwardV();
        }
        else
        {
            _vJob.Start(backward: false);
            U.Forward(_points, [], _u, _uGrad, _uLap, []);
            _vJob.Finish();
        }

        // m = e^v / Z, Z = mean e^v, computed with e^{v − max v} (the same m; no overflow).
        double vMax = double.NegativeInfinity;
        foreach (double v in _v)
        {
            vMax = Math.Max(vMax, v);
        }

        double z = 0;
        for (int p = 0; p < n; p++)
        {
            z += _m[p] = Math.Exp(_v[p] - vMax);
        }

        z /= n;
        int ix = 0, iu = d, iGradU = d + 1, iDiagU = (2 * d) + 1, im = (3 * d) + 1, iGradM = (3 * d) + 2, iDiagM = (4 * d) + 2, iLambda = (5 * d) + 4;
        int width = TGame.PointInputCount;
        double hjb = 0, fp = 0, lambdaBar = 0, qMean = 0;
        for (int p = 0; p < n; p++)
        {
            double m = _m[p] /= z;
            double gradVSquared = 0;
            for (int k = 0; k < d; k++)
            {
                double gv = _vGrad[(k * n) + p];
                gradVSquared += gv * gv;
            }

            double lapM = m * (_vLap[p] + gradVSquared);
            for (int k = 0; k < d; k++)
            {
                _inputs[ix + k] = points[(p * d) + k];
                _inputs[iGradU + k] = _uGrad[(k * n) + p];
                _inputs[iDiagU + k] = _uLap[p] / d;
                _inputs[iGradM + k] = m * _vGrad[(k * n) + p];
                _inputs[iDiagM + k] = lapM / d;
            }

            _inputs[iu] = _u[p];
            _inputs[im] = m;
            _inputs[iLambda - 2] = 0; // ∂u/∂t
            _inputs[iLambda - 1] = 0; // ∂m/∂t
            _inputs[iLambda] = Lambda;
            TGame.PointResiduals(_inputs, _residuals, _jacobian);
            CheckEqualDiagonal(_jacobian, iDiagU, d, "∂²u/∂x_k²");
            CheckEqualDiagonal(_jacobian, iDiagM, d, "∂²m/∂x_k²");
            double rh = _residuals[0], rf = _residuals[1], rfm = rf / m;
            hjb += rh * rh;
            fp += rfm * rfm;

            // ∂L/∂R_HJB and ∂L/∂R_FP per point (L = mean R_HJB² + mean (R_FP/m)²), then ḡ_j = Σ_rows a_row J[row, j].
            double aH = 2 * rh / n, aF = 2 * rfm / (m * n);
            double G(int j) => (aH * _jacobian[j]) + (aF * _jacobian[width + j]);
            _uBar[p] = G(iu);
            double lapUBar = 0, lapMBar = 0;
            for (int k = 0; k < d; k++)
            {
                _uGradBar[(k * n) + p] = G(iGradU + k);
                lapUBar += G(iDiagU + k);
                lapMBar += G(iDiagM + k);
            }

            _uLapBar[p] = lapUBar / d;
            lapMBar /= d;
            double mBar = G(im) - (2 * rfm * rfm / (m * n)); // the explicit 1/m of (R_FP/m)²
            lambdaBar += G(iLambda);

            // Through m = e^v/Z at fixed Z: ∂(m, ∇m, Δm)/∂v = (m, ∇m, Δm); ∇m = m∇v; Δm = m(Δv + |∇v|²).
            double q = (mBar * m) + (lapMBar * lapM);
            for (int k = 0; k < d; k++)
            {
                double gradMBar = G(iGradM + k), gv = _vGrad[(k * n) + p];
                q += gradMBar * m * gv;
                _vGradBar[(k * n) + p] = m * (gradMBar + (2 * lapMBar * gv));
            }

            _vLapBar[p] = m * lapMBar;
            _q[p] = q;
            qMean += q;
        }

        // Z = mean e^v scales every m by 1/Z: ∂L/∂Z = −Σ_q Q_q / Z and ∂Z/∂v_p = m_p Z / n, so v̄_p = Q_p − m_p mean Q.
        qMean /= n;
        for (int p = 0; p < n; p++)
        {
            _vBar[p] = _q[p] - (_m[p] * qMean);
        }

        int nu = U.ParameterCount;
        if (_vJob is null)
        {
            U.Backward(_uBar, _uGradBar, _uLapBar, [], _gradient.AsSpan(0, nu));
            BackwardV();
        }
        else
        {
            _vJob.Start(backward: true);
            U.Backward(_uBar, _uGradBar, _uLapBar, [], _gradient.AsSpan(0, nu));
            _vJob.Finish();
        }
        _gradient[^1] = lambdaBar;
        HjbLoss = hjb / n;
        FokkerPlanckLoss = fp / n;
        return HjbLoss + FokkerPlanckLoss;
    }

    private void ForwardV() => V.Forward(_points, [], _v, _vGrad, _vLap, []);

    private void BackwardV() => V.Backward(_vBar, _vGradBar, _vLapBar, [], _gradient.AsSpan(U.ParameterCount, V.ParameterCount));

    /// <summary>
    /// v's forward or reverse pass as a reused pool work item (no allocation per step): queued by <see cref="Start"/>;
    /// <see cref="Finish"/> runs it on the caller's thread if the pool has not claimed it yet (a busy pool cannot stall
    /// the step), waits, and rethrows its exception.
    /// </summary>
    private sealed class VJob(ErgodicDgmTrainer<TGame> owner) : IThreadPoolWorkItem
    {
        // Never disposed, as NestedDissectionLu's: its wait handle, if ever created, lives as long as the trainer.
        private ManualResetEventSlim Done { get; } = MeanField.Threading.DoneEvent.Create();
        private int _claimed = 1;
        private bool _backward;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

        public long AllocatedBytes { get; private set; }

        public void Start(bool backward)
        {
            _backward = backward;
            _failure = null;
            Done.Reset();
            Volatile.Write(ref _claimed, 0);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Finish()
        {
            Execute();
            Done.Wait();
            _failure?.Throw();
        }

        public void Execute()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                if (_backward)
                {
                    owner.BackwardV();
                }
                else
                {
                    owner.ForwardV();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
                Done.Set();
            }
        }
    }

    private static void CheckEqualDiagonal(double[] jacobian, int first, int d, string what)
    {
        int width = jacobian.Length / 2;
        for (int row = 0; row < 2; row++)
        {
            double reference = jacobian[(row * width) + first];
            for (int k = 1; k < d; k++)
            {
                double other = jacobian[(row * width) + first + k];
                if (Math.Abs(other - reference) > DiagonalTolerance * Math.Max(1, Math.Max(Math.Abs(other), Math.Abs(reference))))
                {
                    throw new NotSupportedException(
                        $"{typeof(TGame).Name}: the {(row == 0 ? "HJB" : "Fokker–Planck")} residual weighs {what} differently for k = 0 ({reference:R}) and k = {k} ({other:R}); "
                        + "the forward Laplacian gives only the trace, so this game needs the full Hessian diagonal (specs/dgm.md §5.1).");
                }
            }
        }
    }
}
