namespace MeanField;

/// <summary>Settings of a <see cref="MeanFieldLangevin"/> run. Each setter rejects an invalid value at once, naming the property and the value.</summary>
public sealed record LangevinOptions
{
    private readonly double _stepSize = 0.01;
    private readonly double _sigma = 0.1;
    private readonly double _referenceStd = 1.0;
    private readonly int _maxSteps = 1000;
    private readonly int _recordEvery = 1;
    private readonly int _entropyEvery;
    private readonly int _checkpointEvery;
    private readonly string? _checkpointPath;

    /// <summary>Δt &gt; 0, the Euler–Maruyama step in flow time; default 0.01.</summary>
    public double StepSize
    {
        get => _stepSize;
        init => _stepSize = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(StepSize), value, $"StepSize must be finite and > 0; got {value}.");
    }

    /// <summary>σ ≥ 0, the noise amplitude of dθ = −(∇θ δF/δm + (σ²/2)∇U) dt + σ dW; default 0.1. σ = 0 is the noiseless flow.</summary>
    public double Sigma
    {
        get => _sigma;
        init => _sigma = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(Sigma), value, $"Sigma must be finite and ≥ 0; got {value}.");
    }

    /// <summary>
    /// s &gt; 0, the standard deviation of the Gaussian reference measure g = N(0, s² I), i.e. U(θ) = |θ|²/(2s²) over every
    /// scalar and vector component of a particle; default 1.
    /// </summary>
    public double ReferenceStd
    {
        get => _referenceStd;
        init => _referenceStd = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(ReferenceStd), value, $"ReferenceStd must be finite and > 0; got {value}.");
    }

    /// <summary>The seed of the counter-based noise (one normal per seed, step, particle and component); default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The most steps one <see cref="MeanFieldLangevin.Run"/> takes (≥ 0); default 1000.</summary>
    public int MaxSteps
    {
        get => _maxSteps;
        init => _maxSteps = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, $"MaxSteps must be ≥ 0; got {value}.");
    }

    /// <summary>Record (step, F) in <see cref="MeanFieldLangevin.EnergyHistory"/> and report progress every this many steps (≥ 1; default 1).</summary>
    public int RecordEvery
    {
        get => _recordEvery;
        init => _recordEvery = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(RecordEvery), value, $"RecordEvery must be ≥ 1; got {value}.");
    }

    /// <summary>
    /// Estimate the entropy (Kozachenko–Leonenko, O(n²·D)) and the entropic objective V^σ at the recorded steps that are
    /// multiples of this (≥ 0; default 0, never: the reports then carry NaN for both).
    /// </summary>
    public int EntropyEvery
    {
        get => _entropyEvery;
        init => _entropyEvery = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(EntropyEvery), value, $"EntropyEvery must be ≥ 0 (0 = never); got {value}.");
    }

    /// <summary>
    /// Write a checkpoint (<see cref="MeanFieldLangevin.SaveCheckpoint"/>) to <see cref="CheckpointPath"/> every this many
    /// steps during <see cref="MeanFieldLangevin.Run"/>, and when it stops (≥ 0; default 0, never).
    /// </summary>
    public int CheckpointEvery
    {
        get => _checkpointEvery;
        init => _checkpointEvery = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), value, $"CheckpointEvery must be ≥ 0 (0 = no checkpoints); got {value}.");
    }

    /// <summary>The checkpoint file for <see cref="CheckpointEvery"/>; required when it is &gt; 0. Null (the default) or a non-blank path.</summary>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string? CheckpointPath
    {
        get => _checkpointPath;
        init => _checkpointPath = value is null || !string.IsNullOrWhiteSpace(value) ? value
            : throw new ArgumentException($"CheckpointPath is blank ('{value}'); name a file, or leave it null for no checkpoints.", nameof(CheckpointPath));
    }

    /// <summary>Optional callback, told every recorded (step, F, entropy, V^σ).</summary>
    public IProgress<LangevinProgress>? Progress { get; init; }
}

/// <summary>One record of a <see cref="MeanFieldLangevin"/> run, at the state after <paramref name="Step"/> steps.</summary>
/// <param name="Step">k, the steps taken since the dynamic was created (or since the run its checkpoint continues).</param>
/// <param name="Energy">F(m_k), the energy of the empirical measure.</param>
/// <param name="Entropy">The Kozachenko–Leonenko estimate of the differential entropy H(m_k) (NaN when not estimated at this step).</param>
/// <param name="RelativeEntropy">The estimate of KL(m_k | g) = −H(m_k) − ∫ log g dm_k (NaN when not estimated).</param>
/// <param name="Objective">V^σ(m_k) = F(m_k) + (σ²/2)·KL(m_k | g) (NaN when not estimated).</param>
public readonly record struct LangevinProgress(int Step, double Energy, double Entropy, double RelativeEntropy, double Objective);
