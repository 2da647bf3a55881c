using BenchmarkDotNet.Attributes;
using MeanField.Models;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Benchmarks;

/// <summary>
/// E(μ) of the ReLU arc-cosine interaction energy at n particles: what the particle dynamics call for their progress
/// reports and divergence checks. Always exact; its sums over μ take the symmetric schedule's values-only run (each
/// unordered pair evaluated once, specs/performance.md §3.1), so this row tracks that path as
/// <see cref="InteractionBenchmarks"/> tracks the gradient's. <see cref="Kernel"/> as there.
/// </summary>
[MemoryDiagnoser]
public class InteractionEnergyBenchmarks
{
    private IParticleEnergy? energy;
    private ParticleSet? particles;

    /// <summary>n, the number of particles.</summary>
    [Params(8192)]
    public int N { get; set; } = 8192;

    /// <summary>d, the dimension of w.</summary>
    [Params(32)]
    public int D { get; set; } = 32;

    /// <summary>Threads for the reductions.</summary>
    [Params(2)]
    public int Threads { get; set; } = 2;

    /// <summary>"hand" (the hand-written <see cref="ArcCosine"/>) or "generated" (<see cref="ArcCosineKernel"/>).</summary>
    [Params("hand", "generated")]
    public string Kernel { get; set; } = "generated";

    /// <summary>Kernel evaluations so far (for the benchmark's tests).</summary>
    internal long KernelEvaluations => energy switch
    {
        InteractionEvaluator<ArcCosine> hand => hand.KernelEvaluations,
        InteractionEvaluator<ArcCosineKernel> generated => generated.KernelEvaluations,
        _ => 0,
    };

    [GlobalSetup]
    public void Setup()
    {
        var options = new InteractionEvaluatorOptions { ThreadCount = Threads };
        (energy, InteractionLayout layout) = Kernel switch
        {
            "hand" => ((IParticleEnergy)new InteractionEvaluator<ArcCosine>(options), ArcCosine.LayoutInstance),
            "generated" => (new InteractionEvaluator<ArcCosineKernel>(options), ParticleLayouts.Of<ArcCosineKernel>()),
            _ => throw new ArgumentException($"Kernel is '{Kernel}'; expected 'hand' or 'generated'.", nameof(Kernel)),
        };

        // The particles of InteractionBenchmarks (c ~ N(0, 1), w ~ N(0, I/d)).
        particles = ParticleSet.Create(layout, N, D);
        particles.InitializeGaussian(1);
        Energy();
    }

    /// <summary>E(μ).</summary>
    [Benchmark]
    public double Energy() => energy!.Energy(particles!);

    [GlobalCleanup]
    public void Cleanup() => (energy as IDisposable)?.Dispose();

    /// <summary>The layout of a generated interaction model (its static <c>Layout</c> is an explicit interface member).</summary>
    private static class ParticleLayouts
    {
        public static InteractionLayout Of<TModel>()
            where TModel : struct, IInteractionModel<TModel> => TModel.Layout;
    }
}
