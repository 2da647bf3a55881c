using MeanField.Threading;

namespace MeanField;

/// <summary>
/// What a particle dynamic supplies to the <see cref="FlowCore"/>: the evaluation of the direction at the current
/// state, the move, the energy alone, and its checkpoint.
/// </summary>
internal interface IFlowStepper
{
    /// <summary>Computes whatever the move needs at the current state (step <paramref name="step"/>) and returns its energy.</summary>
    double Evaluate(int step);

    /// <summary>Moves the particles (and weights) from state <paramref name="step"/> to the next; the core saved them first.</summary>
    void Move(int step);

    /// <summary>The energy at the current state (no gradient).</summary>
    double Energy();

    /// <summary>Told every recorded (step, energy), at the state of that step (before its move).</summary>
    void OnRecorded(GradientFlowProgress entry);

    /// <summary>Writes a checkpoint of the current state (the core's step count and history) to <paramref name="path"/>.</summary>
    void WriteCheckpoint(string path);
}

/// <summary>
/// A dynamic whose move is x := x + factor·direction over the whole value array (no change to the weights): the core
/// then saves, moves and checks in one parallel pass (<see cref="StatePass"/>) instead of calling
/// <see cref="IFlowStepper.Move"/>.
/// </summary>
internal interface ILinearFlowMove
{
    /// <summary>The direction of step <paramref name="step"/>'s move (an array of the values' length) and its factor.</summary>
    (double[] Direction, double Factor) LinearMove(int step);
}

/// <summary>The stopping and recording rules of a <see cref="FlowCore"/> run.</summary>
/// <param name="MaxSteps">The most steps one run takes.</param>
/// <param name="UsesTolerances">Whether the tolerances stop a run (a stochastic dynamic's energy never settles exactly).</param>
/// <param name="Tolerance">Relative: stop when |E_k − E_(k−1)| ≤ Tolerance·|E_(k−1)|.</param>
/// <param name="AbsoluteTolerance">Absolute: stop when E_k ≤ AbsoluteTolerance.</param>
/// <param name="RecordEvery">Record (step, energy) every this many steps.</param>
/// <param name="CheckpointEvery">Write a checkpoint every this many steps during a run, and when it stops (0 = never).</param>
/// <param name="CheckpointPath">The checkpoint file when <paramref name="CheckpointEvery"/> is &gt; 0.</param>
internal readonly record struct FlowSchedule(
    int MaxSteps, bool UsesTolerances, double Tolerance, double AbsoluteTolerance, int RecordEvery, int CheckpointEvery, string? CheckpointPath);

/// <summary>
/// The particle-flow core every dynamic reuses (gradient flow, mean-field Langevin, birth–death): the step loop, the
/// copy of the last finite state and its restoration after a divergence, the (step, energy) history and progress
/// records, the stopping rules, cancellation and disposal between steps, periodic checkpoints, and the call guard.
/// </summary>
/// <remarks>
/// A step k evaluates the dynamic at state k (<see cref="IFlowStepper.Evaluate"/>: its energy E_k, recorded), saves
/// the state, moves (<see cref="IFlowStepper.Move"/>) and checks that every value and weight is finite; if not, the
/// saved state is put back. Allocation: none per step after the first (the history is sized for one run's records).
/// </remarks>
internal sealed class FlowCore
{
    private readonly ParticleSet _particles;
    private readonly ParticleSet _previous;
    private readonly List<GradientFlowProgress> _history;
    private readonly FlowSchedule _schedule;
    private readonly string _publicName;
    private readonly StatePass? _pass;
    private IFlowStepper? _stepper;
    private bool _hasPrevious;
    private double _previousEnergy = double.NaN;
    private int _lastRecorded = -1;

