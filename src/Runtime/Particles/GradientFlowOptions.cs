namespace MeanField;

/// <summary>Settings of a <see cref="GradientFlow{TModel}"/> run. Each setter rejects an invalid value at once.</summary>
public sealed record GradientFlowOptions
{
    private readonly double _stepSize = 0.1;
    private readonly int _maxSteps = 1000;
    private readonly double _tolerance;
    private readonly double _absoluteTolerance;
    private readonly int _threadCount = Math.Min(Environment.ProcessorCount, MaxThreadCount);
    private readonly int _recordEvery = 1;
    private readonly long _pairCacheBudgetBytes = PairScheduleDefaults.DefaultBudgetBytes;
    private readonly PairSchedule _schedule;
    private readonly int _checkpointEvery;
    private readonly string? _checkpointPath;

    /// <summary>η &gt; 0, the Euler step in flow time (θ ← θ − η V(θ)); default 0.1.</summary>
    public double StepSize
    {
        get => _stepSize;
        init => _stepSize = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(StepSize), value, "StepSize must be finite and > 0.");
    }

    /// <summary>The most Euler steps one <see cref="GradientFlow{TModel}.Run"/> takes (≥ 0); default 1000.</summary>
    public int MaxSteps
    {
        get => _maxSteps;
        init => _maxSteps = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, "MaxSteps must be ≥ 0.");
    }

    /// <summary>
    /// Relative stopping tolerance (≥ 0; default 0, i.e. off unless the loss stops changing exactly):
    /// <see cref="GradientFlow{TModel}.Run"/> stops as converged when the loss changed over the last step by
    /// |L_k − L_(k−1)| ≤ Tolerance · |L_(k−1)|.
    /// </summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "Tolerance must be finite and ≥ 0.");
    }

    /// <summary>Absolute stopping tolerance (≥ 0; default 0): the run stops as converged when L_k ≤ AbsoluteTolerance.</summary>
    public double AbsoluteTolerance
    {
        get => _absoluteTolerance;
        init => _absoluteTolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), value, "AbsoluteTolerance must be finite and ≥ 0.");
    }

    /// <summary>The largest <see cref="ThreadCount"/> (and thread count of a <see cref="NetworkEvaluator{TModel}"/>): 1024.</summary>
    public const int MaxThreadCount = Threading.TileWorkerPool.MaxThreadCount;

    /// <summary>Threads for the reductions (1 … <see cref="MaxThreadCount"/>; default <see cref="Environment.ProcessorCount"/>, at most <see cref="MaxThreadCount"/>). Results do not depend on it.</summary>
    public int ThreadCount
    {
        get => _threadCount;
        init => _threadCount = value is >= 1 and <= MaxThreadCount ? value
            : throw new ArgumentOutOfRangeException(nameof(ThreadCount), value, $"ThreadCount must be between 1 and {MaxThreadCount}; got {value}.");
    }

    /// <summary>Record (step, loss) in <see cref="GradientFlow{TModel}.LossHistory"/> and report progress every this many steps (≥ 1; default 1).</summary>
    public int RecordEvery
    {
        get => _recordEvery;
        init => _recordEvery = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(RecordEvery), value, "RecordEvery must be ≥ 1.");
    }

    /// <summary>
    /// Memory budget in bytes for the cached schedule of the gradient (≥ 0; default
    /// <see cref="PairScheduleDefaults.DefaultBudgetBytes"/>, 256 MiB; 0 forces the streaming schedule, with memory
    /// O(n·d + L·d)). When a block of the forward pass's pair channels fits (8·P·64·n bytes per sample tile, n rounded
    /// up to a whole tile, P the pair channels — or the K values a unit keeps per pair where K &gt; P, as softplus and the
    /// Gaussian bump keep two; blocks of about 4 MiB per plane, or the whole 8·P·L·n when that is better and fits) and
    /// <see cref="Schedule"/> allows it, they are kept for the backward pass instead of being recomputed: about a third
    /// less arithmetic for the same bits. See <see cref="NetworkEvaluator{TModel}.PairCacheBudgetBytes"/>.
    /// </summary>
    public long PairCacheBudgetBytes
    {
        get => _pairCacheBudgetBytes;
        init => _pairCacheBudgetBytes = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(PairCacheBudgetBytes), value, "PairCacheBudgetBytes must be ≥ 0.");
    }

    /// <summary>
    /// Which schedule the gradient may use (default <see cref="PairSchedule.Auto"/>: cached when a block of the cache fits
    /// <see cref="PairCacheBudgetBytes"/> and d ≥ <see cref="PairScheduleDefaults.AutoCacheMinimumDimension"/>). The
    /// trajectory is bit-identical for every schedule. See <see cref="NetworkEvaluator{TModel}.Schedule"/>.
    /// </summary>
    public PairSchedule Schedule
    {
        get => _schedule;
        init => _schedule = PairScheduleDefaults.Require(value, nameof(Schedule));
    }

    /// <summary>
    /// Write a checkpoint (<see cref="GradientFlow{TModel}.SaveCheckpoint"/>) to <see cref="CheckpointPath"/>
    /// every this many steps during <see cref="GradientFlow{TModel}.Run"/>, and when it stops (≥ 0; default 0, never).
    /// Writing a file allocates; the steps in between still do not.
    /// </summary>
    public int CheckpointEvery
    {
        get => _checkpointEvery;
        init => _checkpointEvery = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), value, "CheckpointEvery must be ≥ 0 (0 = no checkpoints).");
    }

    /// <summary>
    /// The checkpoint file for <see cref="CheckpointEvery"/> (replaced atomically each time); required when it is &gt; 0.
    /// Null (the default) or a non-blank path; the flow's constructor checks that its directory exists.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string? CheckpointPath
    {
        get => _checkpointPath;
        init => _checkpointPath = value is null || !string.IsNullOrWhiteSpace(value) ? value
            : throw new ArgumentException($"CheckpointPath is blank ('{value}'); name a file, or leave it null for no checkpoints.", nameof(CheckpointPath));
    }

    /// <summary>Optional callback, told (step, loss) at every recorded step.</summary>
    public IProgress<GradientFlowProgress>? Progress { get; init; }
}
