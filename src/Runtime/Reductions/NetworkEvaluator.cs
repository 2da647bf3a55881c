using System.Runtime.Intrinsics;
using MeanField.Reductions;
using MeanField.Threading;

namespace MeanField;

/// <summary>
/// The reduction engine for a two-layer mean-field network f(x) = (1/n) Σ_i φ(x; θ_i): predictions, the energy
/// L(μ) = (1/L) Σ_l ℓ(y_l, f(x_l)) + (1/n) Σ_i U(θ_i), its first variation δL/δμ and its Wasserstein gradient
/// ∇θ δL/δμ, all through the operators generated for <typeparamref name="TModel"/>.
/// </summary>
/// <remarks>
/// <para><b>Schedule.</b> A thin layer on the pairwise tile engine shared with the interaction models
/// (<c>PairEngine</c>, operator φ, side A the particles or probes, side B the samples with x, |x|² and weights):
/// the forward pass is the engine's row sums (per sample, Σ over particles, then / n), the Wasserstein gradient its
/// column gradient sums with the residuals as weights (the unit's value is not evaluated there), followed by the
/// chain rule per particle tile, and the first variation its values-only column sums. Streaming tiles of
/// 64 samples × 64 particles (the default); nothing of size L × n is stored, so memory is O(n·d + L·d). Inside a tile
/// the pair channels v_j·x are a small matrix product into a tile buffer, then the unit (or its gradient) runs on
/// 8/4/2 particles at once (Vector512/256/128, the widest the hardware accelerates).</para>
/// <para><b>Determinism.</b> The forward pass splits the samples into tiles; each sample's sum over particles
/// runs in particle order inside one tile. The backward passes split the particles into tiles; each particle's
/// sum over samples runs over the sample tiles in order. Which thread runs a tile never changes the arithmetic,
/// so results are bit-identical for every <see cref="ThreadCount"/> (for a given machine and SIMD width).</para>
/// <para><b>Cached schedule (chosen automatically).</b> <see cref="WassersteinGradient"/> keeps the forward pass's pair
/// channels for the backward pass, which reads them instead of recomputing them: two tile products per (sample,
/// particle) pair instead of three. It runs block by block of sample tiles — a block's predictions, residuals and share
/// of the particles' gradient sums, the running sums carried to the next block — with blocks of about 4 MiB that stay
/// in the last-level cache (P · 64 · n̄ doubles per sample tile, n̄ the particle count rounded up to a whole tile), as
/// long as one sample tile's block fits <see cref="PairCacheBudgetBytes"/> (default
/// <see cref="PairScheduleDefaults.DefaultBudgetBytes"/>) and <see cref="Schedule"/> allows it (by default when
/// d ≥ <see cref="PairScheduleDefaults.AutoCacheMinimumDimension"/>, where it pays). Every sum runs through the same
/// running values in the same order as streaming, so all schedules and block sizes give identical results.</para>
/// <para><b>Allocation.</b> Buffers are owned and grow only; after a first call with given sizes, calls allocate
/// nothing. Threads come from a persistent pool: dispose the evaluator to stop them.</para>
/// <para><b>Concurrency (enforced).</b> An instance runs one call at a time. A call made while another is running —
/// from another thread, or re-entrantly from a callback — throws <see cref="InvalidOperationException"/> before it
/// touches any state; the running call is unaffected and its results are exact. Use one evaluator per thread.</para>
/// <para><b>Disposal.</b> <see cref="Dispose"/> never blocks. Called during a call (from another thread), it lets that
/// call finish normally, with correct results, and the worker threads are released as the call returns; every later
/// call throws <see cref="ObjectDisposedException"/> naming <c>NetworkEvaluator&lt;TModel&gt;</c>. An evaluator that
/// is never disposed releases its worker threads when it is garbage-collected (a finalizer on a small internal
/// object that the workers do not reference, so they never keep the evaluator alive); dispose it to release them
/// at once.</para>
/// <para><b>Validation.</b> Every call checks its arguments' shapes and, while <see cref="ValidateInputs"/> is true
/// (the default), that particles, probes and raw inputs hold no NaN or ±∞ (one vectorised pass over them, O(n·d + L·d)
/// next to the O(L·n·d) evaluation); a rejected call throws <see cref="ArgumentException"/> naming the argument and
/// the index of the first bad value and changes nothing. <see cref="SampleSet"/> checks its values when it is built.</para>
/// </remarks>
/// <typeparam name="TModel">The generated network model.</typeparam>
public sealed partial class NetworkEvaluator<TModel> : IDisposable
    where TModel : struct, INetworkModel<TModel>
{
    private const int PairTileLength = Tiles.Samples * Tiles.Particles;

    /// <summary>
    /// The forward pass sums over each of this many sections of the particles (contiguous runs of particle tiles) apart,
    /// then adds the sections' sums in order: a fixed number, so the bits do not depend on the thread count. Why: the
    /// cached schedule's backward work item for particle tile p reads the block's cache column of p, which the forward
    /// wrote; with the forward's items cut by sample tiles, half of that column came from the other core (≈ 1 MiB per
    /// block per worker at (4096, 64, 4096)), and on the 2-vCPU Zen 5 a line written by the other core costs ≈ 0.2 µs.
    /// Cut by sections, the forward's items run section-major, so under the pool's contiguous shares worker w of 2
    /// writes the cache columns of section w — the particle tiles of its own share of the backward's items
    /// [NetworkForwardSectionsTests]. 2-thread cached steps 6–10 % faster at d ≤ 64 (specs/performance.md §5, "Shares").
    /// </summary>
    internal const int ForwardSections = 2;

    private readonly NetworkLayout _layout;
    private readonly TileWorkerPool _pool;
    private readonly StatePass _statePass;
    private readonly SimdWidth _width;
    private readonly PairEngine<UnitOperator<TModel>> _engine;
    private readonly PairSide _particles;
    private readonly PairSide _probes;
    private readonly PairSide _samples;
    private readonly WorkerScratch[] _scratch;
    private readonly TileWork _work;
    private readonly int _scalarCount;
    private readonly int _channelCount;
    private readonly int _pairCount;
    private readonly int[] _pairVector;
    private readonly CallGuard _guard;
    private readonly PoolReleaser _releaser;

    // Per-call state read by the tile loops (set on the calling thread before the pool runs).
    private PairWorkItem[] _items = [];
    private double _regularizerSum;
    private ParticleSet? _set;
    private double[] _predictions = [];

    // The forward's sums per section of the particles, section s at offset s · L (see ForwardSections).
    private double[] _sectionSums = [];
    private double[] _residuals = [];
    private double[] _probeValues = [];
    private double[] _rawInputs = [];
    private double[] _rawNorms = [];
    private ParticleSet? _velocity;
    private long _pairCacheBudget = PairScheduleDefaults.DefaultBudgetBytes;
    private PairSchedule _schedule;
    private double[] _pairCache = [];
    private bool _cacheInUse;
    private readonly PairEngine<UnitOperator<TModel>>.ColumnCarry _carry = new();

    /// <summary>An evaluator using <see cref="Environment.ProcessorCount"/> threads (at most <see cref="GradientFlowOptions.MaxThreadCount"/>).</summary>
    public NetworkEvaluator()
        : this(Math.Min(Environment.ProcessorCount, TileWorkerPool.MaxThreadCount))
    {
    }

    /// <summary>An evaluator using <paramref name="threadCount"/> threads (the calling thread included).</summary>
    /// <param name="threadCount">1 … <see cref="GradientFlowOptions.MaxThreadCount"/> (1024). Results do not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is outside 1 … 1024.</exception>
    public NetworkEvaluator(int threadCount)
        : this(threadCount, SimdWidth.Auto)
    {
    }

    internal NetworkEvaluator(int threadCount, SimdWidth width)
    {
        if (threadCount is < 1 or > TileWorkerPool.MaxThreadCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(threadCount), threadCount, $"The thread count must be between 1 and {TileWorkerPool.MaxThreadCount}; got {threadCount}.");
        }

        _layout = TModel.Layout;
        _width = width != SimdWidth.Auto ? width
            : Vector512.IsHardwareAccelerated ? SimdWidth.V512
            : Vector256.IsHardwareAccelerated ? SimdWidth.V256
            : Vector128.IsHardwareAccelerated ? SimdWidth.V128
            : SimdWidth.Scalar;
        _scalarCount = _layout.ScalarCount;
        _channelCount = _layout.ParticleChannelCount;
        _pairCount = _layout.PairChannelCount;
        _pairVector = [.. _layout.PairChannels];
        _particles = new PairSide(_layout);
        _probes = new PairSide(_layout);
        _samples = new PairSide();
        _scratch = new WorkerScratch[threadCount];
        for (int t = 0; t < threadCount; t++)
        {
            _scratch[t] = new WorkerScratch();
        }

        _work = new TileWork(this);
        _pool = new TileWorkerPool(threadCount);
        _statePass = new StatePass(_pool);
        _engine = new PairEngine<UnitOperator<TModel>>(PairLayout.For(_layout), _pool, _width);
        _guard = new CallGuard(PublicName, _pool.Shutdown);
        _releaser = new PoolReleaser(_pool);
    }

    /// <summary>The type as users write it, for messages: <c>NetworkEvaluator&lt;TanhRidge&gt;</c>.</summary>
    private static string PublicName { get; } = $"NetworkEvaluator<{typeof(TModel).Name}>";

    /// <summary>
    /// Whether each call checks particles, probes and raw inputs for NaN and ±∞ (default true). Set it to false only
    /// for inputs known to be finite: a non-finite value then propagates into the results (NaN, or for ±∞ inputs
    /// possibly finite wrong numbers). Shapes, nulls, disposal and concurrent use are always checked.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The evaluator has been disposed.</exception>
    /// <exception cref="InvalidOperationException">A call is running (another thread, or a callback).</exception>
    public bool ValidateInputs
    {
        get => _validateInputs;
        set
        {
            using var call = _guard.Enter();
            _validateInputs = value;
        }
    }

    private bool _validateInputs = true;

    /// <summary>
    /// The largest pair cache the evaluator will try to allocate whatever the budget: half the memory available to the
    /// process (settable for tests). Beyond it, or when the allocation fails, the streaming schedule runs.
    /// </summary>
    internal long PairCacheMemoryLimitBytes { get; set; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>
    /// The largest block of the pair cache, in bytes per 64 × 64 plane of each (A tile, B tile) block (see
    /// <c>EnsurePairCache</c>): the cached schedule runs block by block of sample tiles when the whole cache is larger
    /// (settable for tests and measurements).
    /// </summary>
    internal long PairCacheBlockBytes { get; set; } = 4L << 20;

    /// <summary>The worker pool (for tests).</summary>
    internal TileWorkerPool Pool => _pool;

    /// <summary>The number of threads the tile loops use.</summary>
    public int ThreadCount => _pool.ThreadCount;

    /// <summary>Bytes allocated by the evaluator's background worker threads (see <see cref="TileWorkerPool.BackgroundAllocatedBytes"/>).</summary>
    internal long WorkerAllocatedBytes => _pool.BackgroundAllocatedBytes;

    /// <summary>The layout of <typeparamref name="TModel"/>.</summary>
    public NetworkLayout Layout => _layout;

    /// <summary>
    /// Memory budget, in bytes, for the <em>cached</em> schedule of <see cref="WassersteinGradient"/> (default
    /// <see cref="PairScheduleDefaults.DefaultBudgetBytes"/>, 256 MiB); 0 forces the streaming schedule, whose memory is
    /// O(n·d + L·d).
    /// </summary>
    /// <remarks>
    /// The cache runs block by block of sample tiles: the forward pass stores the pair channels v_j·x_l of a block's
    /// samples against every particle, 8 · P · 64 · n̄ bytes per sample tile (P pair channels — or the K values the unit
    /// keeps per pair where K &gt; P, <see cref="INetworkModel{TSelf}.CutCount"/>; n̄ the particle count rounded up to a
    /// multiple of 64), and the backward pass reuses them instead of recomputing them (one tile product of depth d per
    /// pair saved, about a third of the arithmetic). A block holds about 4 MiB per plane where that gives every
    /// thread a sample tile; otherwise the whole cache (8 · P · L̄ · n̄ bytes) when it fits the budget, else one sample
    /// tile per thread, always within the budget. When not even one sample tile's block fits, or for the other
    /// evaluations, the streaming schedule runs. Results are bit-identical either way. The cache is allocated on the
    /// first call that uses it, kept for later calls (it grows only), and released when the budget is lowered below
    /// its size. The budget counts the cached values; the array is pinned and has 64 bytes more, so that its blocks start
    /// on cache lines.
    /// </remarks>
    /// <remarks>A budget larger than the memory available (or than one array holds) is accepted: for sizes whose cache
    /// cannot be allocated, the streaming schedule runs instead (see <see cref="LastGradientUsedPairCache"/>).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    /// <exception cref="ObjectDisposedException">The evaluator has been disposed.</exception>
    /// <exception cref="InvalidOperationException">A call is running (another thread, or a callback).</exception>
    public long PairCacheBudgetBytes
    {
        get => _pairCacheBudget;
        set
        {
            using var call = _guard.Enter();
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(PairCacheBudgetBytes));
            _pairCacheBudget = value;
            if ((long)Math.Max(0, _pairCache.Length - AlignedArrays.Slack) * sizeof(double) > value) // the cached values; the slack is alignment
            {
                _pairCache = [];
            }
        }
    }

    /// <summary>
    /// Which schedule <see cref="WassersteinGradient"/> may use (default <see cref="PairSchedule.Auto"/>): the cache is
    /// used when it fits <see cref="PairCacheBudgetBytes"/> and, for <see cref="PairSchedule.Auto"/>, when the input
    /// dimension is at least <see cref="PairScheduleDefaults.AutoCacheMinimumDimension"/>. Results are bit-identical
    /// either way; see <see cref="LastGradientUsedPairCache"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="PairSchedule"/>.</exception>
    /// <exception cref="ObjectDisposedException">The evaluator has been disposed.</exception>
    /// <exception cref="InvalidOperationException">A call is running (another thread, or a callback).</exception>
    public PairSchedule Schedule
    {
        get => _schedule;
        set
        {
            using var call = _guard.Enter();
            _schedule = PairScheduleDefaults.Require(value, nameof(Schedule));
        }
    }

    /// <summary>Whether the latest <see cref="WassersteinGradient"/> ran the cached schedule.</summary>
    public bool LastGradientUsedPairCache { get; private set; }

    /// <summary>
    /// The sample tiles per block of the latest <see cref="WassersteinGradient"/>'s cache (0: it streamed; ⌈L / 64⌉ or
    /// more: one block, the whole cache). For tests and measurements.
    /// </summary>
    internal int LastCacheBlockTiles { get; private set; }

    /// <summary>Doubles per SIMD vector in the tile loops (8, 4, 2 or 1).</summary>
    internal int LaneCount => (int)_width;

    /// <summary>f(x_l) = (1/n) Σ_i φ(x_l; θ_i) at every sample.</summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, dimension d.</param>
    /// <param name="samples">L samples of dimension d (targets unused).</param>
    /// <param name="predictions">Length L; receives f(x_l).</param>
    public void Predict(ParticleSet particles, SampleSet samples, Span<double> predictions)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        RequireSamples(samples, particles);
        RequireLength(predictions.Length, samples.Count, nameof(predictions));
        RequireFinite(particles, nameof(particles));
        Forward(particles, samples.InputArray, samples.SquaredNormArray, samples.Count, regularizerSum: false);
        _predictions.AsSpan(0, samples.Count).CopyTo(predictions);
    }

    /// <summary>f(x) = (1/n) Σ_i φ(x; θ_i) at every row of <paramref name="inputs"/>.</summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, dimension d.</param>
    /// <param name="inputs">L × d, row-major, with L = <paramref name="predictions"/>.Length ≥ 1.</param>
    /// <param name="predictions">Length L; receives f at each row.</param>
    public void Predict(ParticleSet particles, ReadOnlySpan<double> inputs, Span<double> predictions)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        int d = particles.Dimension;
        if (predictions.IsEmpty)
        {
            throw new ArgumentException("predictions is empty; it needs one slot per input row.", nameof(predictions));
        }

        if (inputs.Length != (long)predictions.Length * d)
        {
            throw new ArgumentException(
                $"inputs has {inputs.Length} values; {predictions.Length} rows of the particles' dimension {d} need {(long)predictions.Length * d}.",
                nameof(inputs));
        }

        RequireFinite(particles, nameof(particles));
        if (_validateInputs)
        {
            FiniteCheck.Require(inputs, d, nameof(inputs));
        }

        int count = predictions.Length;
        if (_rawInputs.Length < inputs.Length)
        {
            _rawInputs = new double[inputs.Length];
        }

        if (_rawNorms.Length < count)
        {
            _rawNorms = new double[count];
        }

        inputs.CopyTo(_rawInputs);
        for (int l = 0; l < count; l++)
        {
            ReadOnlySpan<double> x = inputs.Slice(l * d, d);
            _rawNorms[l] = System.Numerics.Tensors.TensorPrimitives.Dot(x, x);
        }

        Forward(particles, _rawInputs, _rawNorms, count, regularizerSum: false);
        _predictions.AsSpan(0, count).CopyTo(predictions);
    }

    /// <summary>The energy L(μ) = (1/L) Σ_l ℓ(y_l, f(x_l)) + (1/n) Σ_i U(θ_i) of the empirical measure of the particles.</summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, dimension d.</param>
    /// <param name="samples">L samples of dimension d.</param>
    public double Loss(ParticleSet particles, SampleSet samples)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        RequireSamples(samples, particles);
        RequireFinite(particles, nameof(particles));
        Forward(particles, samples.InputArray, samples.SquaredNormArray, samples.Count, regularizerSum: true);
        return ComputeResidualsAndLoss(samples, particles.Count);
    }

    /// <summary>
    /// The first variation δL/δμ(θ) = (1/L) Σ_l ∂ℓ/∂ŷ(y_l, f(x_l)) φ(x_l; θ) + U(θ) at every probe θ, where f is the
    /// network of <paramref name="particles"/> (defined up to an additive constant; this is the one with no constant).
    /// </summary>
    /// <param name="particles">n particles (the measure μ), dimension d.</param>
    /// <param name="samples">L samples of dimension d.</param>
    /// <param name="probes">m points θ of the same layout and dimension (any m).</param>
    /// <param name="values">Length m; receives δL/δμ at each probe.</param>
    public void FirstVariation(ParticleSet particles, SampleSet samples, ParticleSet probes, Span<double> values)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        RequireSamples(samples, particles);
        RequireParticles(probes, nameof(probes));
        if (probes.Dimension != particles.Dimension)
        {
            throw new ArgumentException($"probes has dimension {probes.Dimension}; the particles have {particles.Dimension}.", nameof(probes));
        }

        RequireLength(values.Length, probes.Count, nameof(values));
        RequireFinite(particles, nameof(particles));
        RequireFinite(probes, nameof(probes));
        Forward(particles, samples.InputArray, samples.SquaredNormArray, samples.Count, regularizerSum: false);
        ComputeResidualsAndLoss(samples, particles.Count);
        _probes.Prepare(probes, [], 0, _pool);
        if (_probeValues.Length < probes.Count)
        {
            _probeValues = new double[probes.Count];
        }

        // Σ_l (r_l / L) φ(x_l; θ) per probe: the values-only column sums with the residuals as the samples' weights.
        int tiles = ColumnItems(probes.Count, samples.Count);
        _engine.Run(_probes, _samples, _items, tiles, _probeValues, gradients: false, accumulate: false);
        if (_layout.HasRegularizer)
        {
            _set = probes;
            try
            {
                _pool.Run(_work, tiles);
            }
            finally
            {
                _set = null;
            }
        }

        _probeValues.AsSpan(0, probes.Count).CopyTo(values);
    }

    /// <summary>
    /// The Wasserstein gradient (particle velocity field) V(θ_i) = ∇θ δL/δμ(θ_i)
    /// = (1/L) Σ_l ∂ℓ/∂ŷ(y_l, f(x_l)) ∇θ φ(x_l; θ_i) + ∇U(θ_i) at every particle; V(θ_i) = n · ∂L/∂θ_i.
    /// </summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, dimension d.</param>
    /// <param name="samples">L samples of dimension d.</param>
    /// <param name="velocity">A different set of the same shape; receives V(θ_i) for every scalar and vector parameter.</param>
    /// <returns>The energy L(μ) at the particles (from the same forward pass).</returns>
    public double WassersteinGradient(ParticleSet particles, SampleSet samples, ParticleSet velocity)
    {
        using var call = _guard.Enter();
        RequireParticles(particles, nameof(particles));
        RequireSamples(samples, particles);
        particles.RequireSameShape(velocity, nameof(velocity));
        if (ReferenceEquals(velocity, particles))
        {
            throw new ArgumentException("velocity must be a different set from particles (it is written while particles are read).", nameof(velocity));
        }

        RequireFinite(particles, nameof(particles));

        LastGradientUsedPairCache = false;
        LastCacheBlockTiles = 0;
        int count = samples.Count;
        int sampleTiles = (count + Tiles.Samples - 1) / Tiles.Samples;
        int blockTiles = EnsurePairCache(count, particles.Count, particles.Dimension);
        if (blockTiles == 0)
        {
            blockTiles = sampleTiles; // streaming: one pass over all the samples
        }

        bool blocked = blockTiles < sampleTiles;
        try
        {
            PrepareForward(particles, samples.InputArray, samples.SquaredNormArray, count, regularizerSum: true);
            _samples.PackSamples();
            _set = particles;
            _velocity = velocity;
            if (blocked)
            {
                _carry.Ensure(
                    (particles.Count + Tiles.Particles - 1) / Tiles.Particles, _layout.ScalarCount + _layout.ParticleChannelCount + _pairCount,
                    _pairCount, particles.Dimension);
            }

            // Block by block of sample tiles (one block unless the blocked cache runs): the block's predictions (row
            // sums over every particle, its pair channels or kept values into the cache), its residuals, then its
            // share of Σ_l (r_l / L) ∇φ per particle (column gradient sums, no values) on the carried running sums;
            // after the last block each particle tile's chain rule is applied by the sink. Each sum runs in the same
            // order through the same running values whatever the blocks: the streaming schedule's bits.
            double cost = 0;
            for (int t0 = 0; t0 < sampleTiles; t0 += blockTiles)
            {
                int t1 = Math.Min(sampleTiles, t0 + blockTiles);
                int first = t0 * Tiles.Samples;
                int end = Math.Min(count, t1 * Tiles.Samples);
                _engine.UseCache(_cacheInUse ? _pairCache : null, blockTiles, t0);
                _engine.UseCarry(blocked ? _carry : null, resume: t0 > 0, finish: t1 == sampleTiles);
                RowSums(particles.Count, t0, t1, count);
                cost = AddResidualsAndCost(samples, first, end, cost);
                int tiles = ColumnItems(particles.Count, first, end);
                _engine.Run(_particles, _samples, _items, tiles, _probeValues, gradients: true, accumulate: false, valueSums: false, sink: _work);
            }

            LastGradientUsedPairCache = _cacheInUse;
            LastCacheBlockTiles = _cacheInUse ? blockTiles : 0;
            return (cost / count) + (_regularizerSum / particles.Count);
        }
        finally
        {
            _engine.UseCache(null, 0);
            _engine.UseCarry(null, resume: false, finish: true);
            _set = null;
            _velocity = null;
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

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the public type if the evaluator has been disposed.</summary>
    internal void ThrowIfDisposed() => _guard.ThrowIfDisposed();

    private void Forward(ParticleSet particles, double[] x, double[] squaredNorms, int sampleCount, bool regularizerSum)
    {
        PrepareForward(particles, x, squaredNorms, sampleCount, regularizerSum);
        RowSums(particles.Count, 0, (sampleCount + Tiles.Samples - 1) / Tiles.Samples, sampleCount);
    }

    /// <summary>The particles and samples placed on their sides, the regularizer's sum, the buffers grown.</summary>
    private void PrepareForward(ParticleSet particles, double[] x, double[] squaredNorms, int sampleCount, bool regularizerSum)
    {
        int n = particles.Count;
        _particles.Prepare(particles, [], 0, _pool);
        _particles.Weights.AsSpan(0, n).Fill(1.0);
        _regularizerSum = 0;
        if (regularizerSum && _layout.HasRegularizer)
        {
            Span<double> inputs = stackalloc double[_scalarCount + _channelCount];
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                GatherRegularizerInputs(_particles, i, inputs);
                sum += TModel.Regularizer(inputs);
            }

            _regularizerSum = sum;
        }

        if (_predictions.Length < sampleCount)
        {
            _predictions = new double[sampleCount];
            _residuals = new double[sampleCount];
            _sectionSums = new double[ForwardSections * sampleCount];
        }

        foreach (WorkerScratch scratch in _scratch)
        {
            scratch.Ensure(_scalarCount + _channelCount);
        }

        _samples.UseSamples(x, _layout.UsesSquaredNormOfInput ? squaredNorms : null, sampleCount, particles.Dimension, _residuals);
    }

    /// <summary>
    /// f(x_l) = (1/n) Σ_i φ(x_l; θ_i) for the samples of sample tiles [<paramref name="t0"/>, <paramref name="t1"/>):
    /// the row sums (weight 1 per particle), one per section of the particles (<see cref="ForwardSections"/>), added in
    /// section order. A work item holds G sample tiles, so each particle tile is fetched once per G sample tiles (G ≤
    /// 16, and at least 2 items per thread where the samples allow it, for the balance); the sums do not depend on G
    /// nor on the thread count.
    /// </summary>
    private void RowSums(int n, int t0, int t1, int sampleCount)
    {
        int sections = SectionCount(n);
        EnsureItems(sections * (t1 - t0));
        int items = ForwardItems(_items, n, t0, t1, sampleCount, _pool.ThreadCount);
        _engine.RunRowSums(_particles, _samples, _items, items, _sectionSums);
        int end = Math.Min(sampleCount, t1 * Tiles.Samples);
        for (int l = t0 * Tiles.Samples; l < end; l++)
        {
            double sum = _sectionSums[l];
            for (int s = 1; s < sections; s++)
            {
                sum += _sectionSums[(s * sampleCount) + l];
            }

            _predictions[l] = sum / n;
        }
    }

    /// <summary>
    /// The forward row sums' work items for sample tiles [<paramref name="t0"/>, <paramref name="t1"/>): section-major,
    /// section s (of min(<see cref="ForwardSections"/>, particle tiles)) over particle tiles [P·s/S, P·(s + 1)/S), each
    /// section's groups of G consecutive sample tiles (G ≤ 16, at least 2 items per thread where the samples allow it),
    /// writing its sums at offset s · <paramref name="sampleCount"/>. Returns the item count.
    /// </summary>
    internal static int ForwardItems(PairWorkItem[] items, int n, int t0, int t1, int sampleCount, int threads)
    {
        int tiles = t1 - t0;
        int particleTiles = (n + Tiles.Particles - 1) / Tiles.Particles;
        int sections = SectionCount(n);
        int group = Math.Clamp(tiles * sections / (2 * threads), 1, PairEngine<UnitOperator<TModel>>.RowGroupTiles);
        int groups = (tiles + group - 1) / group;
        for (int s = 0; s < sections; s++)
        {
            int start = particleTiles * s / sections * Tiles.Particles;
            int stop = Math.Min(n, particleTiles * (s + 1) / sections * Tiles.Particles);
            for (int t = 0; t < groups; t++)
            {
                int tile = t0 + (t * group);
                int first = tile * Tiles.Samples;
                items[(s * groups) + t] = new PairWorkItem(
                    tile, Math.Min(Math.Min(group, t1 - tile) * Tiles.Samples, sampleCount - first), start, stop, s * sampleCount);
            }
        }

        return sections * groups;
    }

    /// <summary>The forward's sections for <paramref name="n"/> particles: <see cref="ForwardSections"/>, or fewer where there are fewer particle tiles.</summary>
    internal static int SectionCount(int n) => Math.Min(ForwardSections, (n + Tiles.Particles - 1) / Tiles.Particles);

    /// <summary>One work item per tile of <paramref name="count"/> side-A points against all the samples; returns the count.</summary>
    private int ColumnItems(int count, int sampleCount) => ColumnItems(count, 0, sampleCount);

    /// <summary>One work item per tile of <paramref name="count"/> side-A points against samples [<paramref name="first"/>, <paramref name="end"/>).</summary>
    private int ColumnItems(int count, int first, int end)
    {
        int tiles = (count + Tiles.Particles - 1) / Tiles.Particles;
        EnsureItems(tiles);
        for (int t = 0; t < tiles; t++)
        {
            _items[t] = new PairWorkItem(t, Math.Min(Tiles.Particles, count - (t * Tiles.Particles)), first, end);
        }

        return tiles;
    }

    private void EnsureItems(int count)
    {
        if (_items.Length < count)
        {
            _items = new PairWorkItem[count];
        }
    }

    /// <summary>Writes slot i's regularizer inputs [scalars (S)][particle channels (Q)] from a prepared side.</summary>
    private static void GatherRegularizerInputs(PairSide side, int i, Span<double> inputs)
    {
        int capacity = side.Capacity;
        double[] block = side.Block;
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = block[(k * capacity) + i];
        }
    }

    /// <summary>
    /// How many sample tiles one block of the pair cache holds for L samples and n particles of dimension d (the cache
    /// allocated for it), or 0 when the schedule streams. The blocked cache: a block of B sample tiles holds the pair
    /// channels (or kept values) of B · 64 samples against every particle, max(P, K) · 64 · n̄ · B doubles, as many tiles as
    /// fit both <see cref="PairCacheBlockBytes"/> per plane and <see cref="PairCacheBudgetBytes"/> (at least one where one fits
    /// the budget); B ≥ ⌈L / 64⌉ is the whole cache in one block.
    /// </summary>
    private int EnsurePairCache(int sampleCount, int particleCount, int dimension)
    {
        _cacheInUse = false;
        if (_pairCacheBudget <= 0 || _pairCount == 0 || _schedule == PairSchedule.Streaming
            || (_schedule == PairSchedule.Auto && dimension < PairScheduleDefaults.AutoCacheMinimumDimension))
        {
            return 0;
        }

        long sampleTiles = (sampleCount + Tiles.Samples - 1) / Tiles.Samples;
        long particleTiles = (particleCount + Tiles.Particles - 1) / Tiles.Particles;
        long tileLength = particleTiles * _engine.CachePlanes * PairTileLength; // one sample tile against every particle (P channels or K kept values)
        // Measured on a 2-core Zen 4, 2 threads, ms per step (specs/performance.md §5): blocks of about 4 MiB stay in the
        // last-level cache and beat the whole cache by 18–30 % at d ≤ 64 ((4096, 64, 4096) tanh 70.1 → 57.4); where one
        // sample tile per thread is already larger, the whole cache wins when it fits ((1024, 256, 16384) tanh 203 against
        // 243 in blocks of 2 tiles: the forward pass then re-reads the packed particles for every sample tile), and a
        // cache that does not fit runs blocks of one sample tile per thread, the least memory (L = n = 65536, d = 64:
        // 19.1 s a step in 373 MB peak against 18.6 s in 564 MB with 8 tiles).
        // The block's size in sample tiles follows one plane (a unit that keeps two values per pair, softplus or the
        // Gaussian bump, runs the tanh unit's blocks with twice the bytes: (4096, 64, 4096) softplus, 2 threads, 75–81 ms
        // a step in blocks of 2 tiles against 76–82 ms with the whole 268 MB cache, 66 MB peak against 310 MB).
        long target = PairCacheBlockBytes / sizeof(double);
        long planeTileLength = tileLength / _engine.CachePlanes;
        long budgetTiles = Math.Min(_pairCacheBudget / sizeof(double), Array.MaxLength - AlignedArrays.Slack) / tileLength;
        int threads = _pool.ThreadCount;
        long blockTiles = target / planeTileLength >= threads ? target / planeTileLength
            : sampleTiles <= budgetTiles ? sampleTiles
            : threads;
        blockTiles = Math.Min(Math.Min(blockTiles, sampleTiles), budgetTiles);
        if (blockTiles < 1)
        {
            return 0; // not even one sample tile's block fits the budget: stream
        }

        long length = blockTiles * tileLength;
        if (_pairCache.Length < length + AlignedArrays.Slack)
        {
            _pairCache = []; // let the old one go before the new one is touched
            if (length * sizeof(double) > PairCacheMemoryLimitBytes)
            {
                return 0; // a budget beyond the machine's memory: stream instead of running out of memory
            }

            try
            {
                _pairCache = AlignedArrays.AllocatePadded(length); // pinned, used from its first line boundary (AlignedArrays)
            }
            catch (OutOfMemoryException)
            {
                return 0; // the memory is not there after all: stream
            }
        }

        _cacheInUse = true;
        return (int)blockTiles;
    }

    /// <summary>r_l / L with r_l = ∂ℓ/∂ŷ(y_l, f(x_l)), into <c>_residuals</c>; returns the energy.</summary>
    private double ComputeResidualsAndLoss(SampleSet samples, int particleCount) =>
        (AddResidualsAndCost(samples, 0, samples.Count, 0) / samples.Count) + (_regularizerSum / particleCount);

    /// <summary>
    /// r_l / L into <c>_residuals</c> for l in [<paramref name="first"/>, <paramref name="end"/>); returns
    /// <paramref name="cost"/> + Σ ℓ(y_l, f(x_l)) over them, added in order (so blocks give the one-pass sum's bits).
    /// </summary>
    private double AddResidualsAndCost(SampleSet samples, int first, int end, double cost)
    {
        ReadOnlySpan<double> y = samples.Targets;
        int count = samples.Count;
        for (int l = first; l < end; l++)
        {
            double prediction = _predictions[l];
            cost += TModel.Cost(y[l], prediction);
            _residuals[l] = TModel.CostDerivative(y[l], prediction) / count;
        }

        return cost;
    }

    private void RequireParticles(ParticleSet particles, string paramName)
    {
        ArgumentNullException.ThrowIfNull(particles, paramName);
        if (!particles.Layout.Equals(_layout))
        {
            throw new ArgumentException(
                $"{paramName} holds parameters of {particles.Layout.ModelName}; this evaluator is for {_layout.ModelName}.", paramName);
        }
    }

    private void RequireFinite(ParticleSet particles, string paramName)
    {
        // The scan on every worker first (a 34 MB state at (n, d) = (16384, 256)); the element-by-element search that
        // names the first bad value only when it fails.
        if (_validateInputs && !_statePass.AllFinite(particles.Data))
        {
            FiniteCheck.Require(particles, paramName);
        }
    }

    private static void RequireSamples(SampleSet samples, ParticleSet particles)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Dimension != particles.Dimension)
        {
            throw new ArgumentException(
                $"samples has dimension {samples.Dimension}; the particles have dimension {particles.Dimension}.", nameof(samples));
        }
    }

    private static void RequireLength(int actual, int expected, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{paramName} has length {actual}; expected exactly {expected}.", paramName);
        }
    }

    /// <summary>
    /// Stops the worker threads of an evaluator that was never disposed, when it is collected. It is a separate object
    /// holding only the pool: the workers reference the pool, never the evaluator, so they cannot keep it (or this
    /// object) alive; the finalizer only signals the workers (it never blocks the finalizer thread).
    /// </summary>
    private sealed class PoolReleaser(TileWorkerPool pool) : IDisposable
    {
        ~PoolReleaser() => pool.Shutdown();

        /// <summary>The evaluator was disposed (its guard releases the pool): nothing is left to do at collection.</summary>
        public void Dispose() => GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The per-tile finishing passes, one instance (so running one allocates nothing): the probes' regularizer as a pool
    /// work item, the chain rule as the engine's column sink.
    /// </summary>
    private sealed class TileWork(NetworkEvaluator<TModel> owner) : ITileWork, IPairColumnSink
    {
        public void Execute(int tile, int worker) => owner.AddProbeRegularizer(tile, owner._scratch[worker]);

        public void Write(int slot, int count, int lane, ReadOnlySpan<double> sums, ReadOnlySpan<double> pairSums, int worker) =>
            owner.WriteVelocities(slot, count, lane, sums, pairSums, owner._scratch[worker]);
    }

    /// <summary>One worker's buffers: the S + Q regularizer inputs and gradient.</summary>
    private sealed class WorkerScratch
    {
        public double[] RegularizerInputs = [];

        public double[] RegularizerGradient = [];

        public void Ensure(int regularizerCount)
        {
            Grow(ref RegularizerInputs, regularizerCount);
            Grow(ref RegularizerGradient, regularizerCount);
        }

        private static void Grow(ref double[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = new double[length];
            }
        }
    }
}
