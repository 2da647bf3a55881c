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
/// <para><b>Shared behaviour</b> (with <see cref="GradientFlow{TModel}"/>, through one core): divergence restores the
/// last finite state (<see cref="DivergenceException"/> from <see cref="Step"/>, a Diverged result from <see cref="Run"/>);
/// cancellation and disposal stop a run between steps; one call at a time (<see cref="InvalidOperationException"/>
/// otherwise); a step allocates nothing after the first when the energy does not.</para>
/// <para><b>Weights.</b> The particles must carry uniform weights (1/n): the SDE moves an empirical measure of equal
/// weights, and the entropy estimator assumes equally weighted samples.</para>
/// </remarks>
public sealed class MeanFieldLangevin : IDisposable, IFlowStepper
{
    private const ulong NoiseSalt = 0x4C414E4745564E31UL; // "LANGEVN1"

    private readonly ParticleSet _particles;
    private readonly ParticleSet _gradient;
    private readonly IParticleEnergy _energy;
    private readonly LangevinOptions _options;
    private readonly FlowCore _core;
    private readonly EntropyEstimator? _entropy;
    private readonly List<LangevinProgress> _objectives;

    /// <summary>Creates the dynamic; the particles are updated in place by <see cref="Step"/> and <see cref="Run"/>.</summary>
    /// <param name="particles">n ≥ 2 particles (finite, uniform weights), of the layout and dimension <paramref name="energy"/> expects.</param>
    /// <param name="energy">F and ∇θ δF/δm; the dynamic does not own or dispose it.</param>
    /// <param name="options">Step, σ, s, seed, recording, checkpoints.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The particles hold NaN/∞, have fewer than 2 particles or non-uniform weights, the energy at them
    /// is not finite (or the energy rejects them), or the checkpoint options are inconsistent.</exception>
    public MeanFieldLangevin(ParticleSet particles, IParticleEnergy energy, LangevinOptions options)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(options);
        if (particles.Count < 2)
        {
            throw new ArgumentException($"particles has {particles.Count} particle; mean-field Langevin needs at least 2 (the entropy estimate needs a nearest neighbour).", nameof(particles));
        }

        if (!particles.HasUniformWeights)
        {
            throw new ArgumentException("particles carries non-uniform weights; mean-field Langevin moves equally weighted particles (weights 1/n).", nameof(particles));
        }

