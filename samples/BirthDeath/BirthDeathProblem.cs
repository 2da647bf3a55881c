using System.Diagnostics;
using MeanField;
using MeanField.Models;

namespace BirthDeathSample;

/// <summary>One method's run: its name, E(0), E(T), jumps and the energy history.</summary>
public sealed record MethodResult
{
    /// <summary><c>transport</c>, <c>constant-population</c> or <c>weighted</c>.</summary>
    public string Method { get; init; } = "";

    /// <summary>α (0 for transport).</summary>
    public double Rate { get; init; }

    /// <summary>E at the start.</summary>
    public double InitialEnergy { get; init; }

    /// <summary>E at T.</summary>
    public double FinalEnergy { get; init; }

    /// <summary>Births (constant population; 0 otherwise).</summary>
    public long Births { get; init; }

    /// <summary>Deaths (constant population; 0 otherwise).</summary>
    public long Deaths { get; init; }

    /// <summary>Σ w_i at T (1 to rounding).</summary>
    public double TotalMass { get; init; }

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Flow times t = kΔt of the records.</summary>
    public double[] Times { get; init; } = [];

    /// <summary>E at those times.</summary>
    public double[] Energies { get; init; } = [];
}

/// <summary>The sample's result (the payload of <c>birth-death.json</c>).</summary>
public sealed record BirthDeathResult
{
    /// <summary>n, the number of particles.</summary>
    public int Particles { get; init; }

    /// <summary>Steps of every method.</summary>
    public int Steps { get; init; }

    /// <summary>Δt.</summary>
    public double StepSize { get; init; }

    /// <summary>σ of the Gaussian features.</summary>
    public double FeatureWidth { get; init; }

    /// <summary>Centres of the target's bumps.</summary>
    public double[] TargetCentres { get; init; } = [];

    /// <summary>Amplitudes of the target's bumps.</summary>
    public double[] TargetAmplitudes { get; init; } = [];

    /// <summary>The seed of the jumps.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads of the evaluator.</summary>
    public int Threads { get; init; }

    /// <summary>One entry per method: transport, constant population, weighted.</summary>
    public MethodResult[] Methods { get; init; } = [];
}

/// <summary>
/// Gaussian features (<see cref="GaussianFeatures"/>, σ = 0.2, d = 1) fitting a target f* of three bumps on [0, 1]: the
/// target is the reference measure ν = Σ_k ⅓ δ_(a_k, t_k), so E(μ) = ½∬K d(μ − ν)d(μ − ν) = ½∫(f − f*)² dx in units of
/// (πσ²)^{1/2}. n particles start poorly placed — evenly over [−1.5, 2.5] with c = 1, most of them where f* is 0 — and
/// run the same flow time T with pure transport (α = 0), constant-population birth–death and weighted birth–death (α = 20).
/// </summary>
public static class BirthDeathProblem
{
    /// <summary>Particles of the sample.</summary>
    public const int Particles = 128;

    /// <summary>Steps of the sample.</summary>
    public const int Steps = 1000;

    /// <summary>Δt.</summary>
    public const double StepSize = 0.01;

    /// <summary>α of both birth–death methods.</summary>
    public const double Rate = 20;

    /// <summary>Where the initial particles are spread evenly.</summary>
    public const double Low = -1.5;

    /// <summary>Where the initial particles are spread evenly.</summary>
    public const double High = 2.5;

    /// <summary>Centres t_k of the target's bumps.</summary>
    public static IReadOnlyList<double> Centres { get; } = [0.15, 0.5, 0.85];

    /// <summary>Amplitudes a_k of the target's bumps.</summary>
    public static IReadOnlyList<double> Amplitudes { get; } = [1.0, 0.6, 1.4];

