using System.Text.RegularExpressions;
using MeanField.Generators.Symbolic;
using MeanField.Generators.Tests.Infrastructure;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The division rewrite of the generated code (specs/networks.md §4, "Divisions in the code"): constant divisors become
/// folded reciprocals, a divisor shared by several divisions becomes one reciprocal; within 2 ulp, special values
/// unchanged, a divisor used once left alone.
/// </summary>
public class DivisionReductionTests
{
    private static readonly Expr A = Expr.Symbol("a");
    private static readonly Expr B = Expr.Symbol("b");

    [Fact]
    public void Power_of_two_divisors_become_exact_products()
    {
        var program = CseProgram.BuildForCode(new[] { A / 4.0, A / -0.5 });
        Assert.Equal(0, Divisions(program));
        var random = new Random(3);
        foreach (var a in Values(random).Append(double.Epsilon).Append(-3 * double.Epsilon).Append(double.MaxValue))
        {
            var result = Run(program, _ => a);
            Assert.Equal(a / 4.0, result[0]);
            Assert.Equal(a / -0.5, result[1]);
        }
    }

    [Fact]
    public void Other_constant_divisors_are_within_two_ulp()
    {
        var random = new Random(5);
        for (var k = 0; k < 200; k++)
        {
            var c = Math.Round((random.NextDouble() - 0.5) * 100, 3) + 0.001;
            var program = CseProgram.BuildForCode(new[] { A / c });
            Assert.Equal(0, Divisions(program));
            foreach (var a in Values(random).Take(50))
            {
                AssertWithinUlps(a / c, Run(program, _ => a)[0], 2);
            }
        }
    }

    [Fact]
    public void A_shared_divisor_is_divided_once_and_each_quotient_is_within_two_ulp()
    {
        var divisor = Expr.Call(MathFunction.Sqrt, (B * B) + 1.0);
        var outputs = new[] { A / divisor, Y / divisor, (A + Y) / divisor };
        Assert.Equal(3, Divisions(CseProgram.Build(outputs)));

        var program = CseProgram.BuildForCode(outputs);

        Assert.Equal(1, Divisions(program));
        var random = new Random(7);
        for (var k = 0; k < 2000; k++)
        {
            var point = RandomPoint(random, new[] { "a", "b", "y" }, -1e3, 1e3);
            var expected = outputs.Select(o => o.Evaluate(s => point[s])).ToArray();
            var actual = Run(program, s => point[s]);
            for (var i = 0; i < outputs.Length; i++)
            {
                AssertWithinUlps(expected[i], actual[i], 2);
            }
        }
    }

    [Fact]
    public void A_divisor_used_once_stays_a_division()
    {
        var outputs = new[] { A / B, Y / (B + 1.0) };

        var program = CseProgram.BuildForCode(outputs);

        Assert.Equal(2, Divisions(program));
        Assert.Equal(CseProgram.Build(outputs).Outputs, program.Outputs);
    }

