using System.Runtime.Intrinsics;
using MeanField.Numerics;
using Xunit.Abstractions;
using static MeanField.Tests.Numerics.SimdMathChecker;

namespace MeanField.Tests.Numerics;

/// <summary>
/// Every vector overload of <see cref="SimdMath"/>, at every width, against its double overload (System.Math), lane by
/// lane, over tiny, moderate and large arguments plus the IEEE specials. Tolerances: see <see cref="SimdMathChecker"/>
/// (1e-14 relative / 1e-300 absolute; exact for Abs, Max, Min, Sqrt).
/// </summary>
public sealed class SimdMathTests(ITestOutputHelper output)
{
    private static double[] General(int seed) => Points(seed, Specials,
        (400, LogUniform(-300, -8)), (100, LogUniform(-13, -11)), (600, Uniform(-10, 10)),
        (300, LogUniform(1, 3)), (200, LogUniform(3, 300)));

    private void Check(string name, SimdMathChecker.Result r) => AssertOk(r, name, output.WriteLine);

    [Fact]
    public void Exp() => Check("Exp", Unary(Points(1, Specials, (500, LogUniform(-300, -8)), (1000, Uniform(-30, 30)),
        (500, Uniform(-746, 710)), (100, LogUniform(3, 300))), SimdMath.Exp, SimdMath.Exp, SimdMath.Exp, SimdMath.Exp));

    [Fact]
    public void Log() => Check("Log", Unary(Points(2, Specials, (500, LogUniform(-320, 308, positive: true)),
        (800, Uniform(0, 3)), (300, Uniform(0.999, 1.001)), (50, LogUniform(-5, 5))), SimdMath.Log, SimdMath.Log, SimdMath.Log, SimdMath.Log));

    [Fact]
    public void Sqrt() => Check("Sqrt", Unary(Points(3, Specials, (1200, LogUniform(-320, 308)), (300, Uniform(0, 10))),
        SimdMath.Sqrt, SimdMath.Sqrt, SimdMath.Sqrt, SimdMath.Sqrt, relTol: 0));

    [Fact]
    public void Sin() => Check("Sin", Unary(General(4), SimdMath.Sin, SimdMath.Sin, SimdMath.Sin, SimdMath.Sin));

    [Fact]
    public void Cos() => Check("Cos", Unary(General(5), SimdMath.Cos, SimdMath.Cos, SimdMath.Cos, SimdMath.Cos));

    [Fact]
    public void Tanh() => Check("Tanh", Unary(Points(6, [.. Specials, 1e-10, -1e-10, 50, -50, 0.625, -0.625, 354, 355, 1e-300],
        (400, LogUniform(-300, -8)), (100, LogUniform(-13, -11)), (600, Uniform(-3, 3)), (200, Uniform(0.6, 0.65)),
        (300, Uniform(-40, 40)), (200, LogUniform(1, 300))), SimdMath.Tanh, SimdMath.Tanh, SimdMath.Tanh, SimdMath.Tanh));

    [Fact]
    public void Softplus() => Check("Softplus", Unary(Points(13, [.. Specials, 36, 37, -37, 708, -708, -708.4, -745, 800, -800],
        (400, LogUniform(-300, -8)), (600, Uniform(-3, 3)), (300, Uniform(-40, 40)), (300, LogUniform(1, 300))),
        SimdMath.Softplus, SimdMath.Softplus, SimdMath.Softplus, SimdMath.Softplus));

    [Fact]
    public void Logistic() => Check("Logistic", Unary(Points(14, [.. Specials, 36, 37, -37, 708, -708, -708.4, -745, 800, -800],
        (400, LogUniform(-300, -8)), (600, Uniform(-3, 3)), (300, Uniform(-40, 40)), (300, LogUniform(1, 300))),
        SimdMath.Logistic, SimdMath.Logistic, SimdMath.Logistic, SimdMath.Logistic));

    [Fact]
    public void Atan() => Check("Atan", Unary(Points(7, [.. Specials, 0.66, -0.66, 2.414213562373095, 2.4142135623730954],
        (400, LogUniform(-300, -8)), (100, LogUniform(-13, -11)), (600, Uniform(-10, 10)), (200, Uniform(0.6, 2.5)),
        (300, LogUniform(1, 300))), SimdMath.Atan, SimdMath.Atan, SimdMath.Atan, SimdMath.Atan));

    [Fact]
    public void Acos()
    {
        double[] edges = [.. Specials, 1.0000000000000002, -1.0000000000000002, 0.9999999999999999, -0.9999999999999999, 2, -5, 1e300];
        Check("Acos", Unary(Points(8, edges, (300, LogUniform(-300, -8)), (800, Uniform(-1, 1)), (200, Uniform(0.45, 0.55)),
            (200, Uniform(-0.55, -0.45)), (200, r => (r.Next(2) == 0 ? 1 : -1) * (1 - Math.Pow(10, -16 * r.NextDouble()))),
            (100, r => (r.Next(2) == 0 ? 1 : -1) * (1 + Math.Pow(10, -15 + 15 * r.NextDouble())))),
            SimdMath.Acos, SimdMath.Acos, SimdMath.Acos, SimdMath.Acos));
    }