    /// <summary>The methods, in the order they run: (name, α, mode).</summary>
    public static IReadOnlyList<(string Name, double Rate, BirthDeathMode Mode)> Methods { get; } =
        [("transport", 0, BirthDeathMode.ConstantPopulation), ("constant-population", Rate, BirthDeathMode.ConstantPopulation), ("weighted", Rate, BirthDeathMode.Weighted)];

    /// <summary>The target measure ν.</summary>
    public static ParticleSet Target()
    {
        var target = ParticleSet.Create(LayoutOf<GaussianFeatures>(), Centres.Count, dimension: 1);
        for (int k = 0; k < Centres.Count; k++)
        {
            target.Scalar(0)[k] = Amplitudes[k];
            target.Vector(0)[k] = Centres[k];
        }

        return target;
    }

    /// <summary>n particles evenly over [<see cref="Low"/>, <see cref="High"/>] with c = 1.</summary>
    /// <param name="particles">n ≥ 2.</param>
    public static ParticleSet Start(int particles)
    {
        var set = ParticleSet.Create(LayoutOf<GaussianFeatures>(), particles, dimension: 1);
        for (int i = 0; i < particles; i++)
        {
            set.Scalar(0)[i] = 1;
            set.Vector(0)[i] = Low + ((High - Low) * i / (particles - 1));
        }

        return set;
    }

    /// <summary>Runs the three methods.</summary>
    /// <param name="particles">n ≥ 2.</param>
    /// <param name="steps">Steps of each method (≥ 1).</param>
    /// <param name="threads">Threads of the evaluator.</param>
    /// <param name="seed">Seed of the constant-population jumps.</param>
    /// <param name="progress">Told (method, steps done, E) at every recorded step; may be null.</param>
    public static BirthDeathResult Run(int particles, int steps, int threads, ulong seed, Action<string, int, double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(particles, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        using var energy = new InteractionEvaluator<GaussianFeatures>(new InteractionEvaluatorOptions { ThreadCount = threads, Reference = Target() });
        var results = new List<MethodResult>();
        int recordEvery = Math.Max(1, steps / 100);
        foreach (var (name, rate, mode) in Methods)
        {
            var clock = Stopwatch.StartNew();
            var set = Start(particles);
            var sink = progress is null ? null : new Progress(name, progress);
            using var dynamics = new BirthDeathDynamics(set, energy, new BirthDeathOptions
            {
                StepSize = StepSize,
                Rate = rate,
                Mode = mode,
                Seed = seed,
                MaxSteps = steps,
                RecordEvery = recordEvery,
                Progress = sink,
            });
            double initial = dynamics.Energy();
            var run = dynamics.Run();
            clock.Stop();
            double mass = 0;
            foreach (double w in set.Weights)
            {
                mass += w;
            }

            results.Add(new MethodResult
            {
                Method = name,
                Rate = rate,
                InitialEnergy = initial,
                FinalEnergy = run.FinalLoss,
                Births = dynamics.Births,
                Deaths = dynamics.Deaths,
                TotalMass = mass,
                Seconds = clock.Elapsed.TotalSeconds,
                Times = dynamics.EnergyHistory.Select(r => r.Step * StepSize).ToArray(),
                Energies = dynamics.EnergyHistory.Select(r => r.Loss).ToArray(),
            });
        }

        return new BirthDeathResult
        {
            Particles = particles,
            Steps = steps,
            StepSize = StepSize,
            FeatureWidth = GaussianFeatures.Sigma,
            TargetCentres = [.. Centres],
            TargetAmplitudes = [.. Amplitudes],
            Seed = seed,
            Threads = threads,
            Methods = [.. results],
        };
    }

    private static InteractionLayout LayoutOf<T>()
        where T : struct, IInteractionModel<T> => T.Layout;

    /// <summary>Forwards the dynamics' reports, on the running thread.</summary>
    private sealed class Progress(string method, Action<string, int, double> report) : IProgress<GradientFlowProgress>
    {
        public void Report(GradientFlowProgress value) => report(method, value.Step, value.Loss);
    }
}
