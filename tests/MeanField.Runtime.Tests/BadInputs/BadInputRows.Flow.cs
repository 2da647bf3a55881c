using System.Globalization;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> FlowRows()
    {
        const string Ctor = "GradientFlow`1..ctor(ParticleSet, SampleSet, GradientFlowOptions)";
        yield return Row<ArgumentNullException>(Ctor, "particles null", "particles", ["particles"], w => new GradientFlow<GatedTanh>(null!, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "data null", "data", ["data"], w => new GradientFlow<GatedTanh>(w.Particles, null!, w.Options).Dispose());
        yield return Row<ArgumentNullException>(Ctor, "options null", "options", ["options"], w => new GradientFlow<GatedTanh>(w.Particles, w.Samples, null!).Dispose());
        yield return Row<ArgumentException>(Ctor, "particles of another model", "particles", ["TanhRidge", "GatedTanh"], w => new GradientFlow<GatedTanh>(w.OtherModelParticles, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentException>(Ctor, "data of another dimension", "data", ["data has dimension 4", "dimension 3"], w => new GradientFlow<GatedTanh>(w.Particles, w.OtherDimensionSamples, w.Options).Dispose());
        yield return Row<ArgumentException>(Ctor, "particles hold NaN", "particles", ["particles." + BadParticle + "NaN"], w => new GradientFlow<GatedTanh>(w.NaNParticles, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentException>(Ctor, "particles hold +∞", "particles", ["particles." + BadParticle + "Infinity"], w => new GradientFlow<GatedTanh>(w.InfiniteParticles, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentException>(Ctor, "finite particles whose loss is +∞", "particles", ["loss at the initial particles is Infinity", "no finite state to restore"], w =>
        {
            // c = double.MaxValue and tanh(b) = 1 for every particle: the mean output overflows, so the loss is +∞.
            ParticleSet huge = w.Particles.Clone();
            huge.Scalar("c").Fill(double.MaxValue);
            huge.Scalar("b").Fill(50);
            huge.Vector("w").Clear();
            new GradientFlow<GatedTanh>(huge, w.Samples, w.Options).Dispose();
        });

        foreach (BadInputRow row in FlowUse("GradientFlow`1.Step()", w => w.Flow.Step())
            .Concat(FlowUse("GradientFlow`1.Run(CancellationToken)", w => w.Flow.Run()))
            .Concat(FlowUse("GradientFlow`1.Loss()", w => w.Flow.Loss())))
        {
            yield return row;
        }

        // The call guard here; the path rows of SaveCheckpoint with the other file rows (BadInputRows.Files.cs); links and
        // FIFOs in Storage/CheckpointPathTests.cs.
        const string Save = "GradientFlow`1.SaveCheckpoint(String)";
        string never = Path.Combine(Path.GetTempPath(), "meanfield-matrix-never-written.mfps");
        foreach (BadInputRow row in FlowUse(Save, w => w.Flow.SaveCheckpoint(never), checksParticles: false))
        {
            yield return row;
        }

        yield return Row<ArgumentNullException>(Save, "path null", "path", ["path"], w => w.Flow.SaveCheckpoint(null!));

        const string Dispose = "GradientFlow`1.Dispose()";
        yield return new BadInputRow(Dispose, "twice: the second is a no-op", null, null, [], w => w.Flow.Dispose()) { Arrange = w => w.Flow.Dispose() };
        yield return new BadInputRow(Dispose, "from the progress callback: deferred to the call's end, never blocks", null, null, [], w => w.Flow.Dispose()) { Mode = CallMode.InsideFlowCall };
        yield return new BadInputRow(Dispose, "from another thread during a step: returns at once, the step finishes", null, null, [], w => w.Flow.Dispose()) { Mode = CallMode.OtherThreadDuringFlowCall };
    }

    private static IEnumerable<BadInputRow> OptionsRows()
    {
        foreach (double value in new[] { 0.0, -0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            yield return Option("StepSize", "Double", value, (o, v) => o with { StepSize = v });
        }

        foreach (double value in new[] { -1e-9, double.NaN, double.PositiveInfinity })
        {
            yield return Option("Tolerance", "Double", value, (o, v) => o with { Tolerance = v });
            yield return Option("AbsoluteTolerance", "Double", value, (o, v) => o with { AbsoluteTolerance = v });
        }

        foreach (int value in new[] { -1, int.MinValue })
        {
            yield return Option("MaxSteps", "Int32", value, (o, v) => o with { MaxSteps = v });
            yield return Option("CheckpointEvery", "Int32", value, (o, v) => o with { CheckpointEvery = v });
        }

        foreach (int value in new[] { 0, -1, 1025, int.MaxValue })
        {
            yield return Option("ThreadCount", "Int32", value, (o, v) => o with { ThreadCount = v });
        }

        foreach (int value in new[] { 0, -1 })
        {
            yield return Option("RecordEvery", "Int32", value, (o, v) => o with { RecordEvery = v });
        }

        yield return Option("PairCacheBudgetBytes", "Int64", -1L, (o, v) => o with { PairCacheBudgetBytes = v });
        foreach (int value in new[] { 3, -1 })
        {
            yield return Row<ArgumentOutOfRangeException>(
                "GradientFlowOptions.set_Schedule(PairSchedule)", $"(PairSchedule){value}", "Schedule",
                ["Schedule", value.ToString(CultureInfo.InvariantCulture)], w => _ = w.Options with { Schedule = (PairSchedule)value });
        }
    }

    /// <summary>An init setter rejecting <paramref name="value"/>: ArgumentOutOfRangeException naming the property, the value in the message.</summary>
    private static BadInputRow Option<T>(string property, string typeName, T value, Func<GradientFlowOptions, T, GradientFlowOptions> set)
        where T : IFormattable
    {
        string text = value.ToString(null, CultureInfo.InvariantCulture);
        return Row<ArgumentOutOfRangeException>($"GradientFlowOptions.set_{property}({typeName})", text, property, [property, text], w => set(w.Options, value));
    }
}