    /// <param name="particles">The particles, updated in place (checked finite by the caller).</param>
    /// <param name="schedule">Stopping, recording and checkpoint rules.</param>
    /// <param name="publicName">The owning type as users write it, for messages.</param>
    /// <param name="release">Releases the owner's resources (see <see cref="CallGuard"/>).</param>
    /// <param name="pool">The owner's workers, for the passes over the whole state (save, move, finiteness); null: the calling thread.</param>
    public FlowCore(ParticleSet particles, FlowSchedule schedule, string publicName, Action release, TileWorkerPool? pool = null)
    {
        _particles = particles;
        _pass = pool is null ? null : new StatePass(pool);
        _previous = particles.Clone();
        _schedule = schedule;
        _publicName = publicName;
        _history = new List<GradientFlowProgress>((int)Math.Min(((long)schedule.MaxSteps / schedule.RecordEvery) + 2, 1 << 20));
        Guard = new CallGuard(publicName, release);
    }

    /// <summary>The owner's call guard (one call at a time, dispose never blocks).</summary>
    public CallGuard Guard { get; }

    /// <summary>Steps kept since the dynamic was created (or since the run its checkpoint continues).</summary>
    public int StepsTaken { get; private set; }

    /// <summary>The recorded (step, energy) pairs.</summary>
    public List<GradientFlowProgress> History => _history;

    /// <summary>Attaches the dynamic (once, at the end of its constructor).</summary>
    public void Attach(IFlowStepper stepper) => _stepper = stepper;

    /// <summary>Continues the count and history of a checkpoint.</summary>
    public void Continue(int stepsTaken, GradientFlowProgress[] history)
    {
        StepsTaken = stepsTaken;
        _history.AddRange(history);
        _lastRecorded = history.Length > 0 ? history[^1].Step : -1;
    }

    /// <summary>Checks options.CheckpointPath when a dynamic is created, not at the first checkpoint.</summary>
    public static void ValidateCheckpointPath(string? checkpointPath, string paramName)
    {
        if (checkpointPath is null)
        {
            return;
        }

        try
        {
            ParticleFile.ValidateTarget(checkpointPath, paramName);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new ArgumentException($"{paramName}.CheckpointPath '{checkpointPath}' cannot be written: {e.Message}", paramName, e);
        }
    }

    /// <summary>The particles are the state, but also a public, writable set: reject values made non-finite outside the dynamic.</summary>
    public void RequireFiniteState()
    {
        if (_pass is not null && _pass.AllFinite(_particles.Data))
        {
            return;
        }

        int bad = FiniteCheck.FirstNonFinite(_particles.Values);
        if (bad >= 0)
        {
            throw new InvalidOperationException(
                $"Particles.Values[{bad}] ({FiniteCheck.Locate(_particles, bad)}) is {FiniteCheck.Format(_particles.Values[bad])}: the particles were changed outside the flow after step {StepsTaken}. Put back finite values (or build a new flow).");
        }
    }

    /// <summary>One step under the call guard, from a finite state (a dynamic's public <c>Step</c>); returns the energy before it.</summary>
    /// <exception cref="DivergenceException">The energy or the state became non-finite; the last finite state was restored.</exception>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the state was made non-finite outside the dynamic.</exception>
    public double Step()
    {
        using var call = Guard.Enter();
        RequireFiniteState();
        return StepHeld();
    }

    /// <summary>A run under the call guard, from a finite state (a dynamic's public <c>Run</c>): see <see cref="RunHeld"/>.</summary>
    /// <exception cref="ObjectDisposedException">The dynamic has been disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running, or the state was made non-finite outside the dynamic.</exception>
    public GradientFlowResult Run(CancellationToken cancellationToken)
    {
        using var call = Guard.Enter();
        RequireFiniteState();
        return RunHeld(cancellationToken);
    }

    /// <summary>One step (the guard is held by the caller); returns the energy before it.</summary>
    /// <exception cref="DivergenceException">The energy or the state became non-finite; the last finite state was restored.</exception>
    private double StepHeld()
    {
        int k = StepsTaken;
        double energy = _stepper!.Evaluate(k);
        if (!double.IsFinite(energy))
        {
            double restored = Restore();
            throw new DivergenceException(k, restored);
        }

        Record(k, energy);
        if (!Advance(k, energy))
        {
            throw new DivergenceException(k + 1, energy);
        }

        return energy;
    }

