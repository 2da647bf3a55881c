using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private const string Interactions = "InteractionEvaluator<GaussianKernel>";

    /// <summary>The message of a NaN/∞ in the interaction particles: vector 'z' of particle 1, component 1.</summary>
    private const string BadInteractionParticle = "Values[14] (vector parameter 'z' of particle 1, component 1) is ";

    private static IEnumerable<BadInputRow> InteractionRows()
    {
        const string Ctor = "InteractionEvaluator`1..ctor(InteractionEvaluatorOptions)";
        yield return Row<ArgumentNullException>(Ctor, "options null", "options", ["options"], w => new InteractionEvaluator<GaussianKernel>(null!).Dispose());
        yield return Row<ArgumentException>(Ctor, "reference of another model", "options", ["options.Reference holds parameters of ArcCosine", "GaussianKernel"],
            w => new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { Reference = ArcCosine.Particles(2, 3, 1) }).Dispose());
        yield return Row<ArgumentException>(Ctor, "reference holds NaN", "options", ["options.Reference." + BadInteractionParticle + "NaN"],
            w => new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { Reference = w.NaNInteractionParticles }).Dispose());
        yield return Row<ArgumentException>(Ctor, "reference weight negative", "options", ["options.Reference.Weights[3] is -0.5", "finite and ≥ 0"],
            w => new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { Reference = w.NegativeWeightParticles }).Dispose());
        yield return Row<ArgumentException>(Ctor, "reference weight NaN", "options", ["options.Reference.Weights[2] is NaN"],
            w => new InteractionEvaluator<GaussianKernel>(new InteractionEvaluatorOptions { Reference = w.NaNWeightParticles }).Dispose());

        foreach ((string property, string type, object value, Func<InteractionEvaluatorOptions, InteractionEvaluatorOptions> set) in new (string, string, object, Func<InteractionEvaluatorOptions, InteractionEvaluatorOptions>)[]
        {
            ("BatchSize", "Int32", 1, o => o with { BatchSize = 1 }),
            ("BatchSize", "Int32", 0, o => o with { BatchSize = 0 }),
            ("BatchSize", "Int32", -5, o => o with { BatchSize = -5 }),
            ("ThreadCount", "Int32", 0, o => o with { ThreadCount = 0 }),
            ("ThreadCount", "Int32", 1025, o => o with { ThreadCount = 1025 }),
            ("Method", "InteractionMethod", 7, o => o with { Method = (InteractionMethod)7 }),
        })
        {
            yield return Row<ArgumentOutOfRangeException>($"InteractionEvaluatorOptions.set_{property}({type})", $"{value}", property, [property, $"{value}"], w => set(new InteractionEvaluatorOptions()));
        }

        const string Energy = "InteractionEvaluator`1.Energy(ParticleSet)";
        foreach (BadInputRow row in CommonInteractionRows(Energy, (w, p) => w.Interactions.Energy(p)).Concat(InteractionUse(Energy, w => w.Interactions.Energy(w.InteractionParticles))))
        {
            yield return row;
        }

        const string FirstVariation = "InteractionEvaluator`1.FirstVariation(ParticleSet, ParticleSet, Span<Double>)";
        foreach (BadInputRow row in CommonInteractionRows(FirstVariation, (w, p) => w.Interactions.FirstVariation(p, w.InteractionProbes, w.Buffer.AsSpan(0, 4))))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>(FirstVariation, "probes null", "probes", ["probes"], w => w.Interactions.FirstVariation(w.InteractionParticles, null!, w.Buffer.AsSpan(0, 4)));
        yield return Row<ArgumentException>(FirstVariation, "probes of another model", "probes", ["probes holds parameters of GatedTanh"], w => w.Interactions.FirstVariation(w.InteractionParticles, w.Probes, w.Buffer.AsSpan(0, 4)));
        yield return Row<ArgumentException>(FirstVariation, "probes of another dimension", "probes", ["probes has dimension 2", "the particles have 3"],
            w => w.Interactions.FirstVariation(w.InteractionParticles, GaussianKernel.Particles(4, 2, 1), w.Buffer.AsSpan(0, 4)));
        yield return Row<ArgumentException>(FirstVariation, "values too short", "values", ["values has length 3; expected exactly 4"], w => w.Interactions.FirstVariation(w.InteractionParticles, w.InteractionProbes, w.Buffer.AsSpan(0, 3)));
        yield return Row<ArgumentException>(FirstVariation, "values too long", "values", ["values has length 5; expected exactly 4"], w => w.Interactions.FirstVariation(w.InteractionParticles, w.InteractionProbes, w.Buffer.AsSpan(0, 5)));
        yield return Row<ArgumentException>(FirstVariation, "probes hold NaN", "probes", ["probes." + BadInteractionParticle + "NaN"],
            w => w.Interactions.FirstVariation(w.InteractionParticles, w.NaNInteractionParticles, w.Buffer.AsSpan(0, BadInputWorld.N)));
        foreach (BadInputRow row in InteractionUse(FirstVariation, w => w.Interactions.FirstVariation(w.InteractionParticles, w.InteractionProbes, w.Buffer.AsSpan(0, 4))))
        {
            yield return row;
        }

        const string Gradient = "InteractionEvaluator`1.Gradient(ParticleSet, ParticleSet, Span<Double>, Int64)";
        foreach (BadInputRow row in CommonInteractionRows(Gradient, (w, p) => w.Interactions.Gradient(p, w.InteractionGradient, w.Buffer.AsSpan(0, BadInputWorld.N), 0)))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>(Gradient, "gradient null", "gradient", ["gradient"], w => w.Interactions.Gradient(w.InteractionParticles, null!, [], 0));
        yield return Row<ArgumentException>(Gradient, "gradient with another count", "gradient", ["11 particles of dimension 3; expected 10"],
            w => w.Interactions.Gradient(w.InteractionParticles, ParticleSet.Create(GaussianKernel.LayoutInstance, 11, 3), [], 0));
        yield return Row<ArgumentException>(Gradient, "gradient of another model", "gradient", ["GatedTanh"], w => w.Interactions.Gradient(w.InteractionParticles, w.Velocity, [], 0));
        yield return Row<ArgumentException>(Gradient, "gradient is the particles", "gradient", ["different set from particles"], w => w.Interactions.Gradient(w.InteractionParticles, w.InteractionParticles, [], 0));
        yield return Row<ArgumentException>(Gradient, "firstVariation too short", "firstVariation", ["firstVariation has length 9", "exactly 10"],
            w => w.Interactions.Gradient(w.InteractionParticles, w.InteractionGradient, w.Buffer.AsSpan(0, 9), 0));
        yield return Row<ArgumentException>(Gradient, "firstVariation too long", "firstVariation", ["firstVariation has length 11"],
            w => w.Interactions.Gradient(w.InteractionParticles, w.InteractionGradient, w.Buffer.AsSpan(0, 11), 0));
        yield return Row<ArgumentOutOfRangeException>(Gradient, "step -1", "step", ["-1"], w => w.Interactions.Gradient(w.InteractionParticles, w.InteractionGradient, [], -1));
        foreach (BadInputRow row in InteractionUse(Gradient, w => w.Interactions.Gradient(w.InteractionParticles, w.InteractionGradient, [], 0)))
        {
            yield return row;
        }

        const string Dispose = "InteractionEvaluator`1.Dispose()";
        yield return new BadInputRow(Dispose, "twice: the second is a no-op", null, null, [], w => w.Interactions.Dispose()) { Arrange = w => w.Interactions.Dispose() };
        yield return new BadInputRow(Dispose, "from inside a running call: deferred to the call's end, never blocks", null, null, [], w => w.Interactions.Dispose()) { Mode = CallMode.InsideInteractionCall };
        yield return new BadInputRow(Dispose, "from another thread during a call: returns at once, the call finishes", null, null, [], w => w.Interactions.Dispose()) { Mode = CallMode.OtherThreadDuringInteractionCall };

        const string Kernel = "InteractionUnit.Kernel(ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, Int32)";
        yield return Row<ArgumentOutOfRangeException>(Kernel, "dimension 0", "dimension", ["at least 1"], w => InteractionUnit.Kernel<GaussianKernel>([1.0], [], [1.0], [], 0));
        yield return Row<ArgumentException>(Kernel, "scalarsA too long", "scalarsA", ["1 scalar parameters; scalarsA has 2 values"], w => InteractionUnit.Kernel<GaussianKernel>([1.0, 2.0], [1.0, 2.0], [1.0], [1.0, 2.0], 2));
        yield return Row<ArgumentException>(Kernel, "vectorsB one value short", "vectorsB", ["2 values (V × d); vectorsB has 1 values"], w => InteractionUnit.Kernel<GaussianKernel>([1.0], [1.0, 2.0], [1.0], [1.0], 2));
        yield return Row<ArgumentException>(Kernel, "vectorsA[0, 1] is NaN", "vectorsA", ["vectorsA[0, 1]", "is NaN"], w => InteractionUnit.Kernel<GaussianKernel>([1.0], [1.0, double.NaN], [1.0], [1.0, 2.0], 2));
        yield return Row<ArgumentException>(Kernel, "scalarsB[0] is +∞", "scalarsB", ["scalarsB[0] is Infinity"], w => InteractionUnit.Kernel<GaussianKernel>([1.0], [1.0, 2.0], [double.PositiveInfinity], [1.0, 2.0], 2));

        const string KernelGradient = "InteractionUnit.KernelGradient(ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, ReadOnlySpan<Double>, Int32, Span<Double>, Span<Double>, Span<Double>, Span<Double>)";
        yield return Row<ArgumentOutOfRangeException>(KernelGradient, "dimension -1", "dimension", ["at least 1"], w => InteractionUnit.KernelGradient<GaussianKernel>([1.0], [], [1.0], [], -1, w.Buffer.AsSpan(0, 1), [], w.Buffer2.AsSpan(0, 1), []));
        yield return Row<ArgumentException>(KernelGradient, "vectorsA[0, 0] is -∞", "vectorsA", ["vectorsA[0, 0]", "is -Infinity"],
            w => InteractionUnit.KernelGradient<GaussianKernel>([1.0], [double.NegativeInfinity, 1.0], [1.0], [1.0, 2.0], 2, w.Buffer.AsSpan(0, 1), w.Buffer.AsSpan(1, 2), w.Buffer2.AsSpan(0, 1), w.Buffer2.AsSpan(1, 2)));
        foreach ((string name, int scalarA, int vectorA, int scalarB, int vectorB) in new[]
        {
            ("scalarGradientA", 2, 2, 1, 2), ("vectorGradientA", 1, 3, 1, 2), ("scalarGradientB", 1, 2, 0, 2), ("vectorGradientB", 1, 2, 1, 1),
        })
        {
            int actual = name.StartsWith("scalar", StringComparison.Ordinal) ? (name.EndsWith('A') ? scalarA : scalarB) : (name.EndsWith('A') ? vectorA : vectorB);
            yield return Row<ArgumentException>(KernelGradient, $"{name} of length {actual}", name, [$"{name} has length {actual}; expected exactly"],
                w => InteractionUnit.KernelGradient<GaussianKernel>([1.0], [1.0, 2.0], [0.5], [1.0, 3.0], 2, w.Buffer.AsSpan(0, scalarA), w.Buffer.AsSpan(10, vectorA), w.Buffer2.AsSpan(0, scalarB), w.Buffer2.AsSpan(10, vectorB)));
        }
    }

    /// <summary>Rows shared by every interaction-evaluator call taking the particles: null, wrong model, NaN/∞, bad weights, dimension ≠ the reference's.</summary>
    private static IEnumerable<BadInputRow> CommonInteractionRows(string member, Action<BadInputWorld, ParticleSet> call)
    {
        yield return Row<ArgumentNullException>(member, "particles null", "particles", ["particles"], w => call(w, null!));
        yield return Row<ArgumentException>(member, "particles of another model", "particles", ["particles holds parameters of GatedTanh", "GaussianKernel"], w => call(w, w.Particles));
        yield return Row<ArgumentException>(member, "particles of another dimension than the reference", "particles", ["particles has dimension 2; the reference measure has 3"],
            w => call(w, GaussianKernel.Particles(BadInputWorld.N, 2, 1)));
        yield return Row<ArgumentException>(member, "particles hold NaN", "particles", ["particles." + BadInteractionParticle + "NaN"], w => call(w, w.NaNInteractionParticles));
        yield return Row<ArgumentException>(member, "particles hold +∞", "particles", ["particles." + BadInteractionParticle + "Infinity"], w => call(w, w.InfiniteInteractionParticles));
        yield return Row<ArgumentException>(member, "weight negative", "particles", ["particles.Weights[3] is -0.5", "finite and ≥ 0"], w => call(w, w.NegativeWeightParticles));
        yield return Row<ArgumentException>(member, "weight NaN", "particles", ["particles.Weights[2] is NaN"], w => call(w, w.NaNWeightParticles));
    }

    /// <summary>Disposed, re-entrant and concurrent use of an interaction-evaluator member.</summary>
    private static IEnumerable<BadInputRow> InteractionUse(string member, Action<BadInputWorld> act)
    {
        yield return Row<ObjectDisposedException>(member, "after Dispose", Interactions, ["has been disposed"], act) with { Arrange = w => w.Interactions.Dispose() };
        yield return Row<InvalidOperationException>(member, "re-entrant, from inside a running call", null, [Interactions + " is already running a call on this thread", "not thread-safe"], act) with { Mode = CallMode.InsideInteractionCall };
        yield return Row<InvalidOperationException>(member, "from another thread during a call", null, [Interactions + " is already running a call on another thread", "not thread-safe"], act) with { Mode = CallMode.OtherThreadDuringInteractionCall };
    }
}