        DynamicsSupport.RequireStart(particles, energy, options.CheckpointEvery, options.CheckpointPath, nameof(options));
        _particles = particles;
        _energy = energy;
        _options = options;
        _gradient = particles.Clone();
        int width = particles.Layout.ScalarCount + (particles.Layout.VectorParameters.Count * particles.Dimension);
        _entropy = options.EntropyEvery > 0 ? new EntropyEstimator(particles.Count, width) : null;
        var schedule = new FlowSchedule(options.MaxSteps, UsesTolerances: false, 0, 0, options.RecordEvery, options.CheckpointEvery, options.CheckpointPath);
        _core = new FlowCore(particles, schedule, nameof(MeanFieldLangevin), static () => { });
        _objectives = new List<LangevinProgress>((int)Math.Min(((long)options.MaxSteps / options.RecordEvery) + 2, 1 << 20));
        _core.Attach(this);
    }

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/>: the particles, the step count and the
    /// energy history are restored, and the following steps are bit-identical to those of the original run (the noise
    /// depends only on the seed, the step and the component; the checkpoint checks σ, s, the seed, the step size and,
    /// for a <see cref="NetworkEnergy{TModel}"/>, the data). <see cref="ObjectiveHistory"/> restarts empty.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="energy">The energy of the original run.</param>
    /// <param name="options">Options for the continued run (<see cref="ParticleDynamicsOptions.MaxSteps"/> counts the steps of each <see cref="Run"/>).</param>
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
        dynamic._core.Continue(state.StepsTaken, state.History);
        return dynamic;
    }

    /// <summary>The particles (the set given to the constructor, updated in place).</summary>
    public ParticleSet Particles => _particles;

    /// <summary>The energy.</summary>
    public IParticleEnergy ParticleEnergy => _energy;

    /// <summary>The options.</summary>
    public LangevinOptions Options => _options;

    /// <summary>Steps kept since the dynamic was created (or since the run its checkpoint continues).</summary>
    public int StepsTaken => _core.StepsTaken;

    /// <summary>(step k, F(m_k)) every <see cref="ParticleDynamicsOptions.RecordEvery"/> steps, in order (kept across a resume).</summary>
    public IReadOnlyList<GradientFlowProgress> EnergyHistory => _core.History;

    /// <summary>Every record of this object's steps with the entropy and V^σ estimates (NaN where not estimated).</summary>
    public IReadOnlyList<LangevinProgress> ObjectiveHistory => _objectives;

    /// <summary>F at the current particles.</summary>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public double Energy()
    {
        using var call = _core.Guard.Enter();
        _core.RequireFiniteState();
        return _energy.Energy(_particles);
    }

    /// <summary>One Euler–Maruyama step of every particle, in place.</summary>
    /// <returns>F at the state before the step.</returns>
    /// <exception cref="DivergenceException">F or the particles became NaN/∞; the particles were restored to the last finite state.</exception>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public double Step()
    {
        using var call = _core.Guard.Enter();
        _core.RequireFiniteState();
        return _core.Step();
    }

    /// <summary>Steps until <see cref="ParticleDynamicsOptions.MaxSteps"/> steps, divergence or cancellation (never throws <see cref="DivergenceException"/>).</summary>
    /// <param name="cancellationToken">Stops the run between two steps; the result's reason is then Cancelled.</param>
    /// <returns>The steps taken, the final F and why the run stopped.</returns>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed (before or during the run).</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public GradientFlowResult Run(CancellationToken cancellationToken = default)
    {
        using var call = _core.Guard.Enter();
        _core.RequireFiniteState();
        return _core.Run(cancellationToken);
    }

    /// <summary>Writes the particles, the step count, the energy history, the step size and a fingerprint of σ, s, the seed and the energy's data, atomically, for <see cref="Resume"/>.</summary>
    /// <param name="path">The file to create or replace, in a directory that exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank, names no file, or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running.</exception>
    public void SaveCheckpoint(string path)
    {
        using var call = _core.Guard.Enter();
        WriteCheckpoint(path);
    }

    /// <summary>Marks the dynamic disposed (it owns no threads; the energy is the caller's). Never blocks; a running <see cref="Run"/> stops at the next step.</summary>
    public void Dispose() => _core.Guard.Dispose();

    private static ParticleFile.DataFingerprint Fingerprint(IParticleEnergy energy, LangevinOptions options) =>
        DynamicsSupport.Fingerprint(nameof(MeanFieldLangevin), energy, [options.Sigma, options.ReferenceStd], options.Seed);

    private void WriteCheckpoint(string path) =>
        ParticleFile.Write(path, _particles, new ParticleFile.FlowState(StepsTaken, _core.History.ToArray(), _options.StepSize, Fingerprint(_energy, _options)));

    /// <inheritdoc/>
    double IFlowStepper.Evaluate(int step) => _energy.Gradient(_particles, _gradient, [], step);

    /// <inheritdoc/>
    void IFlowStepper.Move(int step)
    {
        // Hu–Ren–Šiška–Szpruch 2019 with ∇U(θ) = θ/s² (specs/particles.md §2.2): θ ← θ(1 − Δt σ²/(2s²)) − Δt ∇V(θ) + σ√Δt ξ.
        double dt = _options.StepSize;
        double sigma = _options.Sigma;
        double s = _options.ReferenceStd;
        double shrink = 1 - (dt * sigma * sigma / (2 * s * s));
        double noise = sigma * Math.Sqrt(dt);
        double[] values = _particles.Data;
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
    double IFlowStepper.Energy() => _energy.Energy(_particles);

    /// <inheritdoc/>
    void IFlowStepper.OnRecorded(GradientFlowProgress entry)
    {
        double entropy = double.NaN;
        double relative = double.NaN;
        double objective = double.NaN;
        if (_entropy is not null && entry.Step % _options.EntropyEvery == 0)
        {
            (entropy, double meanSquares) = _entropy.Estimate(_particles);

            // KL(m | g) = −H(m) − ∫ log g dm, log g(θ) = −|θ|²/(2s²) − (D/2) log(2π s²).
            double s2 = _options.ReferenceStd * _options.ReferenceStd;
            int width = _particles.Layout.ScalarCount + (_particles.Layout.VectorParameters.Count * _particles.Dimension);
            relative = -entropy + (meanSquares / (2 * s2)) + (0.5 * width * Math.Log(2 * Math.PI * s2));
            objective = entry.Loss + (0.5 * _options.Sigma * _options.Sigma * relative);
        }

        var record = new LangevinProgress(entry.Step, entry.Loss, entropy, relative, objective);
        _objectives.Add(record);
        _options.Progress?.Report(record);
    }

    /// <inheritdoc/>
    void IFlowStepper.WriteCheckpoint(string path) => WriteCheckpoint(path);
}
