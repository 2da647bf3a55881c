namespace MeanField.Dgm;

/// <summary>
/// What the Deep Galerkin trainers share (specs/dgm.md §5): the networks of u and v (m = e^v, up to the normalisation a
/// trainer applies), one batch's points and the networks' outputs and adjoints at them, the parameter gradient, Adam for
/// the networks and for λ, the step count and the batch stream's key, the two-thread schedule (v's passes on a pool
/// thread) and the checkpoint file. A trainer samples its points into <see cref="Points"/> (and <see cref="Times"/>),
/// calls <see cref="Forward"/>, turns the residuals into adjoints, calls <see cref="Backward"/> and
/// <see cref="Update"/>. Allocation-free per step once built.
/// </summary>
internal sealed partial class DgmCore
{
    /// <summary>Relative tolerance of the equal-diagonal check: the generated code computes the d weights by the same formula, so they agree to a few ulps.</summary>
    private const double DiagonalTolerance = 1e-12;

    /// <summary>
    /// Relative size (to max(1, max_k |w_k|)) above which a probe's weights add a weighted Laplacian (specs/dgm.md §5.1):
    /// far above the rounding of weights the generated code computes by one formula (a few ulps), far below any real anisotropy.
    /// </summary>
    private const double NewDirectionTolerance = 1e-8;

    /// <summary>Relative size of what the weighted Laplacians and Δu may leave of a point's weights (the projections' rounding is ≈ d ulps).</summary>
    private const double SpanTolerance = 1e-10;

    private readonly double[] _parameters;
    private readonly double[] _lambda = new double[1];
    private readonly double _inverseLength;
    private readonly Adam _networkOptimiser;
    private readonly Adam _lambdaOptimiser;
    private readonly VJob? _vJob;
    private readonly double[] _span; // Q, R × d: an orthonormal basis, ⊥ (1, …, 1), of the weights' anisotropic parts (§5.1)
    private readonly double[] _directions; // C, R × d: u's weighted Laplacians (Q, or unit vectors when R = d − 1)
    private readonly double[] _slots; // P, d × (R + 1): slot k = P[k, 0] Δu + Σ_r P[k, r + 1] L_r u

    /// <summary>Builds the networks (Glorot, from <paramref name="seed"/>; u's from SplitMix64(seed), v's from SplitMix64(seed + 1)) and the buffers of <paramref name="points"/> points per step.</summary>
    /// <param name="dimension">d.</param>
    /// <param name="width">Units per hidden layer (checked by the trainer).</param>
    /// <param name="depth">Hidden layers.</param>
    /// <param name="hasTime">Whether the networks take time as an input (and carry ∂/∂t).</param>
    /// <param name="embedding">Periodic (the torus) or plain (a box without boundary conditions).</param>
    /// <param name="length">The domain's side L: the networks see ξ = x/L ∈ [0, 1)^d.</param>
    /// <param name="architecture">The networks' architecture.</param>
    /// <param name="points">Points per step, all kinds together.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="learningRate">Adam's α for the networks.</param>
    /// <param name="lambdaLearningRate">Adam's α for λ.</param>
    /// <param name="decay">The learning rates' factor per step.</param>
    /// <param name="threads">1 or 2.</param>
    /// <param name="laplacianDirections">The weights' anisotropic span (<see cref="LaplacianDirections{TGame}"/>), R × d orthonormal rows ⊥ (1, …, 1); empty: none.</param>
    public DgmCore(int dimension, int width, int depth, bool hasTime, InputEmbedding embedding, double length, DgmArchitecture architecture, int points, ulong seed, double learningRate, double lambdaLearningRate, double decay, int threads, double[]? laplacianDirections = null)
    {
        _span = laplacianDirections ?? [];
        (_directions, _slots) = WeightedLaplacianSlots(_span, dimension);
        Dimension = dimension;
        PointCount = points;
        Length = length;
        _inverseLength = 1 / length;
        Architecture = architecture;
        U = Network(architecture, dimension, width, depth, embedding, hasTime, CounterRandom.SplitMix64(seed), _directions);
        V = Network(architecture, dimension, width, depth, embedding, hasTime, CounterRandom.SplitMix64(seed + 1), []);
        Key = CounterRandom.StreamKey(seed, 1000);
        int n = points, nd = points * dimension, nt = hasTime ? points : 0;
        Points = new double[nd];
        Times = new double[nt];
        UValue = new double[n];
        UGradient = new double[nd];
        ULaplacian = new double[n];
        UTime = new double[nt];
        UWeighted = new double[U.WeightedLaplacians * n];
        UWeightedBar = new double[U.WeightedLaplacians * n];
        VValue = new double[n];
        VGradient = new double[nd];
        VLaplacian = new double[n];
        VTime = new double[nt];
        UValueBar = new double[n];
        UGradientBar = new double[nd];
        ULaplacianBar = new double[n];
        UTimeBar = new double[nt];
        VValueBar = new double[n];
        VGradientBar = new double[nd];
        VLaplacianBar = new double[n];
        VTimeBar = new double[nt];
        Gradient = new double[U.ParameterCount + V.ParameterCount + 1];
        _networkOptimiser = new Adam(U.ParameterCount + V.ParameterCount, learningRate, decay);
        _lambdaOptimiser = new Adam(1, lambdaLearningRate, decay);
        _parameters = new double[U.ParameterCount + V.ParameterCount];
        _vJob = threads == 2 ? new VJob(this) : null;
    }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>Points per step.</summary>
    public int PointCount { get; }