    // By name: xUnit takes 0.0 and −0.0 for the same InlineData, and −0 must run on its own (a/−0 = −∞ for a > 0).
    [Theory]
    [InlineData("+0")]
    [InlineData("-0")]
    [InlineData("+inf")]
    [InlineData("-inf")]
    [InlineData("nan")]
    public void Special_divisors_give_the_values_of_the_divisions(string name)
    {
        double b = name switch
        {
            "+0" => 0.0,
            "-0" => -0.0,
            "+inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.NaN,
        };
        var outputs = new[] { A / B, Y / B };
        var program = CseProgram.BuildForCode(outputs);
        Assert.Equal(1, Divisions(program));
        foreach (var a in new[] { 1.0, -2.0, 0.0, -0.0, double.PositiveInfinity, double.NaN })
        {
            double Symbols(string s) => s == "b" ? b : a;
            var expected = outputs.Select(o => o.Evaluate(Symbols)).ToArray();
            var actual = Run(program, Symbols);
            for (var i = 0; i < outputs.Length; i++)
            {
                Assert.Equal(double.IsNaN(expected[i]), double.IsNaN(actual[i]));
                if (!double.IsNaN(expected[i]))
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(actual[i]));
                }
            }
        }
    }

    [Fact]
    public void A_divisor_scaled_by_a_power_of_two_shares_the_reciprocal_exactly()
    {
        var x = Expr.Call(MathFunction.Sqrt, (B * B) + 1.0);
        var outputs = new[] { Expr.One / (2.0 * x), A / x, A / (-0.25 * x) };
        var program = CseProgram.BuildForCode(outputs);

        Assert.Equal(1, Divisions(program));
        var random = new Random(9);
        for (var k = 0; k < 2000; k++)
        {
            var point = RandomPoint(random, new[] { "a", "b" }, -1e3, 1e3);
            var r = (Expr.One / x).Evaluate(s => point[s]);
            var actual = Run(program, s => point[s]);
            Assert.Equal(0.5 * r, actual[0]); // the scaling by 1/2 is exact: 1/(2x) to the bit of (1/x)/2
            AssertWithinUlps(outputs[1].Evaluate(s => point[s]), actual[1], 2);
            AssertWithinUlps(outputs[2].Evaluate(s => point[s]), actual[2], 2);
        }
    }

    /// <summary>
    /// The claim of the spec, on the generated file the snapshot tests pin: 17 divisions in ∇K before the division
    /// reduction, 4 after it, 3 since the chain rule through a clamp evaluates f′ at the whole argument (acos′ then shares
    /// the primal's √(1 − max(−1, u)²), which also takes ∇K from 4 square roots to 3, acos's own aside), 2 since the
    /// terms that cancel are removed (specs/networks.md §4, "Cancelling terms": the division by √(1 − u²) goes, and with
    /// it the closed form's only division below the series' threshold), 1 and 2 since |w|, 1/|w| and their primed twins
    /// are side values, computed once per particle (specs/interactions.md, "Side values": the per-pair √(|w|²|w′|²)
    /// and its reciprocal go; below the threshold no division and one square root are left besides acos's).
    /// </summary>
    [Fact]
    public void The_arc_cosine_kernel_gradient_keeps_one_division_and_two_square_roots()
    {
        var path = Path.Combine(GeneratorHarness.RepositoryRoot(), "tests", "MeanField.Generators.Tests", "Generator", "Snapshots", "MeanField.Models.ArcCosineKernel.verified.cs");
        var text = File.ReadAllText(path);
        var start = text.IndexOf("KernelGradient(global::System.ReadOnlySpan<global::System.Runtime.Intrinsics.Vector512<double>>", StringComparison.Ordinal);
        Assert.True(start > 0);
        var end = text.IndexOf("\n    }\n", start, StringComparison.Ordinal);
        var body = text.Substring(start, end - start);

        // The code before the lanes' test, then the three programs (specs/networks.md §4, "Uniform branches"): every
        // lane below the series' threshold (closed form only), every lane above it (series only), mixed (both).
        var parts = Regex.Split(body, @"\n        (?:if|else if|else)\b");
        Assert.Equal(4, parts.Length);
        (int Divisions, int Roots, int Acos) Count(string code) =>
            (Regex.Matches(code, " / ").Count, Regex.Matches(code, @"SimdMath\.Sqrt\(").Count, Regex.Matches(code, @"SimdMath\.Acos\(").Count);
        var prefix = Count(parts[0]);
        (int, int, int) With((int Divisions, int Roots, int Acos) part) =>
            (prefix.Divisions + part.Divisions, prefix.Roots + part.Roots, prefix.Acos + part.Acos);
        Assert.Equal((1, 2, 1), With(Count(parts[3])));
        Assert.Equal((0, 1, 1), With(Count(parts[1])));
        Assert.Equal((1, 1, 0), With(Count(parts[2])));
    }

    private static IEnumerable<double> Values(Random random) =>
        Enumerable.Range(0, 200).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)));

    private static int Divisions(CseProgram program) =>
        program.Temps.Select(t => t.Value).Concat(program.Outputs).Sum(e => Dag.PostOrder(new[] { e }).Count(n => n.Kind == ExprKind.Divide));

    private static void AssertWithinUlps(double expected, double actual, long ulps)
    {
        if (expected == actual)
        {
            return;
        }

        var distance = Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));
        Assert.True(Math.Sign(expected) == Math.Sign(actual) && distance <= ulps, $"expected {expected:R}, got {actual:R}: {distance} ulp apart");
    }
}
