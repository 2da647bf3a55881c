using System.Runtime.Intrinsics;
using System.Text;

namespace MeanField.Tests.Numerics;

/// <summary>
/// Compares every lane of a vector overload with the scalar (System.Math) overload on the same lane.
/// </summary>
/// <remarks>
/// Tolerance: 1e-14 relative (≈ 45 ulp), or 1e-300 absolute for results in/near the subnormal range where relative
/// error is meaningless. The approximations are accurate to a few ulp (the measured maxima are printed by the tests and
/// are ~1e-16..1e-15), so 1e-14 leaves a wide margin while still catching any wrong coefficient, branch or lane.
/// ±∞ and NaN must match exactly (NaN: any payload), and a zero result must have the same sign as the reference.
/// Exact functions (Abs, Max, Min, Sqrt) are compared with tolerance 0.
/// Inputs are de-duplicated (bitwise) and shuffled, so the lanes of each vector hold distinct values and a permuted
/// or mis-indexed lane shows up as an error.
/// </remarks>
internal static class SimdMathChecker
{
    public const double RelTol = 1e-14;
    public const double AbsTol = 1e-300;

    public sealed class Result
    {
        public double MaxRelError;
        public int Checked;
        public readonly List<string> Failures = [];
        public override string ToString() => $"checked {Checked} lanes, max rel err {MaxRelError:E2}";
    }

    /// <summary>Relative error, or 0 when within the absolute tolerance; ∞ when specials disagree.</summary>
    public static double Error(double actual, double expected, double relTol)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
            return double.IsNaN(expected) && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        if (double.IsInfinity(expected) || double.IsInfinity(actual))
            return actual == expected ? 0 : double.PositiveInfinity;
        if (expected == 0 && actual == 0)
            return double.IsNegative(expected) == double.IsNegative(actual) ? 0 : double.PositiveInfinity;
        double diff = Math.Abs(actual - expected);
        if (relTol == 0)
            return diff == 0 ? 0 : double.PositiveInfinity;
        if (diff <= AbsTol)
            return 0;
        return diff / Math.Abs(expected);
    }

    public static double[] Points(int seed, IEnumerable<double> specials, params (int Count, Func<Random, double> Draw)[] ranges)
    {
        var rng = new Random(seed);
        var all = new List<double>(specials);
        foreach (var (count, draw) in ranges)
            for (int i = 0; i < count; i++)
                all.Add(draw(rng));
        var distinct = all.DistinctBy(BitConverter.DoubleToInt64Bits).ToArray();
        rng.Shuffle(distinct);
        return distinct;
    }

    /// <summary>Log-uniform magnitude in [10^lo, 10^hi], random sign unless <paramref name="positive"/>.</summary>
    public static Func<Random, double> LogUniform(double lo, double hi, bool positive = false) =>
        r => (positive || r.Next(2) == 0 ? 1 : -1) * Math.Pow(10, lo + (hi - lo) * r.NextDouble());

    public static Func<Random, double> Uniform(double lo, double hi) => r => lo + (hi - lo) * r.NextDouble();

    public static readonly double[] Specials =
    [
        0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon, -double.Epsilon,
        double.MaxValue, double.MinValue, 2.2250738585072014e-308, -2.2250738585072014e-308, 1.0, -1.0, 0.5, -0.5,
    ];

    public static Result Unary(
        double[] xs, Func<double, double> scalar, Func<Vector128<double>, Vector128<double>> f128,
        Func<Vector256<double>, Vector256<double>> f256, Func<Vector512<double>, Vector512<double>> f512,
        double relTol = RelTol)
    {
        var zeros = new double[xs.Length];
        return Binary(xs, zeros, (x, _) => scalar(x), (x, _) => f128(x), (x, _) => f256(x), (x, _) => f512(x), relTol);
    }

    public static Result Binary(
        double[] xs, double[] ys, Func<double, double, double> scalar,
        Func<Vector128<double>, Vector128<double>, Vector128<double>> f128,
        Func<Vector256<double>, Vector256<double>, Vector256<double>> f256,
        Func<Vector512<double>, Vector512<double>, Vector512<double>> f512,
        double relTol = RelTol)
    {
        var result = new Result();
        Run(2, xs, ys, scalar, (a, b) => { var r = f128(Vector128.Create(a), Vector128.Create(b)); var o = new double[2]; r.CopyTo(o); return o; }, relTol, result);
        Run(4, xs, ys, scalar, (a, b) => { var r = f256(Vector256.Create(a), Vector256.Create(b)); var o = new double[4]; r.CopyTo(o); return o; }, relTol, result);
        Run(8, xs, ys, scalar, (a, b) => { var r = f512(Vector512.Create(a), Vector512.Create(b)); var o = new double[8]; r.CopyTo(o); return o; }, relTol, result);
        return result;
    }

    private static void Run(
        int width, double[] xs, double[] ys, Func<double, double, double> scalar,
        Func<double[], double[], double[]> vector, double relTol, Result result)
    {
        var a = new double[width];
        var b = new double[width];
        for (int start = 0; start < xs.Length; start += width)
        {
            for (int k = 0; k < width; k++)
            {
                a[k] = xs[(start + k) % xs.Length];
                b[k] = ys[(start + k) % ys.Length];
            }
            double[] got = vector(a, b);
            for (int k = 0; k < width; k++)
            {
                double expected = scalar(a[k], b[k]);
                double err = Error(got[k], expected, relTol);
                result.Checked++;
                if (err > result.MaxRelError)
                    result.MaxRelError = err;
                if (err > relTol && result.Failures.Count < 20)
                    result.Failures.Add($"width {width} lane {k}: f({a[k]:R}, {b[k]:R}) = {got[k]:R}, expected {expected:R} (rel err {err:E2})");
            }
        }
    }

    public static void AssertOk(Result result, string name, Action<string> log)
    {
        log($"{name}: {result}");
        if (result.Failures.Count > 0)
        {
            var sb = new StringBuilder($"{name}: {result.Failures.Count}+ lanes outside tolerance:\n");
            foreach (var f in result.Failures)
                sb.AppendLine(f);
            Assert.Fail(sb.ToString());
        }
    }
}
