namespace MeanField;

/// <summary>
/// The settings every stochastic particle dynamic shares (<see cref="LangevinOptions"/>, <see cref="BirthDeathOptions"/>):
/// step, seed, run length, recording and checkpoints. Each setter rejects an invalid value at once, naming the property
/// and the value.
/// </summary>
public abstract record ParticleDynamicsOptions
{
    private readonly double _stepSize = 0.01;
    private readonly int _maxSteps = 1000;
    private readonly int _recordEvery = 1;
    private readonly int _checkpointEvery;
    private readonly string? _checkpointPath;

    /// <summary>Only the dynamics' own options derive from this record.</summary>
    private protected ParticleDynamicsOptions()
    {
    }

    /// <summary>Δt &gt; 0, the step in flow time (Euler–Maruyama for Langevin; the transport step, then the birth–death step); default 0.01.</summary>
    public double StepSize
    {
        get => _stepSize;
        init => _stepSize = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(StepSize), value, $"StepSize must be finite and > 0; got {value}.");
    }

    /// <summary>The seed of the counter-based random numbers (noise, jump decisions): one per seed, step and index; default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The most steps one <c>Run</c> takes (≥ 0); default 1000.</summary>
    public int MaxSteps
    {
        get => _maxSteps;
        init => _maxSteps = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, $"MaxSteps must be ≥ 0; got {value}.");
    }

    /// <summary>Record (step, E) in the dynamic's energy history and report progress every this many steps (≥ 1; default 1).</summary>
    public int RecordEvery
    {
        get => _recordEvery;
        init => _recordEvery = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(RecordEvery), value, $"RecordEvery must be ≥ 1; got {value}.");
    }

    /// <summary>
    /// Write a checkpoint (the dynamic's <c>SaveCheckpoint</c>) to <see cref="CheckpointPath"/> every this many steps during
    /// <c>Run</c>, and when it stops (≥ 0; default 0, never).
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
}
