using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> EvaluatorRows()
    {
        const string Ctor = "NetworkEvaluator`1..ctor(Int32)";
        foreach (int threads in new[] { 0, -1, 1025, int.MaxValue })
        {
            yield return Row<ArgumentOutOfRangeException>(Ctor, $"threadCount {threads}", "threadCount", ["between 1 and 1024", $"got {threads}"], w => new NetworkEvaluator<GatedTanh>(threads).Dispose());
        }

        const string PredictSamples = "NetworkEvaluator`1.Predict(ParticleSet, SampleSet, Span<Double>)";
        foreach (BadInputRow row in CommonEvaluatorRows(PredictSamples, (w, p, s) => w.Evaluator.Predict(p, s, w.Buffer.AsSpan(0, BadInputWorld.L))))
        {
            yield return row;
        }

        yield return Row<ArgumentException>(PredictSamples, "predictions too short", "predictions", ["predictions has length 19; expected exactly 20"], w => w.Evaluator.Predict(w.Particles, w.Samples, w.Buffer.AsSpan(0, 19)));
        yield return Row<ArgumentException>(PredictSamples, "predictions too long", "predictions", ["predictions has length 21; expected exactly 20"], w => w.Evaluator.Predict(w.Particles, w.Samples, w.Buffer.AsSpan(0, 21)));
        yield return Row<ArgumentException>(PredictSamples, "predictions empty", "predictions", ["predictions has length 0"], w => w.Evaluator.Predict(w.Particles, w.Samples, Span<double>.Empty));
        foreach (BadInputRow row in EvaluatorUse(PredictSamples, w => w.Evaluator.Predict(w.Particles, w.Samples, w.Buffer.AsSpan(0, BadInputWorld.L))))
        {
            yield return row;
        }

        const string PredictRaw = "NetworkEvaluator`1.Predict(ParticleSet, ReadOnlySpan<Double>, Span<Double>)";
        yield return Row<ArgumentNullException>(PredictRaw, "particles null", "particles", ["particles"], w => w.Evaluator.Predict(null!, w.RawInputs, w.Buffer.AsSpan(0, BadInputWorld.L)));
        yield return Row<ArgumentException>(PredictRaw, "particles of another model", "particles", ["TanhRidge", "GatedTanh"], w => w.Evaluator.Predict(w.OtherModelParticles, w.RawInputs, w.Buffer.AsSpan(0, BadInputWorld.L)));
        yield return Row<ArgumentException>(PredictRaw, "predictions empty", "predictions", ["predictions is empty"], w => w.Evaluator.Predict(w.Particles, w.RawInputs, Span<double>.Empty));
        yield return Row<ArgumentException>(PredictRaw, "inputs one value short", "inputs", ["inputs has 59 values", "need 60"], w => w.Evaluator.Predict(w.Particles, w.RawInputs.AsSpan(1), w.Buffer.AsSpan(0, BadInputWorld.L)));
        yield return Row<ArgumentException>(PredictRaw, "inputs one row too long", "inputs", ["inputs has 60 values", "need 57"], w => w.Evaluator.Predict(w.Particles, w.RawInputs, w.Buffer.AsSpan(0, 19)));
        foreach ((double bad, string text) in NonFinite)
        {
            yield return Row<ArgumentException>(PredictRaw, $"inputs[3, 1] is {text}", "inputs", [$"inputs[3, 1] (row 3, component 1; flat index 10) is {text}"], w =>
            {
                double[] x = (double[])w.RawInputs.Clone();
                x[10] = bad;
                w.Evaluator.Predict(w.Particles, x, w.Buffer.AsSpan(0, BadInputWorld.L));
            });
        }

        yield return Row<ArgumentException>(PredictRaw, "particles hold NaN", "particles", ["particles." + BadParticle + "NaN"], w => w.Evaluator.Predict(w.NaNParticles, w.RawInputs, w.Buffer.AsSpan(0, BadInputWorld.L)));
        foreach (BadInputRow row in EvaluatorUse(PredictRaw, w => w.Evaluator.Predict(w.Particles, w.RawInputs, w.Buffer.AsSpan(0, BadInputWorld.L))))
        {
            yield return row;
        }

        const string Loss = "NetworkEvaluator`1.Loss(ParticleSet, SampleSet)";
        foreach (BadInputRow row in CommonEvaluatorRows(Loss, (w, p, s) => w.Evaluator.Loss(p, s)).Concat(EvaluatorUse(Loss, w => w.Evaluator.Loss(w.Particles, w.Samples))))
        {
            yield return row;
        }

        const string FirstVariation = "NetworkEvaluator`1.FirstVariation(ParticleSet, SampleSet, ParticleSet, Span<Double>)";
        foreach (BadInputRow row in CommonEvaluatorRows(FirstVariation, (w, p, s) => w.Evaluator.FirstVariation(p, s, w.Probes, w.Buffer.AsSpan(0, 4))))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>(FirstVariation, "probes null", "probes", ["probes"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, null!, w.Buffer.AsSpan(0, 4)));
        yield return Row<ArgumentException>(FirstVariation, "probes of another model", "probes", ["TanhRidge"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, w.OtherModelParticles, w.Buffer.AsSpan(0, BadInputWorld.N)));
        yield return Row<ArgumentException>(FirstVariation, "probes of another dimension", "probes", ["probes has dimension 2", "the particles have 3"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, Gated(4, 2), w.Buffer.AsSpan(0, 4)));
        yield return Row<ArgumentException>(FirstVariation, "values too short", "values", ["values has length 3; expected exactly 4"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, w.Probes, w.Buffer.AsSpan(0, 3)));
        yield return Row<ArgumentException>(FirstVariation, "values too long", "values", ["values has length 5; expected exactly 4"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, w.Probes, w.Buffer.AsSpan(0, 5)));
        yield return Row<ArgumentException>(FirstVariation, "probes hold NaN", "probes", ["probes.Values[12] (vector parameter 'w' of particle 1, component 1) is NaN"], w => w.Evaluator.FirstVariation(w.Particles, w.Samples, w.NaNProbes, w.Buffer.AsSpan(0, 4)));
        foreach (BadInputRow row in EvaluatorUse(FirstVariation, w => w.Evaluator.FirstVariation(w.Particles, w.Samples, w.Probes, w.Buffer.AsSpan(0, 4))))
        {
            yield return row;
        }

        const string Gradient = "NetworkEvaluator`1.WassersteinGradient(ParticleSet, SampleSet, ParticleSet)";
        foreach (BadInputRow row in CommonEvaluatorRows(Gradient, (w, p, s) => w.Evaluator.WassersteinGradient(p, s, w.Velocity)))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>(Gradient, "velocity null", "velocity", ["velocity"], w => w.Evaluator.WassersteinGradient(w.Particles, w.Samples, null!));
        yield return Row<ArgumentException>(Gradient, "velocity with another count", "velocity", ["11 particles of dimension 3; expected 10"], w => w.Evaluator.WassersteinGradient(w.Particles, w.Samples, Gated(11, 3)));
        yield return Row<ArgumentException>(Gradient, "velocity of another model", "velocity", ["TanhRidge"], w => w.Evaluator.WassersteinGradient(w.Particles, w.Samples, w.OtherModelParticles));
        yield return Row<ArgumentException>(Gradient, "velocity is the particles", "velocity", ["different set from particles"], w => w.Evaluator.WassersteinGradient(w.Particles, w.Samples, w.Particles));
        foreach (BadInputRow row in EvaluatorUse(Gradient, w => w.Evaluator.WassersteinGradient(w.Particles, w.Samples, w.Velocity)))
        {
            yield return row;
        }

        const string Budget = "NetworkEvaluator`1.set_PairCacheBudgetBytes(Int64)";
        yield return Row<ArgumentOutOfRangeException>(Budget, "-1", "PairCacheBudgetBytes", ["-1"], w => w.Evaluator.PairCacheBudgetBytes = -1);
        yield return Row<ArgumentOutOfRangeException>(Budget, "long.MinValue", "PairCacheBudgetBytes", [long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture)], w => w.Evaluator.PairCacheBudgetBytes = long.MinValue);
        foreach (BadInputRow row in EvaluatorUse(Budget, w => w.Evaluator.PairCacheBudgetBytes = 1 << 20))
        {
            yield return row;
        }

        const string Schedule = "NetworkEvaluator`1.set_Schedule(PairSchedule)";
        yield return Row<ArgumentOutOfRangeException>(Schedule, "(PairSchedule)3", "Schedule", ["Schedule", "3"], w => w.Evaluator.Schedule = (PairSchedule)3);
        yield return Row<ArgumentOutOfRangeException>(Schedule, "(PairSchedule)(-1)", "Schedule", ["Schedule", "-1"], w => w.Evaluator.Schedule = (PairSchedule)(-1));
        foreach (BadInputRow row in EvaluatorUse(Schedule, w => w.Evaluator.Schedule = PairSchedule.Streaming))
        {
            yield return row;
        }

        foreach (BadInputRow row in EvaluatorUse("NetworkEvaluator`1.set_ValidateInputs(Boolean)", w => w.Evaluator.ValidateInputs = false))
        {
            yield return row;
        }

        const string Dispose = "NetworkEvaluator`1.Dispose()";
        yield return new BadInputRow(Dispose, "twice: the second is a no-op", null, null, [], w => w.Evaluator.Dispose()) { Arrange = w => w.Evaluator.Dispose() };
        yield return new BadInputRow(Dispose, "from inside a running call: deferred to the call's end, never blocks", null, null, [], w => w.Evaluator.Dispose()) { Mode = CallMode.InsideEvaluatorCall };
        yield return new BadInputRow(Dispose, "from another thread during a call: returns at once, the call finishes", null, null, [], w => w.Evaluator.Dispose()) { Mode = CallMode.OtherThreadDuringEvaluatorCall };
    }

    private static readonly (double Value, string Text)[] NonFinite = [(double.NaN, "NaN"), (double.PositiveInfinity, "Infinity"), (double.NegativeInfinity, "-Infinity")];

    /// <summary>Rows shared by every evaluator call taking (particles, samples): null, wrong model, wrong dimension, NaN/±∞ particles.</summary>
    private static IEnumerable<BadInputRow> CommonEvaluatorRows(string member, Action<BadInputWorld, ParticleSet, SampleSet> call)
    {
        yield return Row<ArgumentNullException>(member, "particles null", "particles", ["particles"], w => call(w, null!, w.Samples));
        yield return Row<ArgumentNullException>(member, "samples null", "samples", ["samples"], w => call(w, w.Particles, null!));
        yield return Row<ArgumentException>(member, "particles of another model", "particles", ["TanhRidge", "GatedTanh"], w => call(w, w.OtherModelParticles, w.Samples));
        yield return Row<ArgumentException>(member, "samples of another dimension", "samples", ["samples has dimension 4", "dimension 3"], w => call(w, w.Particles, w.OtherDimensionSamples));
        yield return Row<ArgumentException>(member, "particles hold NaN", "particles", ["particles." + BadParticle + "NaN"], w => call(w, w.NaNParticles, w.Samples));
        yield return Row<ArgumentException>(member, "particles hold +∞", "particles", ["particles." + BadParticle + "Infinity"], w => call(w, w.InfiniteParticles, w.Samples));
        yield return Row<ArgumentException>(member, "particles hold -∞", "particles", ["particles." + BadParticle + "-Infinity"], w => call(w, w.NegativeInfiniteParticles, w.Samples));
    }
}
