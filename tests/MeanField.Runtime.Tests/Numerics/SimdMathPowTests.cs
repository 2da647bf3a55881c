using MeanField.Numerics;
using Xunit.Abstractions;
using static MeanField.Tests.Numerics.SimdMathChecker;

namespace MeanField.Tests.Numerics;

/// <summary>
/// <see cref="SimdMath.Pow(System.Runtime.Intrinsics.Vector256{double}, System.Runtime.Intrinsics.Vector256{double})"/>
/// and the other widths against Math.Pow. Pow carries ln|x| and y·ln|x| in double-double, so the documented bound
/// (≈1e-15 relative wherever the result is a normal double) holds even for |y·ln x| near 700; the test uses the common
/// 1e-14 tolerance over the whole range, including y·ln x spanning the over/underflow limits.
/// </summary>
public sealed class SimdMathPowTests(ITestOutputHelper output)
{
    private static (double[] X, double[] Y) Pairs(int seed, int n, Func<Random, double> x, Func<Random, double> y)
    {
        var xs = Points(seed, [], (n, x)); // distinct x per lane; y need not be distinct
        var rng = new Random(seed + 1000);
        return (xs, [.. xs.Select(_ => y(rng))]);
    }

    private void Check(string name, double[] xs, double[] ys) =>
        AssertOk(Binary(xs, ys, SimdMath.Pow, SimdMath.Pow, SimdMath.Pow, SimdMath.Pow), name, output.WriteLine);

    [Fact]
    public void Moderate()
    {
        var (xs, ys) = Pairs(1, 1500, LogUniform(-5, 5, positive: true), Uniform(-20, 20));
        Check("Pow moderate", xs, ys);
    }

    [Fact]
    public void LargeExponentProducts()
    {
        // |y·ln x| up to ~800: results from subnormal to overflow, where exp(y·log x) in plain double would lose ~1e-13.
        var (xs, ys) = Pairs(2, 1500, LogUniform(-300, 300, positive: true), r => 0);
        var rng = new Random(3);
        for (int i = 0; i < ys.Length; i++)
            ys[i] = (rng.NextDouble() * 1600 - 800) / Math.Log(xs[i]);
        Check("Pow large y·ln x", xs, ys);
    }

    [Fact]
    public void NearOneAndTinyExponents()
    {
        var (xs, ys) = Pairs(4, 1200, r => 1 + (r.NextDouble() - 0.5) * Math.Pow(10, -12 * r.NextDouble()),
            r => (r.Next(2) == 0 ? 1 : -1) * Math.Pow(10, -12 + 27 * r.NextDouble()));
        Check("Pow near 1", xs, ys);
        var (xt, yt) = Pairs(5, 1200, LogUniform(-320, 308, positive: true), LogUniform(-14, -1));
        Check("Pow tiny y", xt, yt);
    }

    [Fact]
    public void NegativeBases()
    {
        // Integer exponents (odd and even: sign), non-integer exponents (NaN), |y| ≥ 2^53 (even).
        var (xs, ys) = Pairs(6, 1500, r => -Math.Pow(10, -4 + 8 * r.NextDouble()),
            r => r.Next(3) switch { 0 => r.NextDouble() * 40 - 20, 1 => Math.Round(r.NextDouble() * 60 - 30), _ => Math.Round(r.NextDouble() * 1e17) });
        Check("Pow negative base", xs, ys);
    }

    [Fact]
    public void SpecialValueGrid()
    {
        double[] v =
        [
            0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.5, -0.5, 2.5, -2.5, double.PositiveInfinity,
            double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
            1e300, -1e300, 1e-300, 9007199254740993.0, 1.0000000000000002, 0.9999999999999999, -1.0000000000000002,
        ];
        // Every (x, y) combination; lanes of a vector hold distinct (x, y) pairs.
        var xs = v.SelectMany(x => v.Select(_ => x)).ToArray();
        var ys = v.SelectMany(_ => v).ToArray();
        Assert.True(xs.Length >= 600);
        Check("Pow specials", xs, ys);
        Assert.Equal(-8.0, SimdMath.Pow(System.Runtime.Intrinsics.Vector256.Create(-2.0), System.Runtime.Intrinsics.Vector256.Create(3.0))[2]);
        Assert.Equal(4.0, SimdMath.Pow(System.Runtime.Intrinsics.Vector128.Create(-2.0), System.Runtime.Intrinsics.Vector128.Create(2.0))[1]);
        Assert.True(double.IsNaN(SimdMath.Pow(System.Runtime.Intrinsics.Vector512.Create(-2.0), System.Runtime.Intrinsics.Vector512.Create(0.5))[5]));
    }
}
