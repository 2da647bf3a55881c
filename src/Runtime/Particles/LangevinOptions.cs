namespace MeanField;

/// <summary>Settings of a <see cref="MeanFieldLangevin"/> run. Each setter rejects an invalid value at once, naming the property and the value.</summary>
public sealed record LangevinOptions : ParticleDynamicsOptions
{
    private readonly double _sigma = 0.1;
    private readonly double _referenceStd = 1.0;
    private readonly int _entropyEvery;

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
