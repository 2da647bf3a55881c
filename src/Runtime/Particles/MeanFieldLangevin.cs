namespace MeanField;

/// <summary>
/// Mean-field Langevin dynamics (Hu–Ren–Šiška–Szpruch 2019) for n equally weighted particles of any energy:
/// dθ = −(∇θ δF/δm(m_t, θ) + (σ²/2) ∇U(θ)) dt + σ dW_t, with the Gaussian reference g = N(0, s² I) ∝ e^(−U),
/// U(θ) = |θ|²/(2s²), discretised by Euler–Maruyama. Its long-time law minimises the entropic objective
/// V^σ(m) = F(m) + (σ²/2)·KL(m | g), which the dynamic estimates and reports (see specs/particles.md §2).
/// </summary>
/// <remarks>
/// <para><b>Step.</b> θ_i ← θ_i − Δt (∇θ V(θ_i) + (σ²/(2s²)) θ_i) + σ √Δt ξ_i,k with V = δF/δm from
/// <see cref="IParticleEnergy.Gradient"/>, every component of every particle moved at once.</para>
/// <para><b>Noise.</b> ξ is counter-based: component c of the values (<see cref="ParticleSet.Values"/> index) at step k is a
/// pure function of (<see cref="ParticleDynamicsOptions.Seed"/>, k, c), so the trajectory depends on no thread count and a run
/// resumed from a checkpoint continues bit-identically.</para>
/// <para><b>Shared behaviour</b>: see <see cref="ParticleDynamics"/>.</para>
/// <para><b>Weights.</b> The particles must carry uniform weights (1/n): the SDE moves an empirical measure of equal
/// weights, and the entropy estimator assumes equally weighted samples.</para>
/// </remarks>
public sealed class MeanFieldLangevin : ParticleDynamics
{
    private const ulong NoiseSalt = 0x4C414E4745564E31UL; // "LANGEVN1"

    private readonly ParticleSet _gradient;
    private readonly LangevinOptions _options;
    private readonly EntropyEstimator? _entropy;
    private readonly List<LangevinProgress> _objectives;