    /// <summary>
    /// Steps until the schedule's step count, a tolerance, divergence, cancellation or disposal (the guard is held by
    /// the caller); writes the final checkpoint when checkpoints are on.
    /// </summary>
    private GradientFlowResult RunHeld(CancellationToken cancellationToken)
    {
        var result = RunSteps(cancellationToken);
        if (_schedule.CheckpointEvery > 0)
        {
            // The final (or, after a divergence, the last finite) state, so a stopped run can always be resumed.
            _stepper!.WriteCheckpoint(_schedule.CheckpointPath!);
        }

        return result;
    }

    private GradientFlowResult RunSteps(CancellationToken cancellationToken)
    {
        IFlowStepper stepper = _stepper!;
        int taken = 0;
        double previous = double.NaN;
        while (true)
        {
            int k = StepsTaken;
            if (Guard.IsDisposeRequested)
            {
                throw new ObjectDisposedException(
                    _publicName, $"This {_publicName} was disposed during Run (by another thread or a callback); it stopped after step {k}, and the particles hold that state.");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                double current = stepper.Energy();
                Record(k, current);
                return new GradientFlowResult(taken, current, GradientFlowStopReason.Cancelled, null);
            }

            if (taken == _schedule.MaxSteps)
            {
                double final = stepper.Energy();
                if (!double.IsFinite(final))
                {
                    bool undone = _hasPrevious;
                    double restored = Restore();
                    return new GradientFlowResult(undone ? taken - 1 : taken, restored, GradientFlowStopReason.Diverged, k);
                }

                Record(k, final);
                return new GradientFlowResult(taken, final, GradientFlowStopReason.MaxSteps, null);
            }

            double energy = stepper.Evaluate(k);
            if (!double.IsFinite(energy))
            {
                bool undone = _hasPrevious;
                double restored = Restore();
                return new GradientFlowResult(undone ? taken - 1 : taken, restored, GradientFlowStopReason.Diverged, k);
            }

            Record(k, energy);
            if (_schedule.UsesTolerances
                && (energy <= _schedule.AbsoluteTolerance
                    || (taken > 0 && Math.Abs(previous - energy) <= _schedule.Tolerance * Math.Abs(previous))))
            {
                return new GradientFlowResult(taken, energy, GradientFlowStopReason.Converged, null);
            }

            if (!Advance(k, energy))
            {
                return new GradientFlowResult(taken, energy, GradientFlowStopReason.Diverged, k + 1);
            }

            taken++;
            previous = energy;
            if (_schedule.CheckpointEvery > 0 && StepsTaken % _schedule.CheckpointEvery == 0)
            {
                stepper.WriteCheckpoint(_schedule.CheckpointPath!);
            }
        }
    }

    /// <summary>Saves the state, moves; on a non-finite result restores the saved state and returns false.</summary>
    private bool Advance(int step, double energy)
    {
        _previousEnergy = energy;
        _hasPrevious = true;
        bool finite;
        if (_pass is not null && _stepper is ILinearFlowMove linear)
        {
            // The weights do not move: saved (n values) and checked as before; the values in one parallel pass.
            _particles.WeightData.AsSpan().CopyTo(_previous.WeightData);
            (double[] direction, double factor) = linear.LinearMove(step);
            finite = _pass.SaveMoveCheck(_particles.Data, direction, factor, _previous.Data);
        }
        else
        {
            _particles.CopyTo(_previous);
            _stepper!.Move(step);
            finite = _particles.AllFinite();
        }

        StepsTaken++;
        if (finite && FiniteCheck.FirstNonFinite(_particles.Weights) < 0)
        {
            return true;
        }

        Restore();
        return false;
    }

    /// <summary>Puts back the state before the latest step (if any); returns its energy (NaN if none).</summary>
    private double Restore()
    {
        if (!_hasPrevious)
        {
            return double.NaN;
        }

        _previous.CopyTo(_particles);
        _hasPrevious = false;
        StepsTaken--;
        return _previousEnergy;
    }

    private void Record(int step, double energy)
    {
        if (step % _schedule.RecordEvery != 0 || step <= _lastRecorded)
        {
            return;
        }

        _lastRecorded = step;
        var entry = new GradientFlowProgress(step, energy);
        _history.Add(entry);
        _stepper!.OnRecorded(entry);
    }
}
