using System.Globalization;
using System.Runtime.ExceptionServices;
using MeanField.Runtime.Tests.Dynamics;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>
/// The particle dynamics (MeanFieldLangevin, BirthDeathDynamics, their options, NetworkEnergy): each row builds its own
/// dynamic on a test energy (Dynamics/QuadraticEnergy, BumpEnergy), so the world's state is untouched by construction and the
/// disposed, re-entrant (from the progress callback) and concurrent (another thread during a step) cases need no world mode.
/// </summary>
internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> DynamicsRows() =>
        LangevinRows().Concat(BirthDeathRows()).Concat(DynamicsOptionRows()).Concat(NetworkEnergyRows());

    private static IEnumerable<BadInputRow> LangevinRows()
    {
        const string Ctor = "MeanFieldLangevin..ctor(ParticleSet, IParticleEnergy, LangevinOptions)";
        var energy = new QuadraticEnergy(1, 0, 1);
        var options = new LangevinOptions { MaxSteps = 2 };
        yield return Row<ArgumentNullException>(Ctor, "particles null", "particles", ["particles"], _ => new MeanFieldLangevin(null!, energy, options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "energy null", "energy", ["energy"], _ => new MeanFieldLangevin(Quadratic(), null!, options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "options null", "options", ["options"], _ => new MeanFieldLangevin(Quadratic(), energy, null!).Dispose());
        yield return Row<ArgumentException>(Ctor, "one particle", "particles", ["1 particle", "at least 2"], _ => new MeanFieldLangevin(QuadraticEnergy.Particles(1, 3, 1, 0, 1), energy, options).Dispose());
        yield return Row<ArgumentException>(Ctor, "non-uniform weights", "particles", ["non-uniform weights"], _ => new MeanFieldLangevin(Weighted(Quadratic()), energy, options).Dispose());
        yield return Row<ArgumentException>(Ctor, "particles hold NaN", "particles", ["particles.Values[4] (vector parameter 'x' of particle 1, component 1) is NaN"], _ => new MeanFieldLangevin(WithNaN(Quadratic()), energy, options).Dispose());
        yield return Row<ArgumentException>(Ctor, "energy +∞ at the particles", "particles", ["energy at the initial particles is Infinity"], _ => new MeanFieldLangevin(Quadratic(), new QuadraticEnergy(double.PositiveInfinity, 0, 0), options).Dispose());
        yield return Row<ArgumentException>(Ctor, "CheckpointEvery without a path", "options", ["options.CheckpointEvery is 5", "CheckpointPath is not set"], _ => new MeanFieldLangevin(Quadratic(), energy, options with { CheckpointEvery = 5 }).Dispose());

        FileFixtures f = FileFixtures.Instance;
        const string Resume = "MeanFieldLangevin.Resume(String, IParticleEnergy, LangevinOptions, Boolean)";
        yield return Row<ArgumentNullException>(Resume, "path null", "path", ["path"], _ => MeanFieldLangevin.Resume(null!, energy, options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "energy null", "energy", ["energy"], _ => MeanFieldLangevin.Resume(f.Checkpoint, null!, options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "options null", "options", ["options"], _ => MeanFieldLangevin.Resume(f.Checkpoint, energy, null!).Dispose());
        yield return Row<FileNotFoundException>(Resume, "no file", null, [f.Missing], _ => MeanFieldLangevin.Resume(f.Missing, energy, options).Dispose());
        yield return Row<InvalidDataException>(Resume, "particles only, no flow state", null, [f.ParticlesOnly, "no flow state"], _ => MeanFieldLangevin.Resume(f.ParticlesOnly, energy, options).Dispose());
        yield return Row<ArgumentException>(Resume, "a gradient-flow checkpoint", "options", ["another dynamic", "allowMismatch"], w =>
        {
            using var network = new NetworkEnergy<GatedTanh>(w.Samples, 1);
            MeanFieldLangevin.Resume(f.Checkpoint, network, options).Dispose();
        });

        foreach (BadInputRow row in DynamicUse<MeanFieldLangevin>("MeanFieldLangevin", "Energy()", LangevinWith, d => d.Step(), d => d.Particles, d => d.Energy())
            .Concat(DynamicUse<MeanFieldLangevin>("MeanFieldLangevin", "Step()", LangevinWith, d => d.Step(), d => d.Particles, d => d.Step()))
            .Concat(DynamicUse<MeanFieldLangevin>("MeanFieldLangevin", "Run(CancellationToken)", LangevinWith, d => d.Step(), d => d.Particles, d => d.Run()))
            .Concat(DynamicUse<MeanFieldLangevin>("MeanFieldLangevin", "SaveCheckpoint(String)", LangevinWith, d => d.Step(), null, d => d.SaveCheckpoint(f.Missing)))
            .Concat(DisposeRows<MeanFieldLangevin>("MeanFieldLangevin", LangevinWith, d => d.Step())))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>("ParticleDynamics.SaveCheckpoint(String)", "MeanFieldLangevin: path null", "path", ["path"], _ =>
        {
            using var dynamic = LangevinWith(null);
            dynamic.SaveCheckpoint(null!);
        });
    }

    private static IEnumerable<BadInputRow> BirthDeathRows()
    {
        const string Ctor = "BirthDeathDynamics..ctor(ParticleSet, IParticleEnergy, BirthDeathOptions)";
        var energy = new QuadraticEnergy(1, 0, 1);
        var options = new BirthDeathOptions { MaxSteps = 2 };
        yield return Row<ArgumentNullException>(Ctor, "particles null", "particles", ["particles"], _ => new BirthDeathDynamics(null!, energy, options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "energy null", "energy", ["energy"], _ => new BirthDeathDynamics(Quadratic(), null!, options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "options null", "options", ["options"], _ => new BirthDeathDynamics(Quadratic(), energy, null!).Dispose());
        yield return Row<ArgumentException>(Ctor, "non-uniform weights, constant population", "particles", ["non-uniform weights", "BirthDeathMode.Weighted"], _ => new BirthDeathDynamics(Weighted(Quadratic()), energy, options).Dispose());
        yield return Row<ArgumentException>(Ctor, "a negative weight", "particles", ["particles.Weights[2] is -0.1", "finite and ≥ 0"], _ =>
        {
            ParticleSet particles = Quadratic();
            particles.Weights[2] = -0.1;
            new BirthDeathDynamics(particles, energy, options with { Mode = BirthDeathMode.Weighted }).Dispose();
        });
        yield return Row<ArgumentException>(Ctor, "a NaN weight", "particles", ["particles.Weights[2] is NaN"], _ =>
        {
            ParticleSet particles = Quadratic();
            particles.Weights[2] = double.NaN;
            new BirthDeathDynamics(particles, energy, options with { Mode = BirthDeathMode.Weighted }).Dispose();
        });
        yield return Row<ArgumentException>(Ctor, "particles hold NaN", "particles", ["particles.Values[4] (vector parameter 'x' of particle 1, component 1) is NaN"], _ => new BirthDeathDynamics(WithNaN(Quadratic()), energy, options).Dispose());
        yield return Row<ArgumentException>(Ctor, "energy +∞ at the particles", "particles", ["energy at the initial particles is Infinity"], _ => new BirthDeathDynamics(Quadratic(), new QuadraticEnergy(double.PositiveInfinity, 0, 0), options).Dispose());
        yield return Row<ArgumentException>(Ctor, "CheckpointPath in a missing directory", "options", ["options.CheckpointPath", "cannot be written"], _ =>
            new BirthDeathDynamics(Quadratic(), energy, options with { CheckpointEvery = 3, CheckpointPath = FileFixtures.Instance.MissingDirectoryFile }).Dispose());

        FileFixtures f = FileFixtures.Instance;
        const string Resume = "BirthDeathDynamics.Resume(String, IParticleEnergy, BirthDeathOptions, Boolean)";
        yield return Row<ArgumentNullException>(Resume, "path null", "path", ["path"], _ => BirthDeathDynamics.Resume(null!, energy, options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "energy null", "energy", ["energy"], _ => BirthDeathDynamics.Resume(f.Checkpoint, null!, options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "options null", "options", ["options"], _ => BirthDeathDynamics.Resume(f.Checkpoint, energy, null!).Dispose());
        yield return Row<FileNotFoundException>(Resume, "no file", null, [f.Missing], _ => BirthDeathDynamics.Resume(f.Missing, energy, options).Dispose());
        yield return Row<InvalidDataException>(Resume, "one bit flipped", null, [f.Corrupt], _ => BirthDeathDynamics.Resume(f.Corrupt, energy, options).Dispose());
        yield return Row<ArgumentException>(Resume, "a gradient-flow checkpoint", "options", ["another dynamic", "allowMismatch"], w =>
        {
            using var network = new NetworkEnergy<GatedTanh>(w.Samples, 1);
            BirthDeathDynamics.Resume(f.Checkpoint, network, options).Dispose();
        });

        foreach (BadInputRow row in DynamicUse<BirthDeathDynamics>("BirthDeathDynamics", "Energy()", BirthDeathWith, d => d.Step(), d => d.Particles, d => d.Energy())
            .Concat(DynamicUse<BirthDeathDynamics>("BirthDeathDynamics", "Step()", BirthDeathWith, d => d.Step(), d => d.Particles, d => d.Step()))
            .Concat(DynamicUse<BirthDeathDynamics>("BirthDeathDynamics", "Run(CancellationToken)", BirthDeathWith, d => d.Step(), d => d.Particles, d => d.Run()))
            .Concat(DynamicUse<BirthDeathDynamics>("BirthDeathDynamics", "SaveCheckpoint(String)", BirthDeathWith, d => d.Step(), null, d => d.SaveCheckpoint(f.Missing)))
            .Concat(DisposeRows<BirthDeathDynamics>("BirthDeathDynamics", BirthDeathWith, d => d.Step())))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>("ParticleDynamics.SaveCheckpoint(String)", "BirthDeathDynamics: path null", "path", ["path"], _ =>
        {
            using var dynamic = BirthDeathWith(null);
            dynamic.SaveCheckpoint(null!);
        });
    }

    private static IEnumerable<BadInputRow> DynamicsOptionRows()
    {
        foreach (double value in new[] { 0.0, -0.5, double.NaN, double.PositiveInfinity })
        {
            yield return Checked("ParticleDynamicsOptions", "StepSize", "Double", value, v => _ = new LangevinOptions { StepSize = v }, via: "LangevinOptions");
            yield return Checked("LangevinOptions", "ReferenceStd", "Double", value, v => _ = new LangevinOptions { ReferenceStd = v });
            yield return Checked("ParticleDynamicsOptions", "StepSize", "Double", value, v => _ = new BirthDeathOptions { StepSize = v }, via: "BirthDeathOptions");
        }

        foreach (double value in new[] { -1e-9, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            yield return Checked("LangevinOptions", "Sigma", "Double", value, v => _ = new LangevinOptions { Sigma = v });
            yield return Checked("BirthDeathOptions", "Rate", "Double", value, v => _ = new BirthDeathOptions { Rate = v });
        }

        foreach (int value in new[] { -1, int.MinValue })
        {
            yield return Checked("ParticleDynamicsOptions", "MaxSteps", "Int32", value, v => _ = new LangevinOptions { MaxSteps = v }, via: "LangevinOptions");
            yield return Checked("LangevinOptions", "EntropyEvery", "Int32", value, v => _ = new LangevinOptions { EntropyEvery = v });
            yield return Checked("ParticleDynamicsOptions", "CheckpointEvery", "Int32", value, v => _ = new LangevinOptions { CheckpointEvery = v }, via: "LangevinOptions");
            yield return Checked("ParticleDynamicsOptions", "MaxSteps", "Int32", value, v => _ = new BirthDeathOptions { MaxSteps = v }, via: "BirthDeathOptions");
            yield return Checked("ParticleDynamicsOptions", "CheckpointEvery", "Int32", value, v => _ = new BirthDeathOptions { CheckpointEvery = v }, via: "BirthDeathOptions");
        }

        foreach (int value in new[] { 0, -1 })
        {
            yield return Checked("ParticleDynamicsOptions", "RecordEvery", "Int32", value, v => _ = new LangevinOptions { RecordEvery = v }, via: "LangevinOptions");
            yield return Checked("ParticleDynamicsOptions", "RecordEvery", "Int32", value, v => _ = new BirthDeathOptions { RecordEvery = v }, via: "BirthDeathOptions");
        }

        yield return Row<ArgumentOutOfRangeException>("BirthDeathOptions.set_Mode(BirthDeathMode)", "undefined value 7", "Mode", ["Mode", "7"], w => _ = new BirthDeathOptions { Mode = (BirthDeathMode)7 });
        foreach (string value in new[] { "", "  " })
        {
            yield return Row<ArgumentException>("ParticleDynamicsOptions.set_CheckpointPath(String)", $"'{value}' via LangevinOptions", "CheckpointPath", ["CheckpointPath is blank"], w => _ = new LangevinOptions { CheckpointPath = value });
            yield return Row<ArgumentException>("ParticleDynamicsOptions.set_CheckpointPath(String)", $"'{value}' via BirthDeathOptions", "CheckpointPath", ["CheckpointPath is blank"], w => _ = new BirthDeathOptions { CheckpointPath = value });
        }

        // Setters and constructors that accept every value: the row checks that they do (and change nothing else).
        yield return Accepts("ParticleDynamicsOptions.set_Seed(UInt64)", "every value is a seed, via LangevinOptions", () => _ = new LangevinOptions { Seed = ulong.MaxValue });
        yield return Accepts("ParticleDynamicsOptions.set_Seed(UInt64)", "every value is a seed, via BirthDeathOptions", () => _ = new BirthDeathOptions { Seed = ulong.MaxValue });
        yield return Accepts("LangevinOptions.set_Progress(IProgress<LangevinProgress>)", "null means no reports", () => _ = new LangevinOptions { Progress = null });
        yield return Accepts("BirthDeathOptions.set_Progress(IProgress<GradientFlowProgress>)", "null means no reports", () => _ = new BirthDeathOptions { Progress = null });
        yield return Accepts("LangevinProgress..ctor(Int32, Double, Double, Double, Double)", "a result record: NaN marks a value not estimated", () => _ = new LangevinProgress(-1, double.NaN, double.NaN, double.NaN, double.NaN));
        yield return Accepts("LangevinProgress.set_Step(Int32)", "a result record: every value is representable", () => _ = new LangevinProgress { Step = -1 });
        yield return Accepts("LangevinProgress.set_Energy(Double)", "a result record: every value is representable", () => _ = new LangevinProgress { Energy = double.NaN });
        yield return Accepts("LangevinProgress.set_Entropy(Double)", "a result record: every value is representable", () => _ = new LangevinProgress { Entropy = double.NegativeInfinity });
        yield return Accepts("LangevinProgress.set_RelativeEntropy(Double)", "a result record: every value is representable", () => _ = new LangevinProgress { RelativeEntropy = double.NaN });
        yield return Accepts("LangevinProgress.set_Objective(Double)", "a result record: every value is representable", () => _ = new LangevinProgress { Objective = double.NaN });
    }

    private static IEnumerable<BadInputRow> NetworkEnergyRows()
    {
        const string Ctor = "NetworkEnergy`1..ctor(SampleSet, Int32)";
        yield return Row<ArgumentNullException>(Ctor, "data null", "data", ["data"], _ => new NetworkEnergy<GatedTanh>(null!, 1).Dispose());
        yield return Row<ArgumentOutOfRangeException>(Ctor, "threadCount 0", "threadCount", ["0"], w => new NetworkEnergy<GatedTanh>(w.Samples, 0).Dispose());

        const string Energy = "NetworkEnergy`1.Energy(ParticleSet)";
        yield return Row<ArgumentNullException>(Energy, "particles null", "particles", ["particles"], w => WithNetwork(w, e => e.Energy(null!)));
        yield return Row<ArgumentException>(Energy, "non-uniform weights", "particles", ["non-uniform weights", "1/n"], w => WithNetwork(w, e => e.Energy(Weighted(w.Particles.Clone()))));
        yield return Row<ArgumentException>(Energy, "particles hold NaN", "particles", ["NaN"], w => WithNetwork(w, e => e.Energy(w.NaNParticles)));
        yield return Row<ObjectDisposedException>(Energy, "after Dispose", Evaluator, ["has been disposed"], w => WithNetwork(w, e => e.Energy(w.Particles), dispose: true));

        const string Gradient = "NetworkEnergy`1.Gradient(ParticleSet, ParticleSet, Span<Double>, Int64)";
        yield return Row<ArgumentException>(Gradient, "non-uniform weights", "particles", ["non-uniform weights"], w => WithNetwork(w, e => e.Gradient(Weighted(w.Particles.Clone()), w.Velocity.Clone(), [], 0)));
        yield return Row<ArgumentException>(Gradient, "firstVariation of length n − 1", "firstVariation", ["firstVariation has length 9", "(10)"], w => WithNetwork(w, e => e.Gradient(w.Particles, w.Velocity.Clone(), new double[9], 0)));
        yield return Row<ArgumentException>(Gradient, "gradient is particles", "velocity", ["different set"], w => WithNetwork(w, e =>
        {
            ParticleSet particles = w.Particles.Clone();
            return e.Gradient(particles, particles, [], 0);
        }));
        yield return Row<ObjectDisposedException>(Gradient, "after Dispose", Evaluator, ["has been disposed"], w => WithNetwork(w, e => e.Gradient(w.Particles, w.Velocity.Clone(), [], 0), dispose: true));
        yield return new BadInputRow("NetworkEnergy`1.Dispose()", "twice: the second is a no-op", null, null, [], w => WithNetwork(w, e =>
        {
            e.Dispose();
            e.Dispose();
            return 0;
        }));
    }

    /// <summary>Disposed, re-entrant (from the progress callback), concurrent use, and particles made NaN outside the dynamic.</summary>
    private static IEnumerable<BadInputRow> DynamicUse<T>(string type, string method, Func<Action?, T> create, Action<T> step, Func<T, ParticleSet>? particles, Action<T> act)
        where T : IDisposable
    {
        // The members are ParticleDynamics' (inherited): one key, a row per dynamic, named in the description.
        string member = $"{nameof(ParticleDynamics)}.{method}";
        yield return Row<ObjectDisposedException>(member, $"{type}: after Dispose", type, ["has been disposed"], _ =>
        {
            T dynamic = create(null);
            dynamic.Dispose();
            act(dynamic);
        });
        yield return Row<InvalidOperationException>(member, $"{type}: re-entrant, from the progress callback", null, [type + " is already running a call on this thread", "re-entrant"], _ =>
        {
            T dynamic = default!;
            dynamic = create(() => act(dynamic));
            using (dynamic)
            {
                step(dynamic);
            }
        });
        yield return Row<InvalidOperationException>(member, $"{type}: from another thread during a step", null, [type + " is already running a call on another thread", "not thread-safe"], _ =>
        {
            T dynamic = default!;
            dynamic = create(() => OnOtherThread(() => act(dynamic)));
            using (dynamic)
            {
                step(dynamic);
            }
        });
        if (particles is null)
        {
            yield break;
        }

        yield return Row<InvalidOperationException>(member, $"{type}: particles made NaN outside the dynamic", null, ["Particles.Values[0] (vector parameter 'x' of particle 0, component 0) is NaN", "changed outside the flow after step 0"], _ =>
        {
            using T dynamic = create(null);
            particles(dynamic).Values[0] = double.NaN;
            act(dynamic);
        });
    }

    private static IEnumerable<BadInputRow> DisposeRows<T>(string type, Func<Action?, T> create, Action<T> step)
        where T : IDisposable
    {
        string member = $"{nameof(ParticleDynamics)}.Dispose()";
        yield return new BadInputRow(member, $"{type}: twice: the second is a no-op", null, null, [], _ =>
        {
            T dynamic = create(null);
            dynamic.Dispose();
            dynamic.Dispose();
        });
        yield return new BadInputRow(member, $"{type}: from the progress callback: deferred to the call's end, never blocks", null, null, [], _ =>
        {
            T dynamic = default!;
            dynamic = create(() => dynamic.Dispose());
            step(dynamic);
        });
        yield return new BadInputRow(member, $"{type}: from another thread during a step: returns at once, the step finishes", null, null, [], _ =>
        {
            T dynamic = default!;
            dynamic = create(() => OnOtherThread(() => dynamic.Dispose()));
            step(dynamic);
        });
    }

    private static MeanFieldLangevin LangevinWith(Action? onFirstReport) =>
        new(Quadratic(), new QuadraticEnergy(1, 0, 1), new LangevinOptions { MaxSteps = 2, Progress = onFirstReport is null ? null : new Reports<LangevinProgress>(onFirstReport) });

    private static BirthDeathDynamics BirthDeathWith(Action? onFirstReport) =>
        new(Quadratic(), new QuadraticEnergy(1, 0, 1), new BirthDeathOptions { MaxSteps = 2, Progress = onFirstReport is null ? null : new Reports<GradientFlowProgress>(onFirstReport) });

    private static ParticleSet Quadratic() => QuadraticEnergy.Particles(BadInputWorld.N, BadInputWorld.D, 1, 0, 1);

    private static ParticleSet Weighted(ParticleSet particles)
    {
        particles.Weights[0] *= 2;
        return particles;
    }

    private static ParticleSet WithNaN(ParticleSet particles)
    {
        particles.Values[4] = double.NaN;
        return particles;
    }

    private static void WithNetwork(BadInputWorld world, Func<NetworkEnergy<GatedTanh>, double> act, bool dispose = false)
    {
        using var energy = new NetworkEnergy<GatedTanh>(world.Samples, 1);
        if (dispose)
        {
            energy.Dispose();
        }

        act(energy);
    }

    /// <summary>Runs <paramref name="act"/> on another thread and rethrows what it threw, on this one.</summary>
    private static void OnOtherThread(Action act)
    {
        Exception? error = null;
        var thread = new Thread(() => error = Record.Exception(act));
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    private static BadInputRow Checked<T>(string type, string property, string typeName, T value, Action<T> set, string? via = null)
        where T : IFormattable
    {
        string text = value.ToString(null, CultureInfo.InvariantCulture);
        return Row<ArgumentOutOfRangeException>($"{type}.set_{property}({typeName})", via is null ? text : $"{text} via {via}", property, [property, text], _ => set(value));
    }

    private static BadInputRow Accepts(string member, string @case, Action act) => new(member, @case, null, null, [], _ => act());

    /// <summary>A progress sink that runs an action at its first report only.</summary>
    private sealed class Reports<T>(Action first) : IProgress<T>
    {
        private Action? _first = first;

        public void Report(T value)
        {
            Action? action = _first;
            _first = null;
            action?.Invoke();
        }
    }
}
