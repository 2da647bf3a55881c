using System.Numerics.Tensors;

namespace MeanField;

/// <summary>
/// The Wasserstein gradient flow of the mean-field energy
/// L(μ) = (1/L) Σ_l ℓ(y_l, f(x_l)) + ∫ U dμ, f(x) = ∫ φ(x; θ) dμ(θ), for the empirical measure of n particles
/// (Chizat–Bach 2018, Mei–Montanari–Nguyen 2018), discretised by explicit Euler steps.
/// </summary>
/// <remarks>
/// <para><b>Time scaling.</b> Each particle follows θ̇_i = −V(θ_i) with V = ∇θ δL/δμ, the Wasserstein gradient,
/// so it moves at n times its own gradient: V(θ_i) = n·∂L/∂θ_i. One step is θ_i ← θ_i − η V(θ_i) for all i at
/// once, with η = <see cref="GradientFlowOptions.StepSize"/> in flow time; the step size therefore does not need
/// to scale with n.</para>
/// <para><b>State.</b> The flow updates the <see cref="ParticleSet"/> given to the constructor in place; it keeps
/// a copy of the previous state (n·(S + V·d) doubles per step, small next to the O(L·n·d) gradient)
/// so that a divergence can be undone; the copy, the Euler move and the finiteness check are one pass over the state,
/// split over the flow's threads.</para>
/// <para><b>Divergence.</b> If the loss or a particle becomes NaN/∞, the particles are restored to the last finite
/// state; <see cref="Step"/> then throws <see cref="DivergenceException"/> (with the step number) and
/// <see cref="Run"/> returns <see cref="GradientFlowStopReason.Diverged"/> (with the step number).</para>
/// <para><b>Allocation.</b> After the first step, <see cref="Step"/> allocates nothing. Dispose the flow to stop
/// its worker threads.</para>
/// <para><b>Concurrency (enforced).</b> A flow runs one call at a time: <see cref="Step"/>, <see cref="Run"/>,
/// <see cref="Loss"/> or <see cref="SaveCheckpoint"/> made while another is running — from another thread, or from the
/// <see cref="GradientFlowOptions.Progress"/> callback — throws <see cref="InvalidOperationException"/> and changes
/// nothing (the step count and the particles stay as they were).</para>
/// <para><b>Disposal.</b> <see cref="Dispose"/> never blocks. During a <see cref="Step"/> the step finishes normally;
/// during a <see cref="Run"/> (from another thread or from the progress callback) the run stops at the next step
/// boundary with an <see cref="ObjectDisposedException"/>, the particles holding the state after the last full step.
/// The worker threads are released when the running call returns.</para>
/// <para><b>Validation.</b> The constructor rejects particles holding NaN/∞ (naming the first one) and a state whose
/// loss is not finite (there would be no finite state to restore); each call rejects particles made non-finite
/// outside the flow since the last step.</para>
/// </remarks>
/// <typeparam name="TModel">The generated network model.</typeparam>
public sealed class GradientFlow<TModel> : IDisposable, IFlowStepper, ILinearFlowMove
    where TModel : struct, INetworkModel<TModel>
{
    private readonly NetworkEvaluator<TModel> _evaluator;
    private readonly ParticleSet _particles;
    private readonly ParticleSet _velocity;
    private readonly SampleSet _data;
    private readonly GradientFlowOptions _options;
    private readonly FlowCore _core;

    /// <summary>Creates the flow; the particles are updated in place by <see cref="Step"/> and <see cref="Run"/>.</summary>
    /// <param name="particles">The n particles of <typeparamref name="TModel"/> (finite), dimension d.</param>
    /// <param name="data">L samples of dimension d.</param>
    /// <param name="options">Step size, stopping rules, threads, recording.</param>
    public GradientFlow(ParticleSet particles, SampleSet data, GradientFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (!particles.Layout.Equals(TModel.Layout))
        {
            throw new ArgumentException($"particles holds parameters of {particles.Layout.ModelName}; the flow is for {TModel.Layout.ModelName}.", nameof(particles));
        }

        if (data.Dimension != particles.Dimension)
        {
            throw new ArgumentException($"data has dimension {data.Dimension}; the particles have dimension {particles.Dimension}.", nameof(data));
        }

        FiniteCheck.Require(particles, nameof(particles));

        if (options.CheckpointEvery > 0 && string.IsNullOrWhiteSpace(options.CheckpointPath))
        {
            throw new ArgumentException($"options.CheckpointEvery is {options.CheckpointEvery} but options.CheckpointPath is not set.", nameof(options));
        }

        FlowCore.ValidateCheckpointPath(options.CheckpointPath, nameof(options));

        _particles = particles;
        _data = data;
        _options = options;
        _velocity = particles.Clone();
        _evaluator = new NetworkEvaluator<TModel>(options.ThreadCount) { PairCacheBudgetBytes = options.PairCacheBudgetBytes, Schedule = options.Schedule };
        double initialLoss = _evaluator.Loss(particles, data);
        if (!double.IsFinite(initialLoss))
        {
            _evaluator.Dispose();
            throw new ArgumentException(
                $"The loss at the initial particles is {FiniteCheck.Format(initialLoss)}: a flow must start from a state with a finite loss (it would have no finite state to restore).",
                nameof(particles));
        }

        // The flow checks its particles itself, once per call (RequireFiniteState); the evaluator need not again.
        _evaluator.ValidateInputs = false;
        var schedule = new FlowSchedule(
            options.MaxSteps, UsesTolerances: true, options.Tolerance, options.AbsoluteTolerance, options.RecordEvery, options.CheckpointEvery, options.CheckpointPath);
        _core = new FlowCore(particles, schedule, PublicName, _evaluator.Dispose, _evaluator.Pool);
        _core.Attach(this);
    }

    /// <summary>The type as users write it, for messages: <c>GradientFlow&lt;TanhRidge&gt;</c>.</summary>
    private static string PublicName { get; } = $"GradientFlow<{typeof(TModel).Name}>";

    /// <summary>
    /// Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/>: the particles, the step count
    /// and the loss history are restored, and the following steps are bit-identical to those the original
    /// run would have taken (an Euler step depends only on the particles, the data and the step size, which the
    /// checkpoint records and checks).
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="data">The training data: the same as the original run's (checked by its shape and fingerprint).</param>
    /// <param name="options">Options for the continued run (<see cref="GradientFlowOptions.MaxSteps"/> counts the steps of each
    /// <see cref="Run"/>); <see cref="GradientFlowOptions.StepSize"/> must be the original run's.</param>
    /// <param name="allowMismatch">
    /// True to resume although <paramref name="data"/> or <paramref name="options"/>' step size differ from the
    /// checkpoint's (a deliberate continuation on other data or with another step, no longer the original trajectory).
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank or holds another model's particles; or, unless
    /// <paramref name="allowMismatch"/>, <paramref name="data"/> or <paramref name="options"/> differ from the checkpoint's
    /// (the message says what differs); or the data's dimension is not the particles'.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a regular file or not a checkpoint of format 2 or 3, or is truncated or
    /// corrupt (the message names the file and the reason).</exception>
    public static GradientFlow<TModel> Resume(string path, SampleSet data, GradientFlowOptions options, bool allowMismatch = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var (particles, state) = ParticleFile.Read(path);
        if (state is not { } flowState)
        {
            throw new InvalidDataException($"'{path}' holds particles but no flow state: it was written by ParticleSet.Save, not GradientFlow.SaveCheckpoint.");
        }

        if (!particles.Layout.Equals(TModel.Layout))
        {
            throw new ArgumentException($"The checkpoint '{path}' holds parameters of {particles.Layout.ModelName}; the flow is for {TModel.Layout.ModelName}.", nameof(path));
        }

        if (!allowMismatch)
        {
            var fingerprint = data.Fingerprint;
            if (fingerprint != flowState.Data)
            {
                throw new ArgumentException(
                    $"data is not the data the checkpoint '{path}' was trained on: {flowState.Data.Describe(fingerprint)}. "
                    + "Pass allowMismatch: true to continue on this data anyway.",
                    nameof(data));
            }

            if (BitConverter.DoubleToInt64Bits(options.StepSize) != BitConverter.DoubleToInt64Bits(flowState.StepSize))
            {
                throw new ArgumentException(
                    $"options.StepSize is {options.StepSize:R}; the checkpoint '{path}' was written by a flow with StepSize {flowState.StepSize:R}, "
                    + "so the continuation would not be the original trajectory. Pass allowMismatch: true to continue with the new step size anyway.",
                    nameof(options));
            }
        }

        var flow = new GradientFlow<TModel>(particles, data, options);
        flow._core.Continue(flowState.StepsTaken, flowState.History);
        return flow;
    }

    /// <summary>
    /// Writes the particles, <see cref="StepsTaken"/>, <see cref="LossHistory"/>, the step size and a fingerprint of
    /// <see cref="Data"/> to a file with a CRC-64, atomically (a new temporary file with a random name beside it,
    /// flushed to disk, then renamed over it), for <see cref="Resume"/>. Allocates (it is I/O).
    /// </summary>
    /// <param name="path">The file to create or replace, in a directory that exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank, names no file, or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The flow has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running (another thread, or the progress callback).</exception>
    public void SaveCheckpoint(string path)
    {
        using var call = _core.Guard.Enter();
        WriteCheckpoint(path);
    }

    /// <summary><see cref="SaveCheckpoint"/> without the call guard, for <see cref="Run"/> (which holds it).</summary>
    private void WriteCheckpoint(string path)
        => ParticleFile.Write(path, _particles, new ParticleFile.FlowState(StepsTaken, _core.History.ToArray(), _options.StepSize, _data.Fingerprint));

    /// <summary>The particles (the set given to the constructor, updated in place).</summary>
    public ParticleSet Particles => _particles;

    /// <summary>The velocity V(θ_i) = ∇θ δL/δμ(θ_i) computed by the latest step, at the state before that step.</summary>
    public ParticleSet Velocity => _velocity;

    /// <summary>The training data.</summary>
    public SampleSet Data => _data;

    /// <summary>The options.</summary>
    public GradientFlowOptions Options => _options;

    /// <summary>Euler steps kept since the flow was created.</summary>
    public int StepsTaken => _core.StepsTaken;

    /// <summary>(step k, L(μ_k)) every <see cref="GradientFlowOptions.RecordEvery"/> steps, in order.</summary>
    public IReadOnlyList<GradientFlowProgress> LossHistory => _core.History;

    /// <summary>The flow's evaluator (for tests: its worker pool).</summary>
    internal NetworkEvaluator<TModel> Evaluator => _evaluator;

    /// <summary>Bytes allocated by the worker threads of the flow's evaluator (for allocation tests).</summary>
    internal long WorkerAllocatedBytes => _evaluator.WorkerAllocatedBytes;

    /// <summary>The energy L(μ) at the current particles.</summary>
    /// <exception cref="ObjectDisposedException">The flow has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running (another thread, or the progress callback), or the particles were made non-finite outside the flow.</exception>
    public double Loss()
    {
        using var call = _core.Guard.Enter();
        _core.RequireFiniteState();
        return _evaluator.Loss(_particles, _data);
    }

    /// <summary>One Euler step θ_i ← θ_i − η V(θ_i) for every particle, in place.</summary>
    /// <returns>The energy at the state before the step (computed by the same pass as V).</returns>
    /// <exception cref="DivergenceException">The loss or the particles became NaN/∞; the particles were restored to the last finite state.</exception>
    /// <exception cref="ObjectDisposedException">The flow has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running (another thread, or the progress callback), or the particles were made non-finite outside the flow.</exception>
    public double Step() => _core.Step();

    /// <summary>
    /// Steps until <see cref="GradientFlowOptions.MaxSteps"/> steps, convergence (see
    /// <see cref="GradientFlowOptions.Tolerance"/>, <see cref="GradientFlowOptions.AbsoluteTolerance"/>) or divergence.
    /// Never throws <see cref="DivergenceException"/>: a divergence is reported in the result.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the run between two steps (never inside one): the result's reason is
    /// <see cref="GradientFlowStopReason.Cancelled"/> and the particles hold the state after the last full step
    /// (checkpointed when <see cref="GradientFlowOptions.CheckpointEvery"/> is set), so the run can be resumed.
    /// </param>
    /// <exception cref="ObjectDisposedException">The flow has been disposed (before or during the run; the particles then hold the state after the last full step).</exception>
    /// <exception cref="InvalidOperationException">Another call is running (another thread, or the progress callback), or the particles were made non-finite outside the flow.</exception>
    public GradientFlowResult Run(CancellationToken cancellationToken = default) => _core.Run(cancellationToken);

    /// <summary>
    /// Releases the worker threads. Never blocks: during a call the threads are released as it returns (a
    /// <see cref="Run"/> stops at the next step boundary). Later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => _core.Guard.Dispose();

    /// <inheritdoc/>
    double IFlowStepper.Evaluate(int step) => _evaluator.WassersteinGradient(_particles, _data, _velocity);

    /// <inheritdoc/>
    void IFlowStepper.Move(int step) => TensorPrimitives.MultiplyAdd(_velocity.Values, -_options.StepSize, _particles.Values, _particles.Values);

    /// <inheritdoc/>
    (double[] Direction, double Factor) ILinearFlowMove.LinearMove(int step) => (_velocity.Data, -_options.StepSize);

    /// <inheritdoc/>
    double IFlowStepper.Energy() => _evaluator.Loss(_particles, _data);

    /// <inheritdoc/>
    void IFlowStepper.OnRecorded(GradientFlowProgress entry) => _options.Progress?.Report(entry);

    /// <inheritdoc/>
    void IFlowStepper.WriteCheckpoint(string path) => WriteCheckpoint(path);
}