    /// <summary>The domain's side L (x = Lξ; ∇ₓ = ∇_ξ/L, Δₓ = Δ_ξ/L²).</summary>
    public double Length { get; }

    /// <summary>The networks' architecture.</summary>
    public DgmArchitecture Architecture { get; }

    /// <summary>The network of u.</summary>
    public ILaplacianNetwork U { get; }

    /// <summary>The network of v (m = e^v, normalised by the trainer).</summary>
    public ILaplacianNetwork V { get; }

    /// <summary>The key of the batch stream (counter-based on the step).</summary>
    public ulong Key { get; }

    /// <summary>Threads: 1, or 2 (v's network on a pool thread).</summary>
    public int Threads => _vJob is null ? 1 : 2;

    /// <summary>Bytes allocated inside v's passes run as pool work items (for the allocation test).</summary>
    public long WorkerAllocatedBytes => _vJob?.AllocatedBytes ?? 0;

    /// <summary>Steps taken.</summary>
    public int Steps { get; set; }

    /// <summary>The trained scalar λ (stays 0 where its gradient is always 0, as in the finite horizon).</summary>
    public double Lambda
    {
        get => _lambda[0];
        set => _lambda[0] = value;
    }

    /// <summary>The batch in network coordinates ξ = x/L ∈ [0, 1)^d, <see cref="PointCount"/> × d, row-major.</summary>
    public double[] Points { get; }

    /// <summary>The batch's network times (τ = t/T ∈ [0, 1]), or empty without time.</summary>
    public double[] Times { get; }

#pragma warning disable SA1600 // The networks' outputs and adjoints at the batch: gradients d × n component-major.
    public double[] UValue { get; }

    public double[] UGradient { get; }

    public double[] ULaplacian { get; }

    public double[] UTime { get; }

    public double[] VValue { get; }

    public double[] VGradient { get; }

    public double[] VLaplacian { get; }

    public double[] VTime { get; }

    public double[] UValueBar { get; }

    public double[] UGradientBar { get; }

    public double[] ULaplacianBar { get; }

    public double[] UTimeBar { get; }

    public double[] VValueBar { get; }

    public double[] VGradientBar { get; }

    public double[] VLaplacianBar { get; }

    public double[] VTimeBar { get; }

    public double[] UWeighted { get; }

    public double[] UWeightedBar { get; }
#pragma warning restore SA1600

    /// <summary>∂L/∂θ (u's parameters), ∂L/∂φ (v's), then ∂L/∂λ; <see cref="Backward"/> fills the networks' part.</summary>
    public double[] Gradient { get; }

