namespace MeanField;

/// <summary>
/// What every stochastic particle dynamic of an <see cref="IParticleEnergy"/> offers (<see cref="MeanFieldLangevin"/>,
/// <see cref="BirthDeathDynamics"/>): the particles moved in place, the energy, single steps, a run, checkpoints and the
/// energy history, all on one flow core (specs/particles.md §1). Code written against this type runs any of them.
/// </summary>
/// <remarks>
/// <para><b>Shared behaviour</b> (with <see cref="GradientFlow{TModel}"/>, through the same core): divergence restores the
/// last finite state (<see cref="DivergenceException"/> from <see cref="Step"/>, a Diverged result from <see cref="Run"/>);
/// cancellation and disposal stop a run between steps; one call at a time (<see cref="InvalidOperationException"/>
/// otherwise, naming the dynamic); a step allocates nothing after the first when the energy does not.</para>
/// <para>Only the runtime's dynamics derive from it.</para>
/// </remarks>
public abstract class ParticleDynamics : IDisposable, IFlowStepper
{
    private readonly ParticleSet _particles;
    private readonly IParticleEnergy _energy;
    private readonly ParticleDynamicsOptions _options;
    private readonly FlowCore _core;

    /// <summary>Checks the arguments (nulls, then <paramref name="check"/>, then what every dynamic needs) and builds the core.</summary>
    /// <param name="particles">The particles, moved in place.</param>
    /// <param name="energy">The energy; not owned.</param>
    /// <param name="options">The options.</param>
    /// <param name="publicName">The dynamic's name in messages and checkpoints.</param>
    /// <param name="check">The dynamic's own conditions on the particles and options, checked before the shared ones.</param>
    private protected ParticleDynamics(ParticleSet particles, IParticleEnergy energy, ParticleDynamicsOptions options, string publicName, Action<ParticleSet, ParticleDynamicsOptions> check)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(options);
        check(particles, options);
        DynamicsSupport.RequireStart(particles, energy, options.CheckpointEvery, options.CheckpointPath, nameof(options));
        _particles = particles;
        _energy = energy;
        _options = options;
        var schedule = new FlowSchedule(options.MaxSteps, UsesTolerances: false, 0, 0, options.RecordEvery, options.CheckpointEvery, options.CheckpointPath);
        _core = new FlowCore(particles, schedule, publicName, static () => { });
        _core.Attach(this);
    }

    /// <summary>The particles (the set given to the constructor, updated in place, weights included).</summary>
    public ParticleSet Particles => _particles;

    /// <summary>The energy.</summary>
    public IParticleEnergy ParticleEnergy => _energy;

    /// <summary>Steps kept since the dynamic was created (or since the run its checkpoint continues).</summary>
    public int StepsTaken => _core.StepsTaken;

    /// <summary>(step k, energy at state k) every <see cref="ParticleDynamicsOptions.RecordEvery"/> steps, in order (kept across a resume).</summary>
    public IReadOnlyList<GradientFlowProgress> EnergyHistory => _core.History;

    /// <summary>The energy at the current particles.</summary>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public double Energy()
    {
        using var call = _core.Guard.Enter();
        _core.RequireFiniteState();
        return _energy.Energy(_particles);
    }

    /// <summary>One step of the dynamic, in place.</summary>
    /// <returns>The energy at the state before the step.</returns>
    /// <exception cref="DivergenceException">The energy, a particle or a weight became NaN/∞; the last finite state was restored.</exception>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public double Step() => _core.Step();

    /// <summary>Steps until <see cref="ParticleDynamicsOptions.MaxSteps"/> steps, divergence or cancellation (never throws <see cref="DivergenceException"/>).</summary>
    /// <param name="cancellationToken">Stops the run between two steps; the result's reason is then Cancelled.</param>
    /// <returns>The steps taken, the final energy and why the run stopped.</returns>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed (before or during the run).</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the particles were made non-finite outside the dynamic.</exception>
    public GradientFlowResult Run(CancellationToken cancellationToken = default) => _core.Run(cancellationToken);

    /// <summary>
    /// Writes the particles (and weights), the step count, the energy history, the step size and a fingerprint of the
    /// settings the trajectory depends on and of the energy's data, atomically, for the dynamic's <c>Resume</c>.
    /// </summary>
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
    public void Dispose()
    {
        _core.Guard.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Continues from a checkpoint's step count and history (the particles were read from it).</summary>
    private protected void Continue(ParticleFile.FlowState state) => _core.Continue(state.StepsTaken, state.History);

    /// <summary>The checkpoint's fingerprint of this run's settings and the energy's data.</summary>
    private protected abstract ParticleFile.DataFingerprint CheckpointFingerprint();

    /// <summary>Computes what the move needs at state <paramref name="step"/> and returns its energy.</summary>
    private protected abstract double Evaluate(int step);

    /// <summary>Moves the particles (and weights) from state <paramref name="step"/> to the next.</summary>
    private protected abstract void Move(int step);

    /// <summary>Told every recorded (step, energy), at the state of that step.</summary>
    private protected abstract void OnRecorded(GradientFlowProgress entry);

    private void WriteCheckpoint(string path) =>
        ParticleFile.Write(path, _particles, new ParticleFile.FlowState(StepsTaken, _core.History.ToArray(), _options.StepSize, CheckpointFingerprint()));

    /// <inheritdoc/>
    double IFlowStepper.Evaluate(int step) => Evaluate(step);

    /// <inheritdoc/>
    void IFlowStepper.Move(int step) => Move(step);

    /// <inheritdoc/>
    double IFlowStepper.Energy() => _energy.Energy(_particles);

    /// <inheritdoc/>
    void IFlowStepper.OnRecorded(GradientFlowProgress entry) => OnRecorded(entry);

    /// <inheritdoc/>
    void IFlowStepper.WriteCheckpoint(string path) => WriteCheckpoint(path);
}
