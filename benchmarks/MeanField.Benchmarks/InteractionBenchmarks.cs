using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Throughput;
using MeanField.Models;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Benchmarks;

/// <summary>
/// The n × n interaction step of issue 8: the Wasserstein gradient ∇θ δE/δμ at every particle of the ReLU arc-cosine
/// kernel energy, then the Euler update θ ← θ − η∇V; exact (n² pairs) and Random Batch Method (batches of p, n·p pairs).
/// <see cref="Kernel"/> picks the kernel's code: "hand" (<see cref="ArcCosine"/>, hand-written, its ∇K simplified by hand
/// and fused with K: 2 square roots and 4 divisions per pair with acos's own, each common term once) or "generated"
/// (<see cref="ArcCosineKernel"/> of src/Models, the generator's fused K with ∇K, its cancelling terms removed: on its
/// common branch 2 square roots and 1 division besides acos's own; specs/performance.md §6, "What the interaction step's
/// time is made of"). Reported per step, with
/// allocated bytes, steps/s, GFLOP/s and % of peak (<see cref="ThroughputConfig"/>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class InteractionBenchmarks : IFlopCounted
{
    private const double StepSize = 1e-3;

    private IStepper? stepper;
    private ParticleSet? particles;
    private ParticleSet? gradient;
    private long step;

    /// <summary>n, the number of particles.</summary>
    [Params(8192)]
    public int N { get; set; } = 8192;

    /// <summary>d, the dimension of w.</summary>
    [Params(32)]
    public int D { get; set; } = 32;

    /// <summary>"exact" or "rbm".</summary>
    [Params("exact", "rbm")]
    public string Evaluation { get; set; } = "exact";

    /// <summary>p, the Random Batch Method's batch size (unused by the exact method).</summary>
    [Params(64)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Threads for the reductions.</summary>
    [Params(2)]
    public int Threads { get; set; } = 2;

    /// <summary>"hand" (the hand-written <see cref="ArcCosine"/>) or "generated" (<see cref="ArcCosineKernel"/>).</summary>
    [Params("hand", "generated")]
    public string Kernel { get; set; } = "hand";

    /// <summary>
    /// The exact step's schedule: "symmetric" (each unordered pair once, the evaluator's default) or "ordered" (every
    /// ordered pair: the schedule before, for the `interaction --schedule both` comparison). Not a benchmark parameter.
    /// </summary>
    public string Schedule { get; set; } = "symmetric";

    /// <summary>The particles' values after the steps so far (for the benchmark's tests).</summary>
    internal ReadOnlySpan<double> ParticleValues => particles!.Values;

    /// <summary>Kernel evaluations so far (for the benchmark's tests: the pairs a step evaluates).</summary>
    internal long KernelEvaluations => stepper!.KernelEvaluations;

    /// <summary>
    /// The floating-point operations one step is credited with: the two d-deep tile products per ordered pair (the pair
    /// channel w·w′ and the pair part of the gradient, 2 flops per multiply-add each), 4·d per pair of
    /// <see cref="PairsPerStep"/> — what an implementation that visits every ordered pair does, and the figure earlier
    /// measurements used. The exact step's symmetric schedule performs fewer (<see cref="PerformedFlopsPerStep"/>: about
    /// ¾). The kernel's own arithmetic (acos, square roots, divisions) is counted by neither.
    /// </summary>
    public static double FlopsPerStep(int n, int d, string method, int batchSize) => 4.0 * d * PairsPerStep(n, method, batchSize);

    /// <summary>
    /// The tile-product flops the step's schedule actually performs: the pair channel once per kernel evaluation (2d)
    /// and the gradient's product once per ordered pair (2d: the symmetric schedule's two backward products per
    /// unordered pair), 2d·(<see cref="EvaluationsPerStep"/> + <see cref="PairsPerStep"/>); 4d per pair where every
    /// ordered pair is evaluated (Random Batch, n ≤ 64).
    /// </summary>
    public static double PerformedFlopsPerStep(int n, int d, string method, int batchSize, bool symmetric = true) =>
        2.0 * d * (EvaluationsPerStep(n, method, batchSize, symmetric) + PairsPerStep(n, method, batchSize));

    /// <summary>Ordered pairs per step, the pairs the sums run over: n² exact; Σ_b m_b² for the Random Batch Method (batches of p, a remainder of 1 joining the last).</summary>
    public static double PairsPerStep(int n, string method, int batchSize)
    {
        if (method != "rbm" || batchSize >= n)
        {
            return (double)n * n;
        }

        int full = n / batchSize;
        int remainder = n - (full * batchSize);
        return remainder == 1
            ? ((full - 1) * (double)batchSize * batchSize) + ((batchSize + 1.0) * (batchSize + 1.0))
            : (full * (double)batchSize * batchSize) + ((double)remainder * remainder);
    }

    /// <summary>
    /// Kernel evaluations per step over μ (the Random Batch's n self-pair reweightings not included): the exact step
    /// evaluates each unordered pair once and the 64 × 64 diagonal blocks whole, (n² + Σ_t c_t²)/2 over tiles of c_t
    /// points (specs/performance.md §3.1; n² when one tile holds every point); Random Batch, and the ordered schedule
    /// (<paramref name="symmetric"/> false), every ordered pair of each batch.
    /// </summary>
    public static double EvaluationsPerStep(int n, string method, int batchSize, bool symmetric = true)
    {
        if (method == "rbm" && batchSize < n || !symmetric)
        {
            return PairsPerStep(n, method, batchSize);
        }

        double diagonal = ((double)(n / 64) * 64 * 64) + ((double)(n % 64) * (n % 64));
        return (((double)n * n) - diagonal) / 2 + diagonal;
    }

    [GlobalSetup]
    public void Setup()
    {
        var options = new InteractionEvaluatorOptions
        {
            ThreadCount = Threads,
            Method = Evaluation == "rbm" ? InteractionMethod.RandomBatch : InteractionMethod.Exact,
            BatchSize = BatchSize,
            Seed = 1,
        };
        stepper = Kernel switch
        {
            "hand" => new Stepper<ArcCosine>(options, Schedule != "ordered"),
            "generated" => new Stepper<ArcCosineKernel>(options, Schedule != "ordered"),
            _ => throw new ArgumentException($"Kernel is '{Kernel}'; expected 'hand' or 'generated'.", nameof(Kernel)),
        };

        // The same particles for both kernels (c ~ N(0, 1), w ~ N(0, I/d); both layouts are (c, w)).
        particles = ParticleSet.Create(stepper.Layout, N, D);
        particles.InitializeGaussian(1);
        gradient = ParticleSet.Create(stepper.Layout, N, D);
        Step();
    }

    /// <summary>One step (<see cref="Step"/>) or, with <paramref name="energy"/>, one exact E(μ) of the current particles.</summary>
    internal double Measure(bool energy) => energy ? stepper!.Energy(particles!) : Step();

    /// <summary>One step: the gradient at every particle and the Euler update; returns the energy (estimate).</summary>
    [Benchmark]
    public double Step()
    {
        double energy = stepper!.Gradient(particles!, gradient!, step++);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient!.Values, -StepSize, particles!.Values, particles.Values);
        return energy;
    }

    [GlobalCleanup]
    public void Cleanup() => stepper?.Dispose();

    /// <inheritdoc/>
    public double FlopsPerOperation => FlopsPerStep(N, D, Evaluation, BatchSize);

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => Threads;

    /// <summary>The command's option rules that <paramref name="steps"/> … <paramref name="measure"/> break, each naming its
    /// option and the value given ("; "-separated), or null when every rule holds.</summary>
    internal static string? OptionProblems(int steps, int warmup, string evaluation, string schedule, string measure)
    {
        var problems = new List<string>();
        if (steps < 1)
        {
            problems.Add($"--steps must be ≥ 1 (got {steps})");
        }

        if (warmup < 0)
        {
            problems.Add($"--warmup must be ≥ 0 (got {warmup})");
        }

        if (evaluation is not ("exact" or "rbm"))
        {
            problems.Add($"--evaluation must be exact or rbm (got '{evaluation}')");
        }

        if (schedule is not ("symmetric" or "ordered" or "both"))
        {
            problems.Add($"--schedule must be symmetric, ordered or both (got '{schedule}')");
        }

        if (measure is not ("step" or "energy"))
        {
            problems.Add($"--measure must be step or energy (got '{measure}')");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>
    /// <c>-- interaction [--n 8192 --d 32 --kernel hand|generated --evaluation exact|rbm --batch 64 --threads 2 --steps 5
    /// --warmup 1 --schedule symmetric|ordered|both --measure step|energy]</c>: times the step (or, with
    /// <c>--measure energy</c>, one exact E(μ)) as the W1 command does (median of the timed
    /// steps after warm-up) and prints one JSON line per schedule: ms per step, ordered pairs per second, GFLOP/s credited
    /// at 4d flops per ordered pair (<see cref="FlopsPerStep"/>) and GFLOP/s of the products the schedule performs
    /// (<see cref="PerformedFlopsPerStep"/>). "both" builds two evaluators and times their steps in turn, so that a noisy
    /// host slows both alike. Exit 2 on a bad option.
    /// </summary>
    public static int Command(ReadOnlySpan<string> args, TextWriter output)
    {
        var options = new Dictionary<string, string>
        {
            ["n"] = "8192", ["d"] = "32", ["kernel"] = "hand", ["evaluation"] = "exact", ["batch"] = "64", ["threads"] = "2", ["steps"] = "5", ["warmup"] = "1",
            ["schedule"] = "symmetric", ["measure"] = "step",
        };
        if (!CommandOptions.TryRead("interaction", args, options))
        {
            return 2;
        }

        // "both": the ordered and the symmetric schedule in one process, their steps in turn (StepTimer.SecondsInTurn).
        string schedule = options["schedule"];
        bool energy = options["measure"] == "energy";
        var runs = new List<InteractionBenchmarks>();
        int steps = 0, warmup = 0;
        try
        {
            int Int(string key) => int.Parse(options[key], System.Globalization.CultureInfo.InvariantCulture);
            (steps, warmup) = (Int("steps"), Int("warmup"));
            if (OptionProblems(steps, warmup, options["evaluation"], schedule, options["measure"]) is { } problems)
            {
                throw new ArgumentException(problems);
            }

            foreach (string each in schedule == "both" ? new[] { "ordered", "symmetric" } : new[] { schedule })
            {
                var benchmarks = new InteractionBenchmarks { Schedule = each };
                runs.Add(benchmarks);
                (benchmarks.N, benchmarks.D, benchmarks.BatchSize, benchmarks.Threads) = (Int("n"), Int("d"), Int("batch"), Int("threads"));
                (benchmarks.Kernel, benchmarks.Evaluation) = (options["kernel"], options["evaluation"]);
                benchmarks.Setup(); // one step
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            Console.Error.WriteLine($"interaction: {e.Message}");
            runs.ForEach(run => run.Cleanup());
            return 2;
        }

        try
        {
            // Setup ran the first warm-up step.
            if (runs.Count == 1)
            {
                Report(runs[0], StepTimer.Seconds(Math.Max(0, warmup - 1), steps, () => runs[0].Measure(energy)), energy, output);
            }
            else
            {
                (double[] ordered, double[] symmetric) = StepTimer.SecondsInTurn(
                    Math.Max(0, warmup - 1), steps, () => runs[0].Measure(energy), () => runs[1].Measure(energy));
                Report(runs[0], ordered, energy, output);
                Report(runs[1], symmetric, energy, output);
            }

            return 0;
        }
        finally
        {
            runs.ForEach(run => run.Cleanup());
        }
    }

    /// <summary>
    /// The JSON line of one schedule's timed calls (sorted seconds). The energy (<paramref name="energy"/>: always exact)
    /// is credited 2d flops per ordered pair (its one product, the pair channels) and performs 2d per evaluation.
    /// </summary>
    private static void Report(InteractionBenchmarks run, double[] seconds, bool energy, TextWriter output)
    {
        double median = StepTimer.Median(seconds) * 1e3, fastest = seconds[0] * 1e3;
        bool symmetric = run.Schedule == "symmetric";
        string evaluation = energy ? "exact" : run.Evaluation;
        double pairs = PairsPerStep(run.N, evaluation, run.BatchSize);
        double gflops = (energy ? FlopsPerStep(run.N, run.D, evaluation, run.BatchSize) / 2 : FlopsPerStep(run.N, run.D, evaluation, run.BatchSize)) / (median * 1e6);
        double performed = (energy
            ? 2.0 * run.D * EvaluationsPerStep(run.N, evaluation, run.BatchSize, symmetric)
            : PerformedFlopsPerStep(run.N, run.D, evaluation, run.BatchSize, symmetric)) / (median * 1e6);
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"impl\": \"meanfield-{run.Kernel}\", \"measure\": \"{(energy ? "energy" : "step")}\", \"evaluation\": \"{evaluation}\", \"schedule\": \"{run.Schedule}\", \"n\": {run.N}, \"d\": {run.D}, \"threads\": {run.Threads}, \"ms\": {median:F2}, \"min_ms\": {fastest:F2}, \"pairs_per_s\": {pairs / (median * 1e-3):E3}, \"gflops_4d\": {gflops:F1}, \"gflops_performed\": {performed:F1}}}"));
    }

    /// <summary>One evaluator behind the kernel choice (the step is generic in the model).</summary>
    private interface IStepper : IDisposable
    {
        long KernelEvaluations { get; }

        InteractionLayout Layout { get; }

        double Gradient(ParticleSet particles, ParticleSet gradient, long step);

        double Energy(ParticleSet particles);
    }

    private sealed class Stepper<TModel>(InteractionEvaluatorOptions options, bool symmetric) : IStepper
        where TModel : struct, IInteractionModel<TModel>
    {
        private readonly InteractionEvaluator<TModel> _evaluator = new(options) { SymmetricSchedule = symmetric };

        public long KernelEvaluations => _evaluator.KernelEvaluations;

        public InteractionLayout Layout => TModel.Layout;

        public double Gradient(ParticleSet particles, ParticleSet gradient, long step) => _evaluator.Gradient(particles, gradient, [], step);

        public double Energy(ParticleSet particles) => _evaluator.Energy(particles);

        public void Dispose() => _evaluator.Dispose();
    }
}
