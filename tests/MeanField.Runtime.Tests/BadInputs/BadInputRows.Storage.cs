using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> StorageRows()
    {
        const string Create = "ParticleSet.Create(Int32, Int32)";
        yield return Row<ArgumentOutOfRangeException>(Create, "count 0", "count", ["at least one particle", "0"], w => ParticleSet.Create<GatedTanh>(0, 3));
        yield return Row<ArgumentOutOfRangeException>(Create, "count -1", "count", ["-1"], w => ParticleSet.Create<GatedTanh>(-1, 3));
        yield return Row<ArgumentOutOfRangeException>(Create, "dimension 0", "dimension", ["at least 1", "0"], w => ParticleSet.Create<GatedTanh>(3, 0));
        yield return Row<ArgumentOutOfRangeException>(Create, "dimension -5", "dimension", ["-5"], w => ParticleSet.Create<GatedTanh>(3, -5));
        yield return Row<ArgumentOutOfRangeException>(Create, "dimension int.MaxValue: one particle overflows an array", "dimension", ["One particle of dimension 2147483647 needs 2147483649 values"], w => ParticleSet.Create<GatedTanh>(1, int.MaxValue));
        yield return Row<ArgumentOutOfRangeException>(Create, "count int.MaxValue: more values than an array holds", "count", ["2147483647 particles of dimension 3 need 10737418235 values"], w => ParticleSet.Create<GatedTanh>(int.MaxValue, 3));
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int hugeCount = Array.MaxLength / 4; // 4 values per particle at d = 2: ≈ 17 GB
        if ((long)hugeCount * 4 * sizeof(double) > available)
        {
            yield return Row<ArgumentOutOfRangeException>(Create, "more bytes than the process has: rejected before allocating", "count", [$"need {(long)hugeCount * 4 * sizeof(double)} bytes", "available"], w => ParticleSet.Create<GatedTanh>(hugeCount, 2));
        }

        const string CreateLayout = "ParticleSet.Create(ParticleLayout, Int32, Int32)";
        yield return Row<ArgumentNullException>(CreateLayout, "layout null", "layout", ["layout"], w => ParticleSet.Create(null!, 3, 3));
        yield return Row<ArgumentOutOfRangeException>(CreateLayout, "count 0", "count", ["0"], w => ParticleSet.Create(GatedTanh.LayoutInstance, 0, 3));
        yield return Row<ArgumentOutOfRangeException>(CreateLayout, "dimension 0", "dimension", ["0"], w => ParticleSet.Create(GatedTanh.LayoutInstance, 3, 0));

        yield return Row<ArgumentOutOfRangeException>("ParticleSet.Scalar(Int32)", "index -1", "index", ["2 scalar parameters", "-1"], w => w.Particles.Scalar(-1));
        yield return Row<ArgumentOutOfRangeException>("ParticleSet.Scalar(Int32)", "index 2 (= S)", "index", ["2 scalar parameters", "2"], w => w.Particles.Scalar(2));
        yield return Row<ArgumentNullException>("ParticleSet.Scalar(String)", "name null", "name", ["name"], w => w.Particles.Scalar(null!));
        yield return Row<ArgumentException>("ParticleSet.Scalar(String)", "unknown name", "name", ["no scalar parameter 'q'", "c, b"], w => w.Particles.Scalar("q"));
        yield return Row<ArgumentOutOfRangeException>("ParticleSet.Vector(Int32)", "index -1", "index", ["1 vector parameters", "-1"], w => w.Particles.Vector(-1));
        yield return Row<ArgumentOutOfRangeException>("ParticleSet.Vector(Int32)", "index 1 (= V)", "index", ["1 vector parameters", "1"], w => w.Particles.Vector(1));
        yield return Row<ArgumentNullException>("ParticleSet.Vector(String)", "name null", "name", ["name"], w => w.Particles.Vector(null!));
        yield return Row<ArgumentException>("ParticleSet.Vector(String)", "a scalar's name", "name", ["no vector parameter 'c'", "(it has: w)"], w => w.Particles.Vector("c"));

        const string CopyTo = "ParticleSet.CopyTo(ParticleSet)";
        yield return Row<ArgumentNullException>(CopyTo, "destination null", "destination", ["destination"], w => w.Particles.CopyTo(null!));
        yield return Row<ArgumentException>(CopyTo, "destination with another count", "destination", ["11 particles of dimension 3; expected 10 of dimension 3"], w => w.Particles.CopyTo(Gated(11, 3)));
        yield return Row<ArgumentException>(CopyTo, "destination with another dimension", "destination", ["10 particles of dimension 2; expected 10 of dimension 3"], w => w.Particles.CopyTo(Gated(10, 2)));
        yield return Row<ArgumentException>(CopyTo, "destination of another model", "destination", ["TanhRidge", "GatedTanh"], w => w.Particles.CopyTo(w.OtherModelParticles));

        const string Gaussian = "ParticleSet.InitializeGaussian(UInt64, Double, Nullable<Double>)";
        foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
        {
            string text = bad.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Gaussian, $"scalarStd {text}", "scalarStd", ["finite and ≥ 0", text], w => w.Particles.InitializeGaussian(7, bad));
        }

        foreach (double bad in new[] { -1.0, double.NaN })
        {
            string text = bad.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Gaussian, $"vectorStd {text}", "vectorStd", ["finite and ≥ 0", text], w => w.Particles.InitializeGaussian(7, 1.0, bad));
        }

        const string GaussianOne = "ParticleSet.InitializeGaussian(String, UInt64, Double, Double)";
        yield return Row<ArgumentNullException>(GaussianOne, "parameter null", "parameter", ["parameter"], w => w.Particles.InitializeGaussian(null!, 7, 0, 1));
        yield return Row<ArgumentException>(GaussianOne, "unknown parameter", "parameter", ["no parameter 'q'"], w => w.Particles.InitializeGaussian("q", 7, 0, 1));
        yield return Row<ArgumentOutOfRangeException>(GaussianOne, "std -1", "std", ["-1"], w => w.Particles.InitializeGaussian("c", 7, 0, -1));
        yield return Row<ArgumentOutOfRangeException>(GaussianOne, "std NaN", "std", ["NaN"], w => w.Particles.InitializeGaussian("c", 7, 0, double.NaN));
        yield return Row<ArgumentOutOfRangeException>(GaussianOne, "mean NaN", "mean", ["NaN"], w => w.Particles.InitializeGaussian("c", 7, double.NaN, 1));
        yield return Row<ArgumentOutOfRangeException>(GaussianOne, "mean +∞", "mean", ["Infinity"], w => w.Particles.InitializeGaussian("w", 7, double.PositiveInfinity, 1));

        const string Samples = "SampleSet..ctor(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Int32)";
        yield return Row<ArgumentOutOfRangeException>(Samples, "dimension 0", "dimension", ["at least 1", "0"], w => _ = new SampleSet(w.RawInputs, w.Samples.Targets, 0));
        yield return Row<ArgumentOutOfRangeException>(Samples, "dimension -3", "dimension", ["-3"], w => _ = new SampleSet(w.RawInputs, w.Samples.Targets, -3));
        yield return Row<ArgumentException>(Samples, "no samples", "targets", ["targets is empty"], w => _ = new SampleSet([], [], 3));
        yield return Row<ArgumentException>(Samples, "inputs one value short", "inputs", ["inputs has 59 values", "need 60"], w => _ = new SampleSet(w.RawInputs.AsSpan(1), w.Samples.Targets, 3));
        yield return Row<ArgumentException>(Samples, "inputs one row too long", "inputs", ["inputs has 60 values", "19 targets", "need 57"], w => _ = new SampleSet(w.RawInputs, w.Samples.Targets[1..], 3));
        foreach ((double bad, string text) in NonFinite)
        {
            yield return Row<ArgumentException>(Samples, $"inputs[10] is {text}", "inputs", ["inputs[10] (sample 3, component 1) is " + text], w =>
            {
                double[] x = (double[])w.RawInputs.Clone();
                x[10] = bad;
                _ = new SampleSet(x, w.Samples.Targets, 3);
            });
            yield return Row<ArgumentException>(Samples, $"targets[19] is {text}", "targets", ["targets[19] is " + text], w =>
            {
                double[] y = w.Samples.Targets.ToArray();
                y[19] = bad;
                _ = new SampleSet(w.RawInputs, y, 3);
            });
        }

        yield return Row<ArgumentOutOfRangeException>("SampleSet.Input(Int32)", "index -1", "index", ["20 samples", "-1"], w => w.Samples.Input(-1));
        yield return Row<ArgumentOutOfRangeException>("SampleSet.Input(Int32)", "index 20 (= L)", "index", ["20 samples", "20"], w => w.Samples.Input(20));
    }
}
