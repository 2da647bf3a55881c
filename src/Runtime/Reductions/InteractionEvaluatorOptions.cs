namespace MeanField;

/// <summary>How <see cref="InteractionEvaluator{TModel}.Gradient"/> evaluates the interaction sums.</summary>
public enum InteractionMethod
{
    /// <summary>Every pair: O(n²) kernel evaluations per step.</summary>
    Exact,

    /// <summary>
    /// The Random Batch Method (Jin–Li–Liu 2020): each step a random partition of the particles into batches of
    /// <see cref="InteractionEvaluatorOptions.BatchSize"/>, interactions only inside a batch, reweighted to stay
    /// unbiased: O(n·p) kernel evaluations per step.
    /// </summary>
    RandomBatch,
}

/// <summary>Settings of an <see cref="InteractionEvaluator{TModel}"/>. Each setter rejects an invalid value at once.</summary>
public sealed record InteractionEvaluatorOptions
{
    private readonly int _threadCount = Math.Min(Environment.ProcessorCount, GradientFlowOptions.MaxThreadCount);
    private readonly InteractionMethod _method = InteractionMethod.Exact;
    private readonly int _batchSize = 64;
    private readonly ParticleSet? _reference;

    /// <summary>
    /// Whether a particle interacts with itself (default true). Included: E(μ) = ½ Σ_i Σ_j w_i w_j K(θ_i, θ_j) + …, the
    /// energy of the measure μ itself (for a positive semi-definite K, ½∬K d(μ − ν)d(μ − ν) ≥ 0 with equality at μ = ν),
    /// and V(θ_i) = Σ_j w_j K(θ_i, θ_j) + …. Excluded: the terms j = i are left out of both sums (the energy of n
    /// distinct interacting particles); the constant ½∬K dν dν keeps its diagonal.
    /// </summary>
    public bool IncludeSelfPair { get; init; } = true;

    /// <summary>Exact (default) or the Random Batch Method, for <see cref="InteractionEvaluator{TModel}.Gradient"/> (the other
    /// methods are always exact).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined method.</exception>
    public InteractionMethod Method
    {
        get => _method;
        init => _method = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Method), value, $"Method must be Exact or RandomBatch; got {(int)value}.");
    }

    /// <summary>p ≥ 2, the batch size of the Random Batch Method (default 64); p ≥ n gives one batch, the exact sums.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 2.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 2 ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"BatchSize must be ≥ 2 (a batch of one has no interactions); got {value}.");
    }

    /// <summary>The seed of the Random Batch Method's partitions: step k's partition is a function of (Seed, k) only.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads for the reductions (1 … <see cref="GradientFlowOptions.MaxThreadCount"/>; default <see cref="Environment.ProcessorCount"/>, capped). Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 … 1024.</exception>
    public int ThreadCount
    {
        get => _threadCount;
        init => _threadCount = value is >= 1 and <= GradientFlowOptions.MaxThreadCount ? value
            : throw new ArgumentOutOfRangeException(nameof(ThreadCount), value, $"ThreadCount must be between 1 and {GradientFlowOptions.MaxThreadCount}; got {value}.");
    }

    /// <summary>
    /// An optional reference measure ν = Σ_k ν_k δ_{θ*_k} (a set of the model's layout, weighted), e.g. a teacher: the
    /// energy becomes E(μ) = ½∬K d(μ − ν)d(μ − ν) − ∫F dμ + ∫U dμ, i.e. the teacher potential F_ν(θ) = ∫K(θ, θ′) dν(θ′)
    /// is subtracted from the first variation. Null (the default): no reference. The evaluator copies it when it is
    /// built (later changes to the set are not seen); its layout, values and weights are checked then.
    /// </summary>
    public ParticleSet? Reference
    {
        get => _reference;
        init => _reference = value;
    }
}