    [Fact]
    public void AcosOfCentralLanesHasTheSameBitsWithOrWithoutAnOuterLane()
    {
        // A vector whose lanes all have |x| ≤ 0.5 takes Acos's central-only path; the same lanes beside one outer lane
        // (0.75, −0.999, 1, NaN) take the general path. The central lanes must not tell the two apart, at any width.
        (int Width, Func<double[], double[]> Acos)[] widths =
        [
            (2, v => { var r = SimdMath.Acos(Vector128.Create(v)); return [r[0], r[1]]; }),
            (4, v => { var r = SimdMath.Acos(Vector256.Create(v)); return [r[0], r[1], r[2], r[3]]; }),
            (8, v => { var r = SimdMath.Acos(Vector512.Create(v)); return [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]]; }),
        ];
        var random = new Random(15);
        double[] outer = [0.75, -0.999, 1.0, double.NaN];
        for (int trial = 0; trial < 200; trial++)
        {
            double[] x = new double[8];
            for (int k = 0; k < x.Length; k++)
            {
                // |x| ≤ 0.5, the boundary itself (central by fdlibm's rule) in every fourth trial.
                x[k] = trial % 4 == 0 && k == 3 ? (trial % 8 == 0 ? 0.5 : -0.5) : random.NextDouble() - 0.5;
            }

            foreach (var (width, acos) in widths)
            {
                for (int first = 0; first < x.Length; first += width)
                {
                    double[] lanes = x[first..(first + width)];
                    double[] central = acos(lanes);
                    for (int lane = 0; lane < width; lane++)
                    {
                        double[] mixed = (double[])lanes.Clone();
                        mixed[lane] = outer[trial % outer.Length];
                        double[] general = acos(mixed);
                        for (int k = 0; k < width; k++)
                        {
                            if (k == lane)
                            {
                                continue;
                            }

                            Assert.True(BitConverter.DoubleToInt64Bits(central[k]) == BitConverter.DoubleToInt64Bits(general[k]),
                                $"acos({lanes[k]:R}) at width {width}: {central[k]:R} all central, {general[k]:R} beside {mixed[lane]:R}");
                        }
                    }

                    for (int k = 0; k < width; k++)
                    {
                        double exact = Math.Acos(lanes[k]);
                        Assert.True(Math.Abs(central[k] - exact) <= 1e-14 * exact, $"acos({lanes[k]:R}) = {central[k]:R}"); // SimdMathChecker's tolerance
                    }
                }
            }
        }
    }

    [Fact]
    public void Abs() => Check("Abs", Unary(General(9), SimdMath.Abs, SimdMath.Abs, SimdMath.Abs, SimdMath.Abs, relTol: 0));

    [Fact]
    public void MaxMin()
    {
        // Pairs with NaN in either place and both orders of ±0; Max/Min are exact (tolerance 0, sign of zero checked).
        double[] xs = General(10);
        double[] ys = Points(11, [.. Specials.Reverse(), 0.0, -0.0], (xs.Length, Uniform(-10, 10)));
        ys = [.. ys, .. xs];
        xs = [.. xs, .. xs.Reverse()];
        double[] zx = [0.0, -0.0, 0.0, -0.0, double.NaN, 1.0, -1.0, 2.0];
        double[] zy = [-0.0, 0.0, 0.0, -0.0, 3.0, double.NaN, -0.0, 0.0];
        foreach (var (px, py) in new[] { (xs, ys), (zx, zy) })
        {
            Check("Max", Binary(px, py, SimdMath.Max, SimdMath.Max, SimdMath.Max, SimdMath.Max, relTol: 0));
            Check("Min", Binary(px, py, SimdMath.Min, SimdMath.Min, SimdMath.Min, SimdMath.Min, relTol: 0));
        }
    }

    [Fact]
    public void SmallAndLargeTanhAreExact()
    {
        Assert.Equal(Math.Tanh(1e-10), SimdMath.Tanh(Vector256.Create(1e-10))[0]);
        Assert.Equal(1.0, SimdMath.Tanh(Vector256.Create(50.0))[3]);
        Assert.Equal(-1.0, SimdMath.Tanh(Vector512.Create(-50.0))[7]);
        Assert.Equal(-1.0, SimdMath.Tanh(Vector128.Create(double.NegativeInfinity))[1]);
        Assert.Equal(Math.PI / 2, SimdMath.Atan(Vector256.Create(double.PositiveInfinity))[0]);
        Assert.True(double.IsNaN(SimdMath.Acos(Vector256.Create(1.0000000000000002))[0]));
    }

    [Fact]
    public void CheckerDetectsPermutedLanes()
    {
        double[] xs = General(12);
        var r = Unary(xs, Math.Exp, Vector128.Exp, x => Vector256.Shuffle(Vector256.Exp(x), Vector256.Create(1L, 0, 2, 3).AsDouble().AsInt64()), Vector512.Exp);
        Assert.NotEmpty(r.Failures);
    }
}
