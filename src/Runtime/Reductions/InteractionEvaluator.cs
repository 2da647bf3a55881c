using System.Runtime.Intrinsics;
using MeanField.Reductions;
using MeanField.Threading;

namespace MeanField;

/// <summary>
/// The interaction energy of a weighted particle measure μ = Σ_i w_i δ_{θ_i} for a generated interaction model:
/// E(μ) = ½∬K d(μ − ν)d(μ − ν) − ∫F dμ + ∫U dμ (ν the optional reference measure of the options, F the potential, U
/// the confinement), its first variation V(θ) = δE/δμ(θ) = ∫K(θ, ·) dμ − ∫K(θ, ·) dν − F(θ) + U(θ), and the
/// Wasserstein gradient ∇θ V(θ_i) at every particle — on the pairwise tile engine, exactly or by the Random Batch
/// Method. Implements <see cref="IParticleEnergy"/>, what the particle dynamics consume.
/// </summary>
/// <remarks>
/// <para><b>Kernel.</b> K is taken to be symmetric, K(θ, θ′) = K(θ′, θ) (the first variation above, and the
/// gradient, use it; the exact gradient evaluates each unordered pair of particles once and hands each point its side's
/// derivatives, specs/interactions.md "Symmetric schedule"). The model's sides follow <see cref="InteractionLayout"/>.</para>
/// <para><b>Self-pair</b> (<see cref="InteractionEvaluatorOptions.IncludeSelfPair"/>). Included (default): every
/// sum over j includes j = i, and ∂E/∂θ_i = w_i ∇θ V(θ_i). Excluded: the terms j = i are dropped from E's double sum
/// over μ and from V(θ_i) in <see cref="Gradient"/>; <see cref="FirstVariation"/> at probes sums over every particle
/// (a probe is not a particle). ∂E/∂θ_i = w_i ∇θ V(θ_i) still holds.</para>
/// <para><b>Random Batch Method</b> (<see cref="InteractionMethod.RandomBatch"/>, in <see cref="Gradient"/> only). Step k
/// draws a uniformly random permutation of the particles from (Seed, k) (counter-based: the same on every machine
/// and thread count) and cuts it into batches of p (a remainder r ≥ 2 forms one more batch; r = 1 joins the last
/// batch, which then has p + 1). For particle i in a batch b of size m, ∫K(θ_i, ·) dμ is estimated by
/// w_i K_ii + ((n − 1)/(m − 1)) Σ_{j ∈ b, j ≠ i} w_j K_ij — unbiased, since P(j ∈ b(i), |b(i)| = m) = (m/n)(m − 1)/(n − 1)
/// summed over the batches of each size gives Σ_b (m_b/n) = 1 after the reweighting. Its gradient and the returned
/// energy use the same estimate; the reference term is always exact (ν is usually small). O(n·p) kernel evaluations.</para>
/// <para><b>Determinism, allocation, concurrency, disposal</b> as <see cref="NetworkEvaluator{TModel}"/>: results are
/// bit-identical for every thread count; after a first call with given sizes, calls allocate nothing; one call at a
/// time (a concurrent or re-entrant call throws <see cref="InvalidOperationException"/>); <see cref="Dispose"/> never
/// blocks. Every call checks shapes, that values are finite and weights finite and ≥ 0, naming the argument and the
/// index of the first bad value.</para>
/// </remarks>
/// <typeparam name="TModel">The generated interaction model.</typeparam>
public sealed class InteractionEvaluator<TModel> : IParticleEnergy, IDisposable
    where TModel : struct, IInteractionModel<TModel>
{
    private readonly InteractionLayout _layout;
    private readonly TileWorkerPool _pool;
    private readonly CallGuard _guard;
    private readonly PoolReleaser _releaser;
    private readonly PairEngine<KernelOperator<TModel>> _engine;
    private readonly PairSide _particles;
    private readonly PairSide _probes;
    private readonly PairSide? _reference;
    private readonly int _referenceCount;
    private readonly int _referenceDimension;
    private readonly double _referenceConstant;
    private readonly int _scalarCount;
    private readonly int _channelCount;
    private readonly int _pairCount;
    private readonly bool _includeSelf;
    private readonly bool _randomBatch;
    private readonly int _batchSize;
    private readonly ulong _batchKey;

    private PairWorkItem[] _items = [];
    private int[] _slotOf = [];
    private int[] _permutation = [];
    private double[] _diagonalCoefficient = [];
    private double[] _values = [];
    private double[] _referenceValues = [];
    private double[] _particleValues = [];
    private double[] _energyTerms = [];
    private readonly FinishScratch[] _finishScratch;
    private readonly FinishWork _finish;
    private ParticleSet? _finishParticles;
    private ParticleSet? _finishGradient;

    /// <summary>An exact evaluator with the default options (self-pair included, no reference, all processors).</summary>
    public InteractionEvaluator()
        : this(new InteractionEvaluatorOptions())
    {
    }

    /// <summary>An evaluator with the given options.</summary>
    /// <param name="options">The options; a <see cref="InteractionEvaluatorOptions.Reference"/> must hold parameters of
    /// <typeparamref name="TModel"/>, finite values and finite weights ≥ 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The reference is of another model, or holds a NaN/±∞ value or a bad weight.</exception>
    public InteractionEvaluator(InteractionEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _layout = TModel.Layout;
        Options = options;
        _scalarCount = _layout.ScalarCount;
        _channelCount = _layout.ParticleChannelCount;
        _pairCount = _layout.PairChannelCount;
        _includeSelf = options.IncludeSelfPair;
        _randomBatch = options.Method == InteractionMethod.RandomBatch;
        _batchSize = options.BatchSize;
        _batchKey = CounterRandom.StreamKey(options.Seed, int.MinValue);
        if (options.Reference is { } reference)
        {
            if (!reference.Layout.Equals(_layout))
            {
                throw new ArgumentException($"options.Reference holds parameters of {reference.Layout.ModelName}; this evaluator is for {_layout.ModelName}.", nameof(options));
            }

            int bad = FiniteCheck.FirstNonFinite(reference.Values);
            if (bad >= 0)
            {
                throw new ArgumentException(
                    $"options.Reference.Values[{bad}] ({FiniteCheck.Locate(reference, bad)}) is {FiniteCheck.Format(reference.Values[bad])}; every parameter must be finite (no NaN or ±∞).",
                    nameof(options));
            }

            RequireWeights(reference, "options.Reference", nameof(options));
        }

        SimdWidth width = Vector512.IsHardwareAccelerated ? SimdWidth.V512
            : Vector256.IsHardwareAccelerated ? SimdWidth.V256
            : Vector128.IsHardwareAccelerated ? SimdWidth.V128
            : SimdWidth.Scalar;
        _pool = new TileWorkerPool(options.ThreadCount);
        _guard = new CallGuard(PublicName, _pool.Shutdown);
        _releaser = new PoolReleaser(_pool);
        _engine = new PairEngine<KernelOperator<TModel>>(PairLayout.For(_layout), _pool, width);
        _particles = PairSide.Of<TModel>();
        _probes = PairSide.Of<TModel>();
        _finishScratch = new FinishScratch[options.ThreadCount];
        for (int t = 0; t < _finishScratch.Length; t++)
        {
            _finishScratch[t] = new FinishScratch();
        }

        _finish = new FinishWork(this);
        if (options.Reference is { } nu)
        {
            // ν is copied (prepared) once; its weights enter the sums with a minus sign: ∫K(θ, ·) d(μ − ν).
            _reference = PairSide.Of<TModel>();
            _reference.Prepare(nu, [], 0, _pool);
            for (int k = 0; k < nu.Count; k++)
            {
                _reference.Weights[k] = -nu.Weights[k];
            }

            _referenceCount = nu.Count;
            _referenceDimension = nu.Dimension;
            EnsureScratch(nu.Dimension, _reference.Capacity);
            int itemCount = ExactItems(nu.Count, nu.Count);
            _engine.RunRowSums(_reference, _reference, _items, itemCount, _values);
            double sum = 0;
            for (int k = 0; k < nu.Count; k++)
            {
                sum -= nu.Weights[k] * _values[k]; // Σ_k ν_k Σ_l ν_l K_kl
            }

            _referenceConstant = sum;
        }
    }

    /// <summary>The type as users write it, for messages: <c>InteractionEvaluator&lt;ArcCosine&gt;</c>.</summary>
    private static string PublicName { get; } = $"InteractionEvaluator<{typeof(TModel).Name}>";

    /// <summary>The options the evaluator was built with.</summary>
    public InteractionEvaluatorOptions Options { get; }

    /// <summary>The layout of <typeparamref name="TModel"/>.</summary>
    public InteractionLayout Layout => _layout;

    /// <summary>The number of threads the tile loops use.</summary>
    public int ThreadCount => _pool.ThreadCount;

    /// <summary>
    /// The number of pairs (θ, θ′) at which the kernel has been evaluated since the evaluator was built (an operation
    /// count: an exact <see cref="Gradient"/> evaluates each unordered pair of particles once, (n² + Σ_t c_t²)/2 over the
    /// 64-point tiles of c_t particles (n² when n ≤ 64), + n·m with m reference points; <see cref="Energy"/> the same;
    /// Σ_b m_b² + n + n·m for a Random Batch step with batch sizes m_b, the n being the self-pair corrections). Counts
    /// points, not SIMD lanes.
    /// </summary>
    public long KernelEvaluations { get; private set; }

    /// <summary>
    /// Whether <see cref="Energy"/> and the exact <see cref="Gradient"/> use the symmetric schedule where the layout allows it (default true);
    /// false keeps the ordered schedule, every ordered pair evaluated. For the benchmarks' same-process comparison of the
    /// two (`interaction --schedule both`), not a user setting: both give the same sums up to rounding.
    /// </summary>
    internal bool SymmetricSchedule { get; set; } = true;

    /// <summary>½∬K dν dν, the constant that makes E(ν) = 0 (0 without a reference).</summary>
    public double ReferenceEnergy => 0.5 * _referenceConstant;

    /// <summary>Bytes allocated by the evaluator's background worker threads.</summary>
    internal long WorkerAllocatedBytes => _pool.BackgroundAllocatedBytes;

    /// <summary>E(μ), always exact (whatever the method).</summary>
    /// <param name="particles">The particles and weights of μ.</param>
    public double Energy(ParticleSet particles)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        int n = particles.Count;
        int d = particles.Dimension;
        EnsureScratch(d, 0);
        _particles.Prepare(particles, [], 0, _pool);
        particles.Weights.CopyTo(_particles.Weights);
        EnsureScratch(d, _particles.Capacity);
        // Row sums: per particle j (side B), Σ_i w_i K(θ_i, θ_j) and Σ_k (−ν_k) K(θ*_k, θ_j); over μ with each unordered
        // pair once where the particles fill more than one tile (K is symmetric, specs/performance.md §3.1).
        int items = ExactItems(n, n);
        if (items > 1 && SymmetricSchedule && _engine.SupportsSymmetric)
        {
            KernelEvaluations += _engine.RunSymmetric(_particles, _values, gradients: false);
        }
        else
        {
            _engine.RunRowSums(_particles, _particles, _items, items, _values);
            KernelEvaluations += (long)n * n;
        }

        if (_reference is not null)
        {
            items = ExactItems(n, _referenceCount);
            _engine.RunRowSums(_reference, _particles, _items, items, _referenceValues);
            KernelEvaluations += (long)n * _referenceCount;
        }
        else
        {
            Array.Clear(_referenceValues, 0, n);
        }
        double energy = 0;
        ReadOnlySpan<double> w = particles.Weights;
        for (int i = 0; i < n; i++)
        {
            double self = _values[i];
            if (!_includeSelf)
            {
                self -= w[i] * DiagonalKernel(particles, i, gradient: false, _finishScratch[0]);
            }

            energy += w[i] * ((0.5 * self) + _referenceValues[i] - SideValue(_particles, i, potential: true, _finishScratch[0]) + SideValue(_particles, i, potential: false, _finishScratch[0]));
        }

        return energy + (0.5 * _referenceConstant);
    }

    /// <summary>
    /// V(θ) = ∫K(θ, ·) dμ − ∫K(θ, ·) dν − F(θ) + U(θ) at every probe θ (exact; the sum over μ includes every particle).
    /// </summary>
    /// <param name="particles">The particles and weights of μ.</param>
    /// <param name="probes">m points of the same layout and dimension (their weights are not read).</param>
    /// <param name="values">Length m; receives V at each probe.</param>
    public void FirstVariation(ParticleSet particles, ParticleSet probes, Span<double> values)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        ArgumentNullException.ThrowIfNull(probes);
        if (!probes.Layout.Equals(_layout))
        {
            throw new ArgumentException($"probes holds parameters of {probes.Layout.ModelName}; this evaluator is for {_layout.ModelName}.", nameof(probes));
        }

        if (probes.Dimension != particles.Dimension)
        {
            throw new ArgumentException($"probes has dimension {probes.Dimension}; the particles have {particles.Dimension}.", nameof(probes));
        }

        if (values.Length != probes.Count)
        {
            throw new ArgumentException($"values has length {values.Length}; expected exactly {probes.Count} (one per probe).", nameof(values));
        }

        FiniteCheck.Require(probes, nameof(probes));
        int n = particles.Count;
        int m = probes.Count;
        int d = particles.Dimension;
        _particles.Prepare(particles, [], 0, _pool);
        particles.Weights.CopyTo(_particles.Weights);
        _probes.Prepare(probes, [], 0, _pool);
        EnsureScratch(d, Math.Max(_probes.Capacity, _particles.Capacity));
        // Row sums: per probe (side B), Σ_i w_i K(θ_i, probe) and Σ_k (−ν_k) K(θ*_k, probe).
        int items = ExactItems(m, n);
        _engine.RunRowSums(_particles, _probes, _items, items, _values);
        KernelEvaluations += (long)m * n;
        if (_reference is not null)
        {
            items = ExactItems(m, _referenceCount);
            _engine.RunRowSums(_reference, _probes, _items, items, _referenceValues);
            KernelEvaluations += (long)m * _referenceCount;
        }
        else
        {
            Array.Clear(_referenceValues, 0, m);
        }

        for (int b = 0; b < m; b++)
        {
            values[b] = _values[b] + _referenceValues[b] - SideValue(_probes, b, potential: true, _finishScratch[0]) + SideValue(_probes, b, potential: false, _finishScratch[0]);
        }
    }

    /// <summary>
    /// Writes ∇θ V(θ_i) of every particle into <paramref name="gradient"/>, V(θ_i) into <paramref name="firstVariation"/>
    /// when it is not empty, and returns E(μ) — exact, or the Random Batch estimate of step <paramref name="step"/>.
    /// </summary>
    /// <param name="particles">The particles and weights of μ.</param>
    /// <param name="gradient">A different set of the same shape; receives ∇θ V(θ_i).</param>
    /// <param name="firstVariation">Empty, or n values to receive V(θ_i).</param>
    /// <param name="step">The step (≥ 0): the Random Batch Method's partition is drawn from (Seed, step).</param>
    /// <returns>E(μ) (for the Random Batch Method, its unbiased estimate from this step's batches).</returns>
    public double Gradient(ParticleSet particles, ParticleSet gradient, Span<double> firstVariation, long step)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        particles.RequireSameShape(gradient, nameof(gradient));
        if (ReferenceEquals(gradient, particles))
        {
            throw new ArgumentException("gradient must be a different set from particles (it is written while particles are read).", nameof(gradient));
        }

        if (!firstVariation.IsEmpty && firstVariation.Length != particles.Count)
        {
            throw new ArgumentException($"firstVariation has length {firstVariation.Length}; expected 0 (not wanted) or exactly {particles.Count} (one per particle).", nameof(firstVariation));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(step);
        int n = particles.Count;
        int d = particles.Dimension;
        EnsureScratch(d, 0);
        ReadOnlySpan<double> w = particles.Weights;
        int items;
        bool batches = _randomBatch && _batchSize < n;
        if (batches)
        {
            items = PartitionIntoBatches(particles, step);
        }
        else
        {
            _particles.Prepare(particles, [], 0, _pool);
            EnsureScratch(d, _particles.Capacity);
            w.CopyTo(_particles.Weights);
            for (int i = 0; i < n; i++)
            {
                _slotOf[i] = i;
                _diagonalCoefficient[i] = _includeSelf ? 0 : w[i];
            }

            items = ExactItems(n, n);
        }

        if (!batches && items > 1 && SymmetricSchedule && _engine.SupportsSymmetric)
        {
            // The exact sums over μ with each unordered pair once (K is symmetric): specs/performance.md §3.1.
            KernelEvaluations += _engine.RunSymmetric(_particles, _values);
        }
        else
        {
            _engine.Run(_particles, _particles, _items, items, _values, gradients: true, accumulate: false);
            KernelEvaluations += batches ? 0 : (long)n * n;
        }

        if (_reference is not null)
        {
            for (int t = 0; t < items; t++)
            {
                _items[t] = _items[t] with { Start = 0, End = _referenceCount };
            }

            _engine.Run(_particles, _reference, _items, items, _referenceValues, gradients: true, accumulate: true);
            KernelEvaluations += (long)n * _referenceCount;
        }
        else
        {
            Array.Clear(_referenceValues);
        }

        // Per particle (in parallel, one tile of particles per work item): the self-pair correction, V(θ_i), its energy
        // term and the chain rule into the gradient; then the energy summed in particle order.
        _finishParticles = particles;
        _finishGradient = gradient;
        try
        {
            _pool.Run(_finish, (n + Tiles.Particles - 1) / Tiles.Particles);
        }
        finally
        {
            _finishParticles = null;
            _finishGradient = null;
        }

        double energy = 0;
        long corrections = 0;
        for (int i = 0; i < n; i++)
        {
            energy += _energyTerms[i];
            corrections += _diagonalCoefficient[i] != 0 ? 1 : 0;
        }

        KernelEvaluations += corrections;
        if (!firstVariation.IsEmpty)
        {
            _particleValues.AsSpan(0, n).CopyTo(firstVariation);
        }

        return energy + (0.5 * _referenceConstant);
    }

    /// <summary>Particles [64t, 64t + 64) of <see cref="Gradient"/>: self-pair correction, V, energy term, gradient.</summary>
    private void FinishTile(int tile, FinishScratch scratch)
    {
        ParticleSet particles = _finishParticles!;
        ParticleSet gradient = _finishGradient!;
        ReadOnlySpan<double> w = particles.Weights;
        int end = Math.Min(particles.Count, (tile + 1) * Tiles.Particles);
        for (int i = tile * Tiles.Particles; i < end; i++)
        {
            int slot = _slotOf[i];
            if (_diagonalCoefficient[i] != 0)
            {
                SubtractDiagonal(particles, i, slot, _diagonalCoefficient[i], scratch);
            }

            double potential = SideValue(_particles, slot, potential: true, scratch);
            double confinement = SideValue(_particles, slot, potential: false, scratch);
            _particleValues[i] = _values[slot] + _referenceValues[slot] - potential + confinement;
            _energyTerms[i] = w[i] * ((0.5 * _values[slot]) + _referenceValues[slot] - potential + confinement);
            WriteGradient(particles, gradient, i, slot, scratch);
        }
    }

    /// <summary>
    /// Releases the worker threads. Never blocks: during a call (on another thread) the call finishes normally and the
    /// threads are released as it returns. Later calls throw <see cref="ObjectDisposedException"/>. Idempotent.
    /// </summary>
    public void Dispose()
    {
        _guard.Dispose();
        _releaser.Dispose();
    }

    /// <summary>Draws step <paramref name="step"/>'s partition, places the batches on whole tiles and builds the work items.</summary>
    private int PartitionIntoBatches(ParticleSet particles, long step)
    {
        int n = particles.Count;
        int p = _batchSize;

        // Batch sizes: ⌊n/p⌋ of p, and the remainder r: its own batch when r ≥ 2, joined to the last batch when r = 1.
        int full = n / p;
        int remainder = n - (full * p);
        int batches = remainder >= 2 ? full + 1 : full;

        // Each batch starts on a multiple of 8 slots (the widest SIMD group) and is split at tile boundaries into work
        // items; so small batches waste at most 7 slots each, not a whole tile.
        int used = 0;
        for (int b = 0; b < batches; b++)
        {
            used += RoundToGroup(BatchLength(b, full, remainder, p));
        }

        int capacity = RoundToTile(used);
        EnsureScratch(particles.Dimension, capacity);
        if (_items.Length < batches + (capacity / Tiles.Particles))
        {
            _items = new PairWorkItem[batches + (capacity / Tiles.Particles)];
        }

        int[] permutation = _permutation;
        for (int i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        // Fisher–Yates with counter-based uniforms: a function of (seed, step) only.
        ulong key = CounterRandom.SplitMix64(_batchKey ^ CounterRandom.SplitMix64((ulong)step));
        for (int k = 0; k < n - 1; k++)
        {
            double u = 1.0 - CounterRandom.Uniform(key, (ulong)k); // [0, 1)
            int j = k + Math.Min((int)(u * (n - k)), n - k - 1);
            (permutation[k], permutation[j]) = (permutation[j], permutation[k]);
        }

        int start = 0;
        int slotStart = 0;
        int itemCount = 0;
        long evaluations = 0;
        for (int b = 0; b < batches; b++)
        {
            int size = BatchLength(b, full, remainder, p);
            for (int k = 0; k < size; k++)
            {
                _slotOf[permutation[start + k]] = slotStart + k;
            }

            for (int first = slotStart; first < slotStart + size;)
            {
                int tile = first / Tiles.Particles;
                int last = Math.Min(slotStart + size, (tile + 1) * Tiles.Particles);
                _items[itemCount++] = new PairWorkItem(tile, last - first, slotStart, slotStart + size, first - (tile * Tiles.Particles));
                first = last;
            }

            evaluations += (long)size * size;
            start += size;
            slotStart += RoundToGroup(size);
        }

        _particles.Prepare(particles, _slotOf, capacity, _pool);
        ReadOnlySpan<double> w = particles.Weights;
        start = 0;
        for (int b = 0; b < batches; b++)
        {
            int size = BatchLength(b, full, remainder, p);
            double factor = size > 1 ? (n - 1.0) / (size - 1.0) : 1.0;
            for (int k = 0; k < size; k++)
            {
                int i = permutation[start + k];
                _particles.Weights[_slotOf[i]] = factor * w[i];
                _diagonalCoefficient[i] = (_includeSelf ? factor - 1 : factor) * w[i];
            }

            start += size;
        }

        KernelEvaluations += evaluations;
        return itemCount;
    }

    private static int BatchLength(int b, int full, int remainder, int p) =>
        full == 0 ? remainder
        : b < full - 1 ? p
        : b == full - 1 ? (remainder == 1 ? p + 1 : p)
        : remainder;

    private static int RoundToTile(int count) => (count + Tiles.Particles - 1) / Tiles.Particles * Tiles.Particles;

    /// <summary>Rounded up to a multiple of 8 slots (the widest SIMD group, Vector512).</summary>
    private static int RoundToGroup(int count) => (count + 7) / 8 * 8;

    /// <summary>Work items of the exact schedule: every tile of the <paramref name="aCount"/> points that receive sums against
    /// the other side's [0, <paramref name="bCount"/>) (column sums: A tiles against B; row sums: B tiles against A).</summary>
    private int ExactItems(int aCount, int bCount)
    {
        int tiles = (aCount + Tiles.Particles - 1) / Tiles.Particles;
        if (_items.Length < tiles)
        {
            _items = new PairWorkItem[tiles];
        }

        for (int t = 0; t < tiles; t++)
        {
            _items[t] = new PairWorkItem(t, Math.Min(Tiles.Particles, aCount - (t * Tiles.Particles)), 0, bCount);
        }

        return tiles;
    }

    /// <summary>F (potential) or U (confinement) at a slot of a prepared side; 0 when the model has none.</summary>
    private double SideValue(PairSide side, int slot, bool potential, FinishScratch scratch)
    {
        if (potential ? !_layout.HasPotential : !_layout.HasConfinement)
        {
            return 0;
        }

        Span<double> block = scratch.Block.AsSpan(0, _layout.SideInputCount);
        for (int k = 0; k < block.Length; k++)
        {
            block[k] = side.Block[(k * side.Capacity) + slot];
        }

        return potential ? TModel.Potential(block) : TModel.Confinement(block);
    }

    /// <summary>Copies particle i's vectors (V × d row-major) into the scratch and its inputs for the pair (θ_i, θ_i).</summary>
    private double DiagonalKernel(ParticleSet particles, int i, bool gradient, FinishScratch scratch)
    {
        int d = particles.Dimension;
        int s = _scalarCount;
        Span<double> scalars = scratch.Block.AsSpan(0, s);
        for (int k = 0; k < s; k++)
        {
            scalars[k] = particles.Data[(k * particles.Count) + i];
        }

        Span<double> vectors = scratch.Vectors.AsSpan(0, _layout.VectorParameters.Count * d);
        for (int j = 0; j < _layout.VectorParameters.Count; j++)
        {
            particles.Vector(j).Slice(i * d, d).CopyTo(vectors.Slice(j * d, d));
        }

        Span<double> inputs = scratch.Inputs.AsSpan(0, _layout.InputCount);
        InteractionUnit.GatherPair<TModel>(_layout, scalars, vectors, scalars, vectors, d, inputs);
        if (gradient)
        {
            TModel.KernelGradient(inputs, scratch.KernelGradient.AsSpan(0, _layout.GradientCount));
        }

        return TModel.Kernel(inputs);
    }

    /// <summary>Removes c·k(θ_i, θ_i) and its side-A gradient from particle i's sums (self-pair exclusion, batch reweighting).</summary>
    private void SubtractDiagonal(ParticleSet particles, int i, int slot, double coefficient, FinishScratch scratch)
    {
        int d = particles.Dimension;
        int capacity = _particles.Capacity;
        double[] kernelGradient = scratch.KernelGradient;
        double kernel = DiagonalKernel(particles, i, gradient: true, scratch);
        _values[slot] -= coefficient * kernel;
        double[] sums = _engine.Sums;
        int block = _layout.SideInputCount;
        for (int k = 0; k < block; k++)
        {
            sums[(k * capacity) + slot] -= coefficient * kernelGradient[k];
        }

        for (int p = 0; p < _pairCount; p++)
        {
            double g = coefficient * kernelGradient[_layout.PairChannelOffset + p];
            sums[((block + p) * capacity) + slot] -= g;
            Span<double> row = _engine.PairSums[p].AsSpan(slot * d, d);
            ReadOnlySpan<double> second = scratch.Vectors.AsSpan(_layout.PairChannels[p].Second * d, d);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(second, -g, row, row);
        }
    }

    /// <summary>The chain rule from particle i's channel sums (and −∇F + ∇U) to its parameters.</summary>
    private void WriteGradient(ParticleSet particles, ParticleSet gradient, int i, int slot, FinishScratch scratch)
    {
        int n = particles.Count;
        int d = particles.Dimension;
        int s = _scalarCount;
        int block = _layout.SideInputCount;
        int capacity = _particles.Capacity;
        double[] sums = _engine.Sums;
        Span<double> side = scratch.Block.AsSpan(0, block);
        Span<double> sideGradient = scratch.BlockGradient.AsSpan(0, block);
        Span<double> coefficients = scratch.Inputs.AsSpan(0, block);
        for (int k = 0; k < block; k++)
        {
            side[k] = _particles.Block[(k * capacity) + slot];
            coefficients[k] = sums[(k * capacity) + slot];
        }

        if (_layout.HasPotential)
        {
            TModel.PotentialGradient(side, sideGradient);
            System.Numerics.Tensors.TensorPrimitives.Subtract(coefficients, sideGradient, coefficients);
        }

        if (_layout.HasConfinement)
        {
            TModel.ConfinementGradient(side, sideGradient);
            System.Numerics.Tensors.TensorPrimitives.Add(coefficients, sideGradient, coefficients);
        }

        double[] target = gradient.Data;
        for (int k = 0; k < s; k++)
        {
            target[(k * n) + i] = coefficients[k];
        }

        for (int j = 0; j < _layout.VectorParameters.Count; j++)
        {
            gradient.Vector(j).Slice(i * d, d).Clear();
        }

        for (int q = 0; q < _channelCount; q++)
        {
            ParticleChannel channel = _layout.ParticleChannels[q];
            ChannelChainRule.AddParticleChannel(
                channel,
                coefficients[s + q],
                particles.Vector(channel.First).Slice(i * d, d),
                particles.Vector(channel.Second).Slice(i * d, d),
                gradient.Vector(channel.First).Slice(i * d, d),
                gradient.Vector(channel.Second).Slice(i * d, d));
        }

        for (int p = 0; p < _pairCount; p++)
        {
            PairChannel channel = _layout.PairChannels[p];
            ChannelChainRule.AddPairChannelSums(
                channel.Kind,
                sums[((block + p) * capacity) + slot],
                _engine.PairSums[p].AsSpan(slot * d, d),
                particles.Vector(channel.First).Slice(i * d, d),
                gradient.Vector(channel.First).Slice(i * d, d));
        }
    }

    /// <summary>Grows the per-call buffers for dimension d and a capacity of slots (never shrinks).</summary>
    private void EnsureScratch(int dimension, int capacity)
    {
        int input = Math.Max(_layout.InputCount, 1);
        foreach (FinishScratch scratch in _finishScratch)
        {
            Grow(ref scratch.Block, input);
            Grow(ref scratch.BlockGradient, input);
            Grow(ref scratch.Inputs, input);
            Grow(ref scratch.KernelGradient, input);
            Grow(ref scratch.Vectors, Math.Max(1, _layout.VectorParameters.Count * dimension));
        }

        Grow(ref _values, capacity);
        Grow(ref _particleValues, capacity);
        Grow(ref _energyTerms, capacity);
        Grow(ref _referenceValues, capacity);
        Grow(ref _diagonalCoefficient, capacity);
        if (_slotOf.Length < capacity)
        {
            _slotOf = new int[capacity];
            _permutation = new int[capacity];
        }

        int tiles = capacity / Tiles.Particles;
        if (_items.Length < tiles)
        {
            _items = new PairWorkItem[tiles];
        }
    }

    private static void Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new double[length];
        }
    }

    private void RequireParticles(ParticleSet particles, string paramName)
    {
        ArgumentNullException.ThrowIfNull(particles, paramName);
        if (!particles.Layout.Equals(_layout))
        {
            throw new ArgumentException($"{paramName} holds parameters of {particles.Layout.ModelName}; this evaluator is for {_layout.ModelName}.", paramName);
        }

        if (_reference is not null && particles.Dimension != _referenceDimension)
        {
            throw new ArgumentException($"{paramName} has dimension {particles.Dimension}; the reference measure has {_referenceDimension}.", paramName);
        }

        FiniteCheck.Require(particles, paramName);
        RequireWeights(particles, paramName, paramName);
    }

    private static void RequireWeights(ParticleSet set, string what, string paramName)
    {
        ReadOnlySpan<double> weights = set.Weights;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= 0) || !double.IsFinite(weights[i]))
            {
                throw new ArgumentException($"{what}.Weights[{i}] is {FiniteCheck.Format(weights[i])}; every weight must be finite and ≥ 0.", paramName);
            }
        }
    }

    /// <summary>One worker's buffers for the per-particle work (sizes in doubles).</summary>
    private sealed class FinishScratch
    {
        /// <summary>One side's block [scalars][channels] (or a particle's scalars).</summary>
        public double[] Block = [];

        /// <summary>∂F or ∂U with respect to the block.</summary>
        public double[] BlockGradient = [];

        /// <summary>A pair's kernel inputs, or the block's summed coefficients.</summary>
        public double[] Inputs = [];

        /// <summary>∂K/∂(inputs) at the self-pair.</summary>
        public double[] KernelGradient = [];

        /// <summary>A particle's vectors, V × d row-major.</summary>
        public double[] Vectors = [];
    }

    /// <summary>The pool's work item for the per-particle pass of <see cref="Gradient"/>: one instance, so a run allocates nothing.</summary>
    private sealed class FinishWork(InteractionEvaluator<TModel> owner) : ITileWork
    {
        public void Execute(int tile, int worker) => owner.FinishTile(tile, owner._finishScratch[worker]);
    }

    /// <summary>Stops the worker threads of an evaluator that was never disposed, when it is collected (see <see cref="NetworkEvaluator{TModel}"/>).</summary>
    private sealed class PoolReleaser(TileWorkerPool pool) : IDisposable
    {
        ~PoolReleaser() => pool.Shutdown();

        public void Dispose() => GC.SuppressFinalize(this);
    }
}
