using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Workloads;
using MeanField.Models;

namespace MeanField.Benchmarks;

/// <summary>
/// W1: one full-batch mean-field gradient step (forward, backward, Euler update) of a ridge network,
/// the workload ../shared/peers times in NumPy and PyTorch. Reported per step; steps/s = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class W1StepBenchmarks
{
    private IDisposable? flow;
    private Func<double>? step;

    /// <summary>(L, d, n) as in the peers' table.</summary>
    [Params("4096,64,4096", "16384,32,1024", "1024,256,16384")]
    public string Shape { get; set; } = "4096,64,4096";

    /// <summary>The activation.</summary>
    [Params("tanh", "relu")]
    public string Activation { get; set; } = "tanh";

    /// <summary>Threads for the reductions.</summary>
    [Params(2)]
    public int Threads { get; set; } = 2;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split(',').Select(int.Parse).ToArray();
        (flow, step) = Activation == "tanh"
            ? Create<TanhNetwork>(parts[0], parts[1], parts[2], Threads)
            : Create<ReluNetwork>(parts[0], parts[1], parts[2], Threads);
        step();
    }

    [Benchmark]
    public double Step() => step!();

    [GlobalCleanup]
    public void Cleanup() => flow?.Dispose();

    internal static (IDisposable Flow, Func<double> Step) Create<TModel>(int samples, int dimension, int particles, int threads)
        where TModel : struct, INetworkModel<TModel>
    {
        var flow = new GradientFlow<TModel>(
            W1Workload.Particles<TModel>(particles, dimension),
            W1Workload.Samples(samples, dimension),
            new GradientFlowOptions { StepSize = 0.1, ThreadCount = threads, MaxSteps = int.MaxValue });
        return (flow, flow.Step);
    }

    /// <summary>
    /// The same step with a given schedule and cache budget (`w1 --schedule`, `--cache-mb`), driving the evaluator as
    /// <see cref="GradientFlow{TModel}.Step"/> does (gradient, save the state, Euler update, finiteness check), so
    /// that the schedule each step actually ran can be read back (<c>UsedCache</c>).
    /// </summary>
    internal static (IDisposable Evaluator, Func<double> Step, Func<bool> UsedCache) CreateWithSchedule<TModel>(
        int samples, int dimension, int particles, int threads, PairSchedule schedule, long budgetBytes, long blockBytes = 0)
        where TModel : struct, INetworkModel<TModel>
    {
        var set = W1Workload.Particles<TModel>(particles, dimension);
        var data = W1Workload.Samples(samples, dimension);
        var previous = set.Clone();
        var velocity = set.Clone();
        var evaluator = new NetworkEvaluator<TModel>(threads) { PairCacheBudgetBytes = budgetBytes, Schedule = schedule };
        if (blockBytes > 0)
        {
            evaluator.PairCacheBlockBytes = blockBytes; // the blocked cache's block (0: the engine's default)
        }
        var pass = new Threading.StatePass(evaluator.Pool);
        evaluator.ValidateInputs = false;
        double Step()
        {
            // As GradientFlow.Step does it: the state checked finite, the gradient, then save, move and check in one pass
            // over the state on the evaluator's workers.
            if (!pass.AllFinite(set.Data))
            {
                throw new InvalidOperationException("non-finite state");
            }

            double loss = evaluator.WassersteinGradient(set, data, velocity);
            if (!pass.SaveMoveCheck(set.Data, velocity.Data, -0.1, previous.Data))
            {
                throw new InvalidOperationException("diverged");
            }

            return loss;
        }

        return (evaluator, Step, () => evaluator.LastGradientUsedPairCache);
    }
}