    /// <summary>Creates the dynamic; the particles are updated in place by <see cref="ParticleDynamics.Step"/> and <see cref="ParticleDynamics.Run"/>.</summary>
    /// <param name="particles">n ≥ 2 particles (finite, uniform weights), of the layout and dimension <paramref name="energy"/> expects.</param>
    /// <param name="energy">F and ∇θ δF/δm; the dynamic does not own or dispose it.</param>
    /// <param name="options">Step, σ, s, seed, recording, checkpoints.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The particles hold NaN/∞, have fewer than 2 particles or non-uniform weights, the energy at them
    /// is not finite (or the energy rejects them), or the checkpoint options are inconsistent.</exception>
    public MeanFieldLangevin(ParticleSet particles, IParticleEnergy energy, LangevinOptions options)
        : base(particles, energy, options, nameof(MeanFieldLangevin), static (particles, _) => Require(particles))
    {
        _options = options;
        _gradient = particles.Clone();
        int width = particles.Layout.ScalarCount + (particles.Layout.VectorParameters.Count * particles.Dimension);
        _entropy = options.EntropyEvery > 0 ? new EntropyEstimator(particles.Count, width) : null;
        _objectives = new List<LangevinProgress>((int)Math.Min(((long)options.MaxSteps / options.RecordEvery) + 2, 1 << 20));
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="ParticleDynamics.SaveCheckpoint"/>: the particles, the step count and the
    /// energy history are restored, and the following steps are bit-identical to those of the original run (the noise
    /// depends only on the seed, the step and the component; the checkpoint checks σ, s, the seed, the step size and,
    /// for a <see cref="NetworkEnergy{TModel}"/>, the data). <see cref="ObjectiveHistory"/> restarts empty.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="energy">The energy of the original run.</param>
    /// <param name="options">Options for the continued run (<see cref="ParticleDynamicsOptions.MaxSteps"/> counts the steps of each <see cref="ParticleDynamics.Run"/>).</param>
    /// <param name="allowMismatch">True to resume although the options or the energy's data differ from the checkpoint's.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The path is blank; or, unless <paramref name="allowMismatch"/>, the options or data differ from the checkpoint's.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or is truncated or corrupt.</exception>
    public static MeanFieldLangevin Resume(string path, IParticleEnergy energy, LangevinOptions options, bool allowMismatch = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(options);
        var (particles, state) = DynamicsSupport.ReadCheckpoint(path, nameof(MeanFieldLangevin), options.StepSize, Fingerprint(energy, options), allowMismatch, nameof(options));
        var dynamic = new MeanFieldLangevin(particles, energy, options);
        dynamic.Continue(state);
        return dynamic;
    }

    /// <summary>The options.</summary>
    public LangevinOptions Options => _options;

    /// <summary>Every record of this object's steps with the entropy and V^σ estimates (NaN where not estimated).</summary>
    public IReadOnlyList<LangevinProgress> ObjectiveHistory => _objectives;

    private static ParticleFile.DataFingerprint Fingerprint(IParticleEnergy energy, LangevinOptions options) =>
        DynamicsSupport.Fingerprint(nameof(MeanFieldLangevin), energy, [options.Sigma, options.ReferenceStd], options.Seed);

    private static void Require(ParticleSet particles)
    {
        if (particles.Count < 2)
        {
            throw new ArgumentException($"particles has {particles.Count} particle; mean-field Langevin needs at least 2 (the entropy estimate needs a nearest neighbour).", nameof(particles));
        }

        if (!particles.HasUniformWeights)
        {
            throw new ArgumentException("particles carries non-uniform weights; mean-field Langevin moves equally weighted particles (weights 1/n).", nameof(particles));
        }
    }

    /// <inheritdoc/>
    private protected override ParticleFile.DataFingerprint CheckpointFingerprint() => Fingerprint(ParticleEnergy, _options);

    /// <inheritdoc/>
    private protected override double Evaluate(int step) => ParticleEnergy.Gradient(Particles, _gradient, [], step);

    /// <inheritdoc/>
    private protected override void Move(int step)
    {
        // Hu–Ren–Šiška–Szpruch 2019 with ∇U(θ) = θ/s² (specs/particles.md §2.2): θ ← θ(1 − Δt σ²/(2s²)) − Δt ∇V(θ) + σ√Δt ξ.
        double dt = _options.StepSize;
        double sigma = _options.Sigma;
        double s = _options.ReferenceStd;
        double shrink = 1 - (dt * sigma * sigma / (2 * s * s));
        double noise = sigma * Math.Sqrt(dt);
        double[] values = Particles.Data;
        double[] gradient = _gradient.Data;
        if (sigma == 0)
        {
            for (int c = 0; c < values.Length; c++)
            {
                values[c] -= dt * gradient[c];
            }

            return;
        }

        ulong key = DynamicsSupport.StepKey(_options.Seed, NoiseSalt, step);
        for (int c = 0; c < values.Length; c++)
        {
            values[c] = (values[c] * shrink) - (dt * gradient[c]) + (noise * CounterRandom.Normal(key, (ulong)c));
        }
    }

    /// <inheritdoc/>
    private protected override void OnRecorded(GradientFlowProgress entry)
    {
        double entropy = double.NaN;
        double relative = double.NaN;
        double objective = double.NaN;
        if (_entropy is not null && entry.Step % _options.EntropyEvery == 0)
        {
            (entropy, double meanSquares) = _entropy.Estimate(Particles);

            // KL(m | g) = −H(m) − ∫ log g dm, log g(θ) = −|θ|²/(2s²) − (D/2) log(2π s²).
            double s2 = _options.ReferenceStd * _options.ReferenceStd;
            int width = Particles.Layout.ScalarCount + (Particles.Layout.VectorParameters.Count * Particles.Dimension);
            relative = -entropy + (meanSquares / (2 * s2)) + (0.5 * width * Math.Log(2 * Math.PI * s2));
            objective = entry.Loss + (0.5 * _options.Sigma * _options.Sigma * relative);
        }

        var record = new LangevinProgress(entry.Step, entry.Loss, entropy, relative, objective);
        _objectives.Add(record);
        _options.Progress?.Report(record);
    }
}