    /// <summary>Checks an integer argument's range (the message names it, what it is and its value).</summary>
    public static void RequireRange(int value, int min, int max, string name, string what)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} ({what}) must be between {min} and {max}; got {value}.");
        }
    }

    /// <summary>Checks that a real argument is finite and positive.</summary>
    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>Checks an architecture argument (a defined <see cref="DgmArchitecture"/>).</summary>
    public static void RequireArchitecture(DgmArchitecture architecture)
    {
        if (!Enum.IsDefined(architecture))
        {
            throw new ArgumentOutOfRangeException(nameof(architecture), architecture, $"architecture must be Mlp or Gated; got {(int)architecture}.");
        }
    }

    /// <summary>Checks the learning rates' decay factor, in (0, 1].</summary>
    public static void RequireDecay(double decay)
    {
        if (!(decay > 0 && decay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, $"decay must be in (0, 1] (the learning rates' factor per step); got {decay.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>d from a game's point-residual input count 5d + 5, refusing games with a mean control (their point residuals are those of H at μ = 0) unless the trainer adds μ·c(x) itself (<paramref name="meanControlSupported"/>, d = 1).</summary>
    public static int GameDimension<TGame>(string trainer, bool meanControlSupported = false)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
    {
        if (TGame.HasMeanControl && !(meanControlSupported && TGame.Dimension == 1))
        {
            throw new NotSupportedException($"{typeof(TGame).Name} has a mean control (its H reads the population's mean velocity μ(t)): the {trainer} cannot train it{(meanControlSupported ? " in more than one dimension" : string.Empty)}; its point residuals are those of H at μ = 0.");
        }

        int inputs = TGame.PointInputCount;
        if (inputs < 10 || (inputs - 5) % 5 != 0)
        {
            throw new NotSupportedException($"{typeof(TGame).Name}.PointInputCount = {inputs} is not 5d + 5 with d ≥ 1.");
        }

        return (inputs - 5) / 5;
    }

    /// <summary>
    /// The weighted Laplacians a game's Fokker–Planck residual needs beside Δu (specs/dgm.md §5.1): the residuals take
    /// the Hessian diagonal ∂²u/∂x_k², weighted per row by w_k = ∂R/∂(∂²u/∂x_k²). Where w is the same for every k (H's
    /// curvature ∂²H/∂p_k² isotropic) Δu alone gives Σ_k w_k ∂²u/∂x_k²; otherwise the forward pass also carries
    /// L_r u = Σ_k C_rk ∂²u/∂x_k² for an orthonormal basis C of the span of the parts of w orthogonal to (1, …, 1),
    /// found here from the game's Jacobian at 2d + 4 probe inputs from a fixed counter-based stream (positions inside
    /// the domain, m in [½, 2], every other input in [−1, 1]). Returns C, R × d row-major (empty: Δu suffices; always in
    /// d = 1). R ≤ d − 1: at most the whole diagonal.
    /// </summary>
    public static double[] LaplacianDirections<TGame>(int dimension, double length, bool hasTime)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
    {
        int d = dimension;
        if (d == 1)
        {
            return [];
        }

        int width = TGame.PointInputCount, iDiagU = (2 * d) + 1, im = (3 * d) + 1, iDtU = (5 * d) + 2;
        var inputs = new double[width];
        var residuals = new double[2];
        var jacobian = new double[2 * width];
        var basis = new List<double[]>();
        var q = new double[d];
        ulong key = CounterRandom.StreamKey(0x4D46_4447_5052_4F42, 0);
        for (int probe = 0; probe < (2 * d) + 4 && basis.Count < d - 1; probe++)
        {
            for (int i = 0; i < width; i++)
            {
                double uniform = CounterRandom.Uniform(key, (ulong)((probe * width) + i));
                inputs[i] = i < d ? length * (0.05 + (0.9 * uniform))
                    : i == im ? 0.5 + (1.5 * uniform)
                    : (i == iDtU || i == iDtU + 1) && !hasTime ? 0
                    : (2 * uniform) - 1;
            }

            TGame.PointResiduals(inputs, residuals, jacobian);
            for (int row = 0; row < 2; row++)
            {
                ReadOnlySpan<double> w = jacobian.AsSpan((row * width) + iDiagU, d);
                double mean = 0, scale = 1;
                bool finite = true;
                foreach (double wk in w)
                {
                    finite &= double.IsFinite(wk);
                    mean += wk;
                    scale = Math.Max(scale, Math.Abs(wk));
                }

                if (!finite)
                {
                    continue;
                }

                mean /= d;
                for (int k = 0; k < d; k++)
                {
                    q[k] = w[k] - mean;
                }

                // Twice through the basis (classical Gram–Schmidt with reorthogonalisation).
                for (int pass = 0; pass < 2; pass++)
                {
                    foreach (double[] b in basis)
                    {
                        double dot = 0;
                        for (int k = 0; k < d; k++)
                        {
                            dot += q[k] * b[k];
                        }

                        for (int k = 0; k < d; k++)
                        {
                            q[k] -= dot * b[k];
                        }
                    }
                }

                double norm = Math.Sqrt(q.Sum(v => v * v));
                if (norm > NewDirectionTolerance * scale && basis.Count < d - 1)
                {
                    basis.Add([.. q.Select(v => v / norm)]);
                }
            }
        }

        var directions = new double[basis.Count * d];
        for (int r = 0; r < basis.Count; r++)
        {
            basis[r].CopyTo(directions, r * d);
        }

        return directions;
    }

    /// <summary>Both networks' forward passes over <see cref="Points"/> (and <see cref="Times"/>); v's on the pool with two threads.</summary>
    public void Forward()
    {
        if (_vJob is null)
        {
            ForwardU();
            ForwardV();
        }
        else
        {
            _vJob.Start(backward: false);
            ForwardU();
            _vJob.Finish();
        }
    }

    /// <summary>Both networks' reverse passes from the adjoint buffers into <see cref="Gradient"/> (λ's slot untouched).</summary>
    public void Backward()
    {
        if (_vJob is null)
        {
            BackwardU();
            BackwardV();
        }
        else
        {
            _vJob.Start(backward: true);
            BackwardU();
            _vJob.Finish();
        }
    }

    /// <summary>Adam on both networks and on λ from <see cref="Gradient"/>; counts the step.</summary>
    public void Update()
    {
        int nu = U.ParameterCount, nv = V.ParameterCount;
        U.Parameters.CopyTo(_parameters);
        V.Parameters.CopyTo(_parameters.AsSpan(nu));
        _networkOptimiser.Step(_parameters, Gradient.AsSpan(0, nu + nv));
        _parameters.AsSpan(0, nu).CopyTo(U.Parameters);
        _parameters.AsSpan(nu, nv).CopyTo(V.Parameters);
        _lambdaOptimiser.Step(_lambda, Gradient.AsSpan(nu + nv, 1));
        Steps++;
    }

    /// <summary>
    /// u and v at the <c>u.Length</c> points of <paramref name="points"/> (and <paramref name="times"/>): the values-only
    /// pass (<see cref="ILaplacianNetwork.ForwardValues"/>, specs/dgm.md §2.5), and with <paramref name="uGradient"/>
    /// u's full pass in chunks of the batch, so that the networks' buffers keep their training size (the next step
    /// allocates nothing).
    /// </summary>
    /// <param name="points">The points in network coordinates ξ, count × d, row-major.</param>
    /// <param name="times">τ per point, or empty without time.</param>
    /// <param name="u">Receives u.</param>
    /// <param name="v">Receives v.</param>
    /// <param name="uGradient">Receives ∇_ξ u, count × d row-major, or empty.</param>
    public void Evaluate(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> u, Span<double> v, Span<double> uGradient = default)
    {
        int d = Dimension, count = u.Length, n0 = PointCount;
        bool hasTime = U.HasTime;
        V.ForwardValues(points[..(count * d)], hasTime ? times[..count] : [], v[..count]);
        if (uGradient.IsEmpty)
        {
            U.ForwardValues(points[..(count * d)], hasTime ? times[..count] : [], u[..count]);
            return;
        }

        for (int start = 0; start < count; start += n0)
        {
            int n = Math.Min(n0, count - start);
            ReadOnlySpan<double> x = points.Slice(start * d, n * d);
            ReadOnlySpan<double> t = hasTime ? times.Slice(start, n) : [];
            Span<double> dt = hasTime ? UTime.AsSpan(0, n) : [];
            U.Forward(x, t, UValue.AsSpan(0, n), UGradient.AsSpan(0, n * d), ULaplacian.AsSpan(0, n), dt, UWeighted.AsSpan(0, U.WeightedLaplacians * n));
            UValue.AsSpan(0, n).CopyTo(u[start..]);
            for (int p = 0; p < n; p++)
            {
                for (int k = 0; k < d; k++)
                {
                    uGradient[((start + p) * d) + k] = UGradient[(k * n) + p];
                }
            }
        }
    }

    /// <summary>The number of points of a read-out's <paramref name="points"/> (count × d, row-major, finite), checked.</summary>
    public static int ReadOutCount(ReadOnlySpan<double> points, int d)
    {
        if (points.Length == 0 || points.Length % d != 0)
        {
            throw new ArgumentException($"points has {points.Length} values, not a positive multiple of d = {d} (count × d, row-major).", nameof(points));
        }

        RequireFinite(points, d, nameof(points), "coordinates");
        return points.Length / d;
    }

    /// <summary>Checks that a read-out span holds one value per point.</summary>
    public static void RequireOnePerPoint(int length, int count, string name)
    {
        if (length != count)
        {
            throw new ArgumentException($"{name} has length {length}; expected one value per point, {count}.", name);
        }
    }

    /// <summary>Refuses a coordinate (or time) that is NaN or ±∞, naming its index.</summary>
    public static void RequireFinite(ReadOnlySpan<double> values, int d, string name, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                string where = d > 0 ? $" (point {i / d}, coordinate {i % d})" : string.Empty;
                throw new ArgumentException($"{name}[{i}]{where} is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; {what} must be finite.", name);
            }
        }
    }

    /// <summary>
    /// One interior point's residuals from the game's generated point residuals and the loss's adjoints into the
    /// networks' per-point adjoints (specs/dgm.md §5.2): the loss is (R_HJB² + (R_FP/m)²)/<paramref name="count"/> at
    /// point <paramref name="p"/>, m given (its normalisation is the trainer's), ∇m = m∇v, Δm = m(Δv + |∇v|²),
    /// ∂ₜm = m ∂ₜv, ∂ₜ = <paramref name="timeScale"/>·∂_τ (the networks' time input is τ = t/T), x = Lξ, ∇ₓ = ∇_ξ/L,
    /// Δₓ = Δ_ξ/L², and R_HJB shifted by <paramref name="hjbShift"/> (a mean control's μ·c(x)). Writes u's
    /// adjoints and v's gradient, Laplacian and time adjoints; returns the adjoint of v through m at a fixed
    /// normalisation (the trainer adds what its normalisation contributes and stores v̄).
    /// </summary>
    /// <param name="p">The point's index in the batch.</param>
    /// <param name="m">m at the point.</param>
    /// <param name="timeScale">dτ/dt (1/T), or 0 without time.</param>
    /// <param name="count">The number of points the loss averages over (the divisions are written as the ergodic trainer always did, so its bits are unchanged).</param>
    /// <param name="work">The game's input, residual and Jacobian buffers.</param>
    /// <param name="hjb">Receives R_HJB.</param>
    /// <param name="fp">Receives R_FP/m.</param>
    /// <param name="lambdaBar">Receives ∂(loss)/∂λ at this point.</param>
    /// <param name="hjbShift">Added to R_HJB (its derivatives in the inputs do not change).</param>
    public double ChainPoint<TGame>(int p, double m, double timeScale, int count, PointWork work, out double hjb, out double fp, out double lambdaBar, double hjbShift = 0)
        where TGame : struct, IGameResiduals<TGame>, IGameModel<TGame>
    {
        int n = PointCount, d = Dimension;
        int ix = 0, iu = d, iGradU = d + 1, iDiagU = (2 * d) + 1, im = (3 * d) + 1, iGradM = (3 * d) + 2, iDiagM = (4 * d) + 2, iDtU = (5 * d) + 2, iDtM = iDtU + 1, iLambda = iDtU + 2;
        double[] inputs = work.Inputs, jacobian = work.Jacobian;
        int width = TGame.PointInputCount;
        double gradVSquared = 0;
        for (int k = 0; k < d; k++)
        {
            double gv = VGradient[(k * n) + p];
            gradVSquared += gv * gv;
        }

        // In x-units (×1/L per derivative; exact when L = 1, so the ergodic trainer's bits are unchanged).
        double s = _inverseLength, s2 = s * s;
        double lapM = m * (VLaplacian[p] + gradVSquared) * s2;
        int directions = U.WeightedLaplacians;
        for (int k = 0; k < d; k++)
        {
            inputs[ix + k] = Length * Points[(p * d) + k];
            inputs[iGradU + k] = UGradient[(k * n) + p] * s;
            inputs[iDiagU + k] = directions == 0 ? ULaplacian[p] * s2 / d : WeightedSlot(k, p) * s2;
            inputs[iGradM + k] = m * VGradient[(k * n) + p] * s;
            inputs[iDiagM + k] = lapM / d;
        }

        bool hasTime = timeScale != 0;
        double dtM = hasTime ? m * timeScale * VTime[p] : 0;
        inputs[iu] = UValue[p];
        inputs[im] = m;
        inputs[iDtU] = hasTime ? timeScale * UTime[p] : 0;
        inputs[iDtM] = dtM;
        inputs[iLambda] = Lambda;
        TGame.PointResiduals(inputs, work.Residuals, jacobian);
        if (directions > 0)
        {
            CheckInDirections<TGame>(jacobian, iDiagU, d, p);
        }
        else
        {
            CheckEqualDiagonal<TGame>(jacobian, iDiagU, d, "∂²u/∂x_k²");
        }

        CheckEqualDiagonal<TGame>(jacobian, iDiagM, d, "∂²m/∂x_k²");
        double rh = work.Residuals[0] + hjbShift, rfm = work.Residuals[1] / m;
        hjb = rh;
        fp = rfm;

        // ∂(loss)/∂R_HJB and ∂(loss)/∂R_FP, then ḡ_j = Σ_rows a_row J[row, j].
        double aH = 2 * rh / count, aF = 2 * rfm / (m * count);
        double G(int j) => (aH * jacobian[j]) + (aF * jacobian[width + j]);
        UValueBar[p] = G(iu);
        double lapUBar = 0, lapMBar = 0;
        for (int k = 0; k < d; k++)
        {
            UGradientBar[(k * n) + p] = G(iGradU + k) * s;
            lapUBar += G(iDiagU + k);
            lapMBar += G(iDiagM + k);
        }

        if (directions == 0)
        {
            ULaplacianBar[p] = lapUBar / d * s2;
        }
        else
        {
            // The slots' adjoints through P: ∂(slot_k)/∂Δu = P[k, 0], ∂(slot_k)/∂L_r u = P[k, r + 1].
            double laplacianBar = 0;
            for (int k = 0; k < d; k++)
            {
                laplacianBar += G(iDiagU + k) * _slots[k * (directions + 1)];
            }

            ULaplacianBar[p] = laplacianBar * s2;
            for (int r = 0; r < directions; r++)
            {
                double weightedBar = 0;
                for (int k = 0; k < d; k++)
                {
                    weightedBar += G(iDiagU + k) * _slots[(k * (directions + 1)) + r + 1];
                }

                UWeightedBar[(r * n) + p] = weightedBar * s2;
            }
        }

        lapMBar /= d;
        double mBar = G(im) - (2 * rfm * rfm / (m * count)); // the explicit 1/m of (R_FP/m)²
        lambdaBar = G(iLambda);

        // Through m = e^v (at a fixed normalisation): ∂(m, ∇m, Δm, ∂ₜm)/∂v = (m, ∇m, Δm, ∂ₜm); ∇m = m∇v;
        // Δm = m(Δv + |∇v|²); ∂ₜm = m ∂ₜv.
        double q = (mBar * m) + (lapMBar * lapM);
        for (int k = 0; k < d; k++)
        {
            double gradMBar = G(iGradM + k), gv = VGradient[(k * n) + p];
            q += gradMBar * m * gv * s;
            VGradientBar[(k * n) + p] = m * s * (gradMBar + (2 * lapMBar * gv * s));
        }

        VLaplacianBar[p] = m * lapMBar * s2;
        if (hasTime)
        {
            double dtMBar = G(iDtM);
            q += dtMBar * dtM;
            UTimeBar[p] = timeScale * G(iDtU);
            VTimeBar[p] = m * timeScale * dtMBar;
        }

        return q;
    }

    /// <summary>Clears point <paramref name="p"/>'s derivative adjoints (a point whose loss reads only u and v).</summary>
    public void ClearDerivativeAdjoints(int p)
    {
        int n = PointCount;
        for (int k = 0; k < Dimension; k++)
        {
            UGradientBar[(k * n) + p] = 0;
            VGradientBar[(k * n) + p] = 0;
        }

        ULaplacianBar[p] = VLaplacianBar[p] = 0;
        for (int r = 0; r < U.WeightedLaplacians; r++)
        {
            UWeightedBar[(r * n) + p] = 0;
        }

        if (U.HasTime)
        {
            UTimeBar[p] = VTimeBar[p] = 0;
        }
    }

    private static ILaplacianNetwork Network(DgmArchitecture architecture, int dimension, int width, int depth, InputEmbedding embedding, bool hasTime, ulong seed, double[] directions)
        => architecture == DgmArchitecture.Gated
            ? new GatedLaplacianNetwork(dimension, width, depth, embedding, hasTime, seed, directions)
            : new LaplacianNetwork(dimension, width, depth, embedding, hasTime, seed, directions);

    private void ForwardU() => U.Forward(Points, Times, UValue, UGradient, ULaplacian, UTime, UWeighted);

    private void ForwardV() => V.Forward(Points, Times, VValue, VGradient, VLaplacian, VTime);

    private void BackwardU() => U.Backward(UValueBar, UGradientBar, ULaplacianBar, UTimeBar, Gradient.AsSpan(0, U.ParameterCount), UWeightedBar);

    private void BackwardV() => V.Backward(VValueBar, VGradientBar, VLaplacianBar, VTimeBar, Gradient.AsSpan(U.ParameterCount, V.ParameterCount));

    private static void CheckEqualDiagonal<TGame>(double[] jacobian, int first, int d, string what)
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
                        + "the probe when the trainer was built found them equal, so the networks carry only the trace (specs/dgm.md §5.1: the curvature's anisotropy lies outside the probed region, or m's slots differ).");
                }
            }
        }
    }

    /// <summary>
    /// §5.1's slot k at point <paramref name="p"/>: P[k, 0] Δu + Σ_r P[k, r + 1] L_r u, with Σ_k slot_k = Δu and
    /// Σ_k C_rk slot_k = L_r u, so Σ_k w_k slot_k = Σ_k w_k ∂²u/∂x_k² for every w in the span of 1 and C's rows.
    /// </summary>
    private double WeightedSlot(int k, int p)
    {
        int directions = U.WeightedLaplacians, n = PointCount, row = k * (directions + 1);
        double slot = _slots[row] * ULaplacian[p];
        for (int r = 0; r < directions; r++)
        {
            slot += _slots[row + r + 1] * UWeighted[(r * n) + p];
        }

        return slot;
    }

    /// <summary>
    /// The network's weighted Laplacians C and the slots' matrix P (specs/dgm.md §5.1, d × (R + 1), M P = I for
    /// M = [1ᵀ; C]) from the orthonormal span Q (R × d, ⊥ (1, …, 1)). In general C = Q and P = [1/d, Qᵀ] (Σ_k 1/d = 1,
    /// Q·1 = 0, Q Qᵀ = I). A span of d − 1 directions (every diagonal) takes the unit vectors e_0 … e_{d−2} instead, whose
    /// channels ∂²u/∂x_k² cost one term each in the jets instead of d: slot_k = L_k u for k &lt; d − 1 and
    /// slot_{d−1} = Δu − Σ_r L_r u.
    /// </summary>
    internal static (double[] Directions, double[] Slots) WeightedLaplacianSlots(double[] span, int d)
    {
        int count = span.Length / d, m = count + 1;
        if (count == 0)
        {
            return ([], []);
        }

        var slots = new double[d * m];
        if (count < d - 1)
        {
            for (int k = 0; k < d; k++)
            {
                slots[k * m] = 1.0 / d;
                for (int r = 0; r < count; r++)
                {
                    slots[(k * m) + r + 1] = span[(r * d) + k];
                }
            }

            return (span, slots);
        }

        var units = new double[count * d];
        for (int r = 0; r < count; r++)
        {
            units[(r * d) + r] = 1;
            slots[(r * m) + r + 1] = 1;
            slots[((d - 1) * m) + r + 1] = -1;
        }

        slots[(d - 1) * m] = 1;
        return (units, slots);
    }

    /// <summary>
    /// Refuses a point whose weights w_k = ∂R/∂(∂²u/∂x_k²) (either row) leave the span of (1, …, 1) and the weighted
    /// Laplacians' directions found when the trainer was built (what Δu and L_r u cannot give exactly).
    /// </summary>
    private void CheckInDirections<TGame>(double[] jacobian, int first, int d, int p)
    {
        int width = jacobian.Length / 2, directions = _span.Length / d;
        Span<double> dots = stackalloc double[directions];
        for (int row = 0; row < 2; row++)
        {
            ReadOnlySpan<double> w = jacobian.AsSpan((row * width) + first, d);
            double mean = 0, scale = 1;
            foreach (double wk in w)
            {
                mean += wk;
                scale = Math.Max(scale, Math.Abs(wk));
            }

            mean /= d;
            for (int r = 0; r < directions; r++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++)
                {
                    dot += w[j] * _span[(r * d) + j];
                }

                dots[r] = dot;
            }

            for (int k = 0; k < d; k++)
            {
                double left = w[k] - mean;
                for (int r = 0; r < directions; r++)
                {
                    left -= dots[r] * _span[(r * d) + k];
                }

                if (!(Math.Abs(left) <= SpanTolerance * scale))
                {
                    throw new NotSupportedException(
                        $"{typeof(TGame).Name}: at point {p} the {(row == 0 ? "HJB" : "Fokker–Planck")} residual weighs ∂²u/∂x_k² by ({string.Join(", ", w.ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}), "
                        + $"outside the span of (1, …, 1) and the {directions} weighted Laplacian(s) found when the trainer was built (specs/dgm.md §5.1).");
                }
            }
        }
    }

    /// <summary>A game's point-residual buffers: its 5d + 5 inputs, the two residuals and their Jacobian.</summary>
    internal sealed class PointWork(int inputs)
    {
        /// <summary>The inputs, in the generated order.</summary>
        public double[] Inputs { get; } = new double[inputs];

        /// <summary>R_HJB, R_FP.</summary>
        public double[] Residuals { get; } = new double[2];

        /// <summary>2 × inputs, row-major.</summary>
        public double[] Jacobian { get; } = new double[2 * inputs];
    }

    /// <summary>
    /// v's forward or reverse pass as a reused pool work item (no allocation per step): queued by <see cref="Start"/>;
    /// <see cref="Finish"/> runs it on the caller's thread if the pool has not claimed it yet (a busy pool cannot stall
    /// the step), waits, and rethrows its exception.
    /// </summary>
    private sealed class VJob(DgmCore owner) : IThreadPoolWorkItem
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
}
