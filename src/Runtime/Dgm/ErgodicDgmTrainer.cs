namespace MeanField.Dgm;

/// <summary>
/// The Deep Galerkin trainer of an ergodic mean-field game on 𝕋^d (specs/dgm.md §5): u = u_θ and m = e^{v_φ}/Z, Z the
/// batch mean of e^{v_φ} (or its running average over batches, §5.10), two periodic networks (the tanh MLP or the gated layer, <see cref="DgmArchitecture"/>), λ a trained scalar, the loss
/// mean_p R_HJB² + mean_p (R_FP/m)² with the residuals and their Jacobian from the game's
/// <see cref="IGameResiduals{TSelf}.PointResiduals"/> (generated for declared games), minimised by Adam on fresh uniform
/// batches. Allocation-free per step once built.
/// </summary>
/// <remarks>
/// <para>The residual inputs want diag ∇²u and diag ∇²m; the forward Laplacian gives Δu and Δm, and Δ/d goes into every
/// diagonal slot where the residuals weigh the d slots equally (∂²H/∂p_k² the same for every k). Where they do not, the
/// trainer finds from the game, when it is built, the few weighted Laplacians Σ_k C_rk ∂²u/∂x_k² that give the weighted
/// sum exactly (at most d − 1: the whole diagonal), and u's network carries them (specs/dgm.md §5.1; either
/// architecture). Every point is checked; a point outside what was found stops the step with a
/// <see cref="NotSupportedException"/>, nothing changed.</para>
/// <para>Use: build it for a declared game (<c>[MeanFieldGame(Viscosity = ν, Dimension = d)]</c>), call <see cref="Step"/>
/// until <see cref="HjbLoss"/> and <see cref="FokkerPlanckLoss"/> are small, read λ from <see cref="Lambda"/> and u, m from
/// <see cref="Solution"/>; <see cref="SaveCheckpoint"/> and <see cref="LoadCheckpoint"/> stop and resume a run
/// bit-identically. Not thread-safe: one trainer per thread.</para>
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class ErgodicDgmTrainer<TGame>
    where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
{
    private readonly DgmCore _core;
    private readonly DgmCore.PointWork _work;
    private readonly double[] _m, _q;
    private readonly int _uniformCount, _chains;
    private readonly double _proposalStep;

    /// <summary>ln Z̄ of the last <see cref="Evaluate"/>, which <see cref="Step"/> commits to the state.</summary>
    private double _pendingLogZ;

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
    /// <param name="architecture">The networks: the tanh MLP (default) or the DGM gated layer.</param>
    /// <param name="densityFraction">The fraction of each batch drawn near the current density m instead of uniformly, in
    /// [0, 1) (default 0, uniform batches): that many persistent Metropolis chains on m ∝ e^v each propose a point per
    /// step (a Gaussian step of <paramref name="proposalStep"/> on the torus), which joins the batch and is accepted or
    /// not from v there (specs/dgm.md §5.9). Where m is concentrated (d = 10: ∫m² ≈ 34) a uniform batch puts few points
    /// where m's error lives; half the batch from m took err m at 2500 steps from 0.32 to 0.031 there (§6.4). At least one
    /// point of the batch stays uniform (Z is their mean of e^v).</param>
    /// <param name="proposalStep">The chains' step per coordinate, a fraction of the torus side, in (0, 0.5] (default
    /// 0.05).</param>
    /// <param name="normalisationAverage">The weight β of each batch in a running average of Z, in (0, 1] (default 1:
    /// Z is the batch's own mean of e^v, as the peer). Below 1, Z̄ ← (1 − β) Z̄ + β Z_batch (in the linear domain, over
    /// ≈ 1/β steps) and m = e^v/Z̄. The batch's ln Z is biased low by about half its relative variance, (∫m² − 1)/(2n_u)
    /// for n_u uniform points, and −ln m enters the HJB residual of a log coupling, so the trained λ carries that bias:
    /// 0.031 in d = 10 with 500 uniform points (1.3 % of λ*; specs/dgm.md §6.4). Averaging scales that variance, and so the
    /// bias, by ≈ β/(2 − β). The
    /// average's state travels in checkpoints. For log couplings only: where H reads m itself (an m² coupling) the lag
    /// feeds back and λ drifts (specs/dgm.md §5.10), so keep 1 there.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range (the message names it and its value).</exception>
    /// <exception cref="NotSupportedException">The game has a mean control, or its point residuals are not those of a game.</exception>
    public ErgodicDgmTrainer(
        int width, int depth, int batch, ulong seed, double learningRate = 1e-3, double lambdaLearningRate = 1e-2, double decay = 1, int threads = 1,
        DgmArchitecture architecture = DgmArchitecture.Mlp, double densityFraction = 0, double proposalStep = 0.05, double normalisationAverage = 1)
    {
        DgmCore.RequireRange(width, 1, MaxWidth, nameof(width), "units per hidden layer");
        DgmCore.RequireRange(depth, 1, MaxDepth, nameof(depth), "hidden layers");
        DgmCore.RequireRange(batch, 1, MaxBatch, nameof(batch), "points per step");
        DgmCore.RequireRange(threads, 1, 2, nameof(threads), "threads (1, or 2: v's network on a pool thread)");
        DgmCore.RequirePositive(learningRate, nameof(learningRate));
        DgmCore.RequirePositive(lambdaLearningRate, nameof(lambdaLearningRate));
        DgmCore.RequireDecay(decay);
        DgmCore.RequireArchitecture(architecture);
        if (!(densityFraction >= 0 && densityFraction < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(densityFraction), densityFraction, $"densityFraction (the fraction of each batch drawn near m) must be in [0, 1); got {densityFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (!(proposalStep > 0 && proposalStep <= 0.5))
        {
            throw new ArgumentOutOfRangeException(
                nameof(proposalStep), proposalStep, $"proposalStep (the density chains' step, a fraction of the torus side) must be in (0, 0.5]; got {proposalStep.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (!(normalisationAverage > 0 && normalisationAverage <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(normalisationAverage), normalisationAverage, $"normalisationAverage (each batch's weight in the running average of Z) must be in (0, 1]; got {normalisationAverage.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        int chains = (int)Math.Round(densityFraction * batch);
        if (chains >= batch)
        {
            throw new ArgumentOutOfRangeException(
                nameof(densityFraction), densityFraction, $"densityFraction {densityFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of a batch of {batch} leaves no uniform point (Z is their mean of e^v); lower it or enlarge the batch.");
        }

        int d = DgmCore.GameDimension<TGame>("ergodic trainer");
        double[] directions = DgmCore.LaplacianDirections<TGame>(d, 1, hasTime: false);
        _core = new DgmCore(d, width, depth, hasTime: false, InputEmbedding.Periodic, 1, architecture, batch, seed, learningRate, lambdaLearningRate, decay, threads, directions);
        _work = new DgmCore.PointWork(TGame.PointInputCount);
        _m = new double[batch];
        _q = new double[batch];
        _chains = chains;
        _uniformCount = batch - chains;
        _proposalStep = proposalStep;

        // The chains' state lives in the core so that checkpoints carry it: c points (c × d), then v at each (NaN until
        // a chain's first proposal, which is always accepted). Started uniformly, from their own counter range.
        // With Z averaged, the state ends with (β, ln Z̄), ln Z̄ NaN until the first step (which takes the batch's Z).
        var state = new double[(chains * (d + 1)) + (normalisationAverage < 1 ? 2 : 0)];
        for (int i = 0; i < chains * d; i++)
        {
            state[i] = CounterRandom.Uniform(_core.Key, ChainStartCounter + (ulong)i) % 1.0;
        }

        state.AsSpan(chains * d).Fill(double.NaN);
        if (normalisationAverage < 1)
        {
            state[^2] = normalisationAverage;
        }

        _core.SamplerState = state;
        _core.NormalisationWeight = normalisationAverage;
        _core.SamplerChains = chains;
    }

    /// <summary>The batch stream's counters for the chains' starting points (far above the uniform points').</summary>
    private const ulong ChainStartCounter = 1UL << 50;

    /// <summary>The batch stream's counters for the chains' proposals and acceptance draws, per step from here.</summary>
    private const ulong ChainStepCounter = 1UL << 52;

    /// <summary>Each batch's weight β in the running average of Z (1: the batch's own Z; see the constructor).</summary>
    public double NormalisationAverage => _core.NormalisationWeight;

    /// <summary>The fraction of each batch proposed by the density chains (see the constructor).</summary>
    public double DensityFraction => (double)_chains / _core.PointCount;

    /// <summary>The widest hidden layer accepted (4096 units).</summary>
    public const int MaxWidth = 4096;

    /// <summary>The most hidden layers accepted (64).</summary>
    public const int MaxDepth = 64;

    /// <summary>The largest batch accepted (2²⁰ points).</summary>
    public const int MaxBatch = 1 << 20;

    /// <summary>The DGM checkpoint's format version (specs/dgm.md §5.3).</summary>
    public const int CheckpointVersion = DgmCore.CheckpointVersion;

    /// <summary>The networks' architecture.</summary>
    public DgmArchitecture Architecture => _core.Architecture;

    /// <summary>Threads used: 1, or 2 (v's network on a pool thread).</summary>
    public int Threads => _core.Threads;

    /// <summary>Bytes allocated inside v's passes run as pool work items, counted on the thread that ran them (for the allocation test).</summary>
    internal long WorkerAllocatedBytes => _core.WorkerAllocatedBytes;

    /// <summary>ln Z̄, the running average's state (NaN before the first step, or without averaging).</summary>
    internal double LogNormalisation => _core.NormalisationWeight < 1 ? _core.SamplerState[^1] : double.NaN;

    /// <summary>v at the points of the last <see cref="Evaluate"/> (the uniform ones first).</summary>
    internal ReadOnlySpan<double> LastVValues => _core.VValue;

    /// <summary>The network of u.</summary>
    internal ILaplacianNetwork U => _core.U;

    /// <summary>The network of v = log m + log Z.</summary>
    internal ILaplacianNetwork V => _core.V;

    /// <summary>The dimension d = (PointInputCount − 5)/5.</summary>
    public int Dimension => _core.Dimension;

    /// <summary>The ergodic constant λ.</summary>
    public double Lambda
    {
        get => _core.Lambda;
        internal set => _core.Lambda = value;
    }

    /// <summary>Steps taken.</summary>
    public int Steps => _core.Steps;

    /// <summary>mean R_HJB² of the last evaluation.</summary>
    public double HjbLoss { get; private set; }

    /// <summary>mean (R_FP/m)² of the last evaluation.</summary>
    public double FokkerPlanckLoss { get; private set; }

    /// <summary>The gradient of the last evaluation: ∂L/∂θ (u's parameters), ∂L/∂φ (v's), then ∂L/∂λ.</summary>
    internal ReadOnlySpan<double> Gradient => _core.Gradient;

    /// <summary>One step: a fresh uniform batch (counter-based on the seed and step), the loss and its gradient, Adam. Returns the loss before the update.</summary>
    public double Step()
    {
        double[] points = _core.Points;
        ulong offset = (ulong)_core.Steps * (ulong)points.Length;
        int d = _core.Dimension;
        int uniformValues = _uniformCount * d;
        for (int i = 0; i < uniformValues; i++)
        {
            points[i] = CounterRandom.Uniform(_core.Key, offset + (ulong)i) % 1.0; // (0, 1] folded onto [0, 1)
        }

        // The rest of the batch: each density chain's proposal, a Gaussian step from its point, folded onto the torus.
        double[] chain = _core.SamplerState;
        int chainValues = _chains * d;
        ulong chainCounter = ChainStepCounter + ((ulong)_core.Steps * (ulong)(chainValues + _chains));
        for (int i = 0; i < chainValues; i++)
        {
            double x = chain[i] + (_proposalStep * CounterRandom.Normal(_core.Key, chainCounter + (ulong)i));
            points[uniformValues + i] = x - Math.Floor(x);
        }

        double loss = Evaluate(points);

        // Metropolis on m ∝ e^v: accept with probability min(1, e^{v(proposal) − v(point)}), v(point) from the step that
        // accepted it (the networks move slowly; the chains follow).
        for (int c = 0; c < _chains; c++)
        {
            double v = _core.VValue[_uniformCount + c];
            ref double vChain = ref chain[chainValues + c];
            double u = CounterRandom.Uniform(_core.Key, chainCounter + (ulong)chainValues + (ulong)c);
            if (double.IsNaN(vChain) || Math.Log(u) < v - vChain)
            {
                vChain = v;
                Array.Copy(points, uniformValues + (c * d), chain, c * d, d);
            }
        }

        if (_core.NormalisationWeight < 1)
        {
            chain[^1] = _pendingLogZ;
        }

        _core.Update();
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
        int count = DgmCore.ReadOutCount(points, Dimension);
        DgmCore.RequireOnePerPoint(u.Length, count, nameof(u));
        DgmCore.RequireOnePerPoint(m.Length, count, nameof(m));
        _core.Evaluate(points, [], u, m);
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
    /// The ergodic constant read from the trained networks by the identity λ = −∫ m (−νΔu + H(x, m, ∇u)) dx (multiply the
    /// HJB equation by m and integrate; ∫m = 1), on <paramref name="points"/> (uniform on the torus, count × d), with
    /// m = e^v / mean e^v normalised on them: the HJB residual weighted by m instead of uniformly, as the trained λ is
    /// (specs/dgm.md §6.4). Runs the networks in batch-sized chunks (the last padded with the first point); the next
    /// <see cref="Step"/> overwrites what it leaves in the buffers, and training continues bit-identically. Early in training
    /// it is much nearer λ* than the trained <see cref="Lambda"/>, which converges slowly; late, its error follows m's
    /// (§6.4: d = 10, 10 000 steps, 0.041 against 0.39; d = 2, 6000 steps, 1.4·10⁻² against 1.9·10⁻³).
    /// </summary>
    /// <param name="points">Uniform points of the torus (count × d, row-major, finite), 10⁴ or more.</param>
    /// <exception cref="ArgumentException">The points are not a positive multiple of d, or a coordinate is NaN or ±∞.</exception>
    public double WeightedLambda(ReadOnlySpan<double> points) => ReadOut(points, 1).WeightedLambda;

    /// <summary>
    /// <see cref="WeightedLambda(ReadOnlySpan{double})"/> with m normalised so that its mean over the points is
    /// <paramref name="meanMass"/> instead of 1: a ratio estimator of Z = ∫e^v when the caller knows a density that
    /// integrates to 1 and is near m (pass its mean over the same points: the control variate of specs/dgm.md §6.4). In
    /// d = 10 the uniform points' own estimate of Z carries the Monte-Carlo error of a peaked m (≈ 1.8 % on 10⁵ points,
    /// which shifts λ_m by ≈ 0.9 %); the ratio removes it.
    /// </summary>
    /// <param name="points">Uniform points of the torus (count × d, row-major, finite), 10⁴ or more.</param>
    /// <param name="meanMass">The mean m must have over the points: finite and positive.</param>
    /// <exception cref="ArgumentException">The points are not a positive multiple of d, or a coordinate is NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="meanMass"/> is not finite and positive.</exception>
    public double WeightedLambda(ReadOnlySpan<double> points, double meanMass) => ReadOut(points, meanMass).WeightedLambda;

    /// <summary>
    /// The root-mean-square HJB and Fokker–Planck residuals, R_HJB and R_FP/m as in the loss, at <paramref name="points"/>
    /// (uniform on the torus, count × d), with m = e^v / mean e^v normalised on them: how well the trained pair solves the
    /// equations, on points of the caller's choice rather than the last batch (whose points may come from the density
    /// chains, §5.9). Runs as <see cref="WeightedLambda(ReadOnlySpan{double})"/> does; training continues bit-identically.
    /// </summary>
    /// <param name="points">Uniform points of the torus (count × d, row-major, finite).</param>
    /// <returns>(‖R_HJB‖, ‖R_FP/m‖), root-mean-square over the points.</returns>
    /// <exception cref="ArgumentException">The points are not a positive multiple of d, or a coordinate is NaN or ±∞.</exception>
    public (double Hjb, double FokkerPlanck) ResidualNorms(ReadOnlySpan<double> points)
    {
        var readOut = ReadOut(points, 1);
        return (readOut.Hjb, readOut.FokkerPlanck);
    }

    /// <summary>One pass over <paramref name="points"/>: λ_m and the root-mean-square residuals (m normalised to mean <paramref name="meanMass"/> on the points).</summary>
    private (double WeightedLambda, double Hjb, double FokkerPlanck) ReadOut(ReadOnlySpan<double> points, double meanMass)
    {
        if (!double.IsFinite(meanMass) || meanMass <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(meanMass), meanMass, $"meanMass is {meanMass.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be finite and positive (the mean of a density near m over the points).");
        }

        int d = Dimension, count = DgmCore.ReadOutCount(points, d), n = _core.PointCount;
        double[] u = new double[count], v = new double[count];
        _core.Evaluate(points, [], u, v);
        double vMax = double.NegativeInfinity;
        foreach (double value in v)
        {
            vMax = Math.Max(vMax, value);
        }

        double z = 0;
        foreach (double value in v)
        {
            z += Math.Exp(value - vMax);
        }

        z /= count * meanMass;
        double weighted = 0, mass = 0, hjb = 0, fp = 0;
        for (int start = 0; start < count; start += n)
        {
            int chunk = Math.Min(n, count - start);
            for (int p = 0; p < n; p++)
            {
                points.Slice((start + (p < chunk ? p : 0)) * d, d).CopyTo(_core.Points.AsSpan(p * d));
            }

            _core.Forward();
            for (int p = 0; p < chunk; p++)
            {
                double m = Math.Exp(_core.VValue[p] - vMax) / z;
                _core.ChainPoint<TGame>(p, m, timeScale: 0, count: n, _work, out double rh, out double rfm, out _);
                weighted += m * (rh - Lambda);
                mass += m;
                hjb += rh * rh;
                fp += rfm * rfm;
            }
        }

        return (-weighted / mass, Math.Sqrt(hjb / count), Math.Sqrt(fp / count));
    }

    /// <summary>Writes the whole training state to <paramref name="path"/> (specs/dgm.md §5.3: CRC-64-checksummed, written safely); a trainer built with the same settings and <see cref="LoadCheckpoint"/>ed from it continues bit-identically.</summary>
    /// <param name="path">The file.</param>
    public void SaveCheckpoint(string path) => _core.SaveCheckpoint(path, DgmCore.TrainerKind.Ergodic, 0);

    /// <summary>Restores the training state saved by <see cref="SaveCheckpoint"/> into this trainer, which must have been built for the same game, width, depth, batch, seed and optimiser settings.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">The path is blank, or the checkpoint is of another configuration (the message says what differs).</exception>
    /// <exception cref="InvalidDataException">The file is not an intact DGM checkpoint (magic, version, length, checksum).</exception>
    public void LoadCheckpoint(string path) => _core.LoadCheckpoint(path, DgmCore.TrainerKind.Ergodic, 0, $"{typeof(TGame).Name} trainer");

    /// <summary>
    /// The loss at the batch <paramref name="points"/> (batch × d, row-major) and its gradient into <see cref="Gradient"/>
    /// (specs/dgm.md §5.2: the chain rule from the residual Jacobian into the networks' per-point adjoints, Z included).
    /// </summary>
    internal double Evaluate(ReadOnlySpan<double> points)
    {
        int n = _core.PointCount;
        if (points.Length != _core.Points.Length)
        {
            throw new ArgumentException($"points has {points.Length} values; expected batch × d = {_core.Points.Length}.", nameof(points));
        }

        points.CopyTo(_core.Points); // v's pass on the pool reads the batch from here
        _core.Forward();

        // m = e^v / Z, Z = the mean of e^v over the uniform points, computed with e^{v − max v} (the same m; no overflow).
        double[] vValue = _core.VValue;
        double vMax = double.NegativeInfinity;
        foreach (double v in vValue)
        {
            vMax = Math.Max(vMax, v);
        }

        double z = 0;
        int nu = _uniformCount;
        for (int p = 0; p < n; p++)
        {
            _m[p] = Math.Exp(vValue[p] - vMax);
            if (p < nu)
            {
                z += _m[p];
            }
        }

        z /= nu;

        // With the running average: ln Z̄ = ln((1 − β) Z̄_prev + β Z_batch) (log-sum-exp), m = e^v/Z̄, and ∂ln Z̄/∂v_p =
        // β m_p / n_u for a uniform point (Z̄_prev is a constant of this step). The first step takes the batch's Z.
        double zWeight = 1;
        _pendingLogZ = vMax + Math.Log(z);
        double beta = _core.NormalisationWeight;
        if (beta < 1 && !double.IsNaN(_core.SamplerState[^1]))
        {
            double a = Math.Log(1 - beta) + _core.SamplerState[^1], b = Math.Log(beta) + _pendingLogZ, top = Math.Max(a, b);
            _pendingLogZ = top + Math.Log(Math.Exp(a - top) + Math.Exp(b - top));
            z = Math.Exp(_pendingLogZ - vMax);
            zWeight = beta;
        }

        double hjb = 0, fp = 0, lambdaBar = 0, qMean = 0;
        for (int p = 0; p < n; p++)
        {
            double m = _m[p] /= z;
            double q = _core.ChainPoint<TGame>(p, m, timeScale: 0, count: n, _work, out double rh, out double rfm, out double lb);
            hjb += rh * rh;
            fp += rfm * rfm;
            lambdaBar += lb;
            _q[p] = q;
            qMean += q;
        }

        // Z = the uniform points' mean of e^v scales every m by 1/Z: ∂L/∂Z = −Σ_q Q_q / Z and ∂Z/∂v_p = m_p Z / n_u for a
        // uniform point (0 for a chain's), so v̄_p = Q_p − m_p Σ_q Q_q / n_u there (n_u = n with uniform batches); with
        // the running average, β m_p Σ_q Q_q / n_u.
        qMean /= nu;
        for (int p = 0; p < n; p++)
        {
            _core.VValueBar[p] = _q[p] - (p < nu ? zWeight * _m[p] * qMean : 0);
        }

        _core.Backward();
        _core.Gradient[^1] = lambdaBar;
        HjbLoss = hjb / n;
        FokkerPlanckLoss = fp / n;
        return HjbLoss + FokkerPlanckLoss;
    }
}
