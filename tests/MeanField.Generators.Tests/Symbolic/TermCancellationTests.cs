using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The cancellation of the generated code's sums (specs/networks.md §4, "Cancelling terms"): terms that are the same
/// product up to the order of its factors and its constants, under the same guards, whose coefficients add up to
/// exactly 0, are removed; everything else is left as written (the same node, so the same bits).
/// </summary>
public class TermCancellationTests
{
    private static readonly Expr U = Expr.Symbol("u");

    /// <summary>
    /// The arc-cosine kernel's J(u) = √(1 − v²) + (π − acos v)·u, v = max(−1, u): its term-by-term derivative carries
    /// −u/√(1 − v²) and +u/√(1 − v²), which cancel to dJ/du = π − acos u. After the pass no division by √(1 − v²) is
    /// left, and the value is π − acos u within 2 ulp (the original's residue of the two terms, ≈ 1e-16·u/√(1 − u²),
    /// is what is removed) on (−1, 1).
    /// </summary>
    [Fact]
    public void The_arc_cosine_kernels_singular_terms_cancel()
    {
        var v = Expr.Max(Expr.Constant(-1.0), U);
        var j = Expr.Call(MathFunction.Sqrt, Expr.Constant(1.0) - (v * v)) + ((Expr.Constant(Math.PI) - Expr.Call(MathFunction.Acos, v)) * U);
        var derivative = Differentiation.Derivative(j, "u");
        Assert.True(Divisions(CseProgram.Build(new[] { derivative })) >= 1);

        var program = CseProgram.BuildForCode(new[] { derivative });

        Assert.Equal(0, Divisions(program));
        var random = new Random(11);
        for (var k = 0; k < 2000; k++)
        {
            var u = (2 * random.NextDouble()) - 1;
            var expected = Math.PI - Math.Acos(u);
            var actual = Run(program, _ => u)[0];
            var ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
            Assert.True(Math.Abs(actual - expected) <= 2 * ulp, $"u = {u:R}: {actual:R} against {expected:R}");
        }
    }

    [Fact]
    public void Factors_in_any_order_with_constants_that_multiply_to_the_same_value_cancel()
    {
        // (2·x)·(1/y)·(0.5·z) − z·(x/y) + x: the first two are x·z/y with coefficients 2·0.5 = 1 and −1.
        var sum = ((Expr.Constant(2.0) * X) * (Expr.One / Y) * (Expr.Constant(0.5) * Z)) - (Z * (X / Y)) + X;
        var result = TermCancellation.Apply(new[] { sum })[0];
        Assert.Equal(X, result);
    }

    [Fact]
    public void A_constant_divisor_divides_the_coefficient()
    {
        // x/(2·y) − 0.5·(x/y) = 0.
        var sum = (X / (Expr.Constant(2.0) * Y)) - (Expr.Constant(0.5) * (X / Y));
        Assert.Equal(Expr.Zero, TermCancellation.Apply(new[] { sum })[0]);
    }

    [Fact]
    public void Guards_cancel_as_sets_in_either_nesting_order()
    {
        // (y ≤ 0 ? 0 : (x > −1 ? x·z : 0)) − (x > −1 ? (y ≤ 0 ? 0 : z·x) : 0) = 0.
        var first = Expr.Conditional(Comparison.LessOrEqual, Y, Expr.Zero, Expr.Zero, Expr.Conditional(Comparison.Greater, X, Expr.Constant(-1.0), X * Z, Expr.Zero));
        var second = Expr.Conditional(Comparison.Greater, X, Expr.Constant(-1.0), Expr.Conditional(Comparison.LessOrEqual, Y, Expr.Zero, Expr.Zero, Z * X), Expr.Zero);
        Assert.Equal(Expr.Zero, TermCancellation.Apply(new[] { first - second })[0]);
    }

    /// <summary>
    /// Where a removed term is infinite (a divisor of 0 outside any guard), the former sum is ∞ − ∞ = NaN and the
    /// cancelled one the rest's value: x/y − x·(1/y) + z at y = 0 gives z.
    /// </summary>
    [Fact]
    public void A_removed_pair_of_infinite_terms_leaves_the_rests_value()
    {
        var sum = (X / Y) - (X * (Expr.One / Y)) + Z;
        var result = TermCancellation.Apply(new[] { sum })[0];
        var point = new Dictionary<string, double> { ["x"] = 1.5, ["y"] = 0.0, ["z"] = -2.25 };

        Assert.True(double.IsNaN(sum.Evaluate(n => point[n], null)));
        Assert.Equal(-2.25, result.Evaluate(n => point[n], null));
    }

    [Fact]
    public void Terms_under_other_guards_or_with_other_factors_or_coefficients_stay_as_written()
    {
        var guardedX = Expr.Conditional(Comparison.Greater, X, Expr.Zero, X * Y, Expr.Zero);
        var guardedY = Expr.Conditional(Comparison.Greater, Y, Expr.Zero, X * Y, Expr.Zero);
        var sums = new[]
        {
            guardedX - guardedY,                                  // the same product under different guards
            (X * Y) - (X * Z),                                    // different factors
            (Expr.Constant(2.0) * X * Y) - (Y * X),               // coefficients 2 and −1: no reassociation into x·y
            (X * Y) - (X / Y),                                    // y against 1/y
            X + Y,                                                // nothing to cancel
        };

        var results = TermCancellation.Apply(sums);

        Assert.Same(sums, results); // nothing changed: the very same outputs, so the same bits
    }

    [Fact]
    public void Only_the_cancelling_group_is_removed_and_the_rest_keeps_its_order_and_form()
    {
        // a − x·y + b + y·x − c → a + b − c, each term as written.
        var a = Expr.Call(MathFunction.Exp, X);
        var b = Expr.Call(MathFunction.Tanh, Y);
        var c = Expr.Call(MathFunction.Sin, Z);
        var sum = a - (X * Y) + b + (Y * X) - c;

        var result = TermCancellation.Apply(new[] { sum })[0];

        Assert.Equal(a + b - c, result);
    }

    [Fact]
    public void Random_sums_keep_their_value_and_lose_only_exactly_cancelling_terms()
    {
        // Random expressions t and s: t + s − t·1 − s (t and s appear twice each, one copy written differently).
        var random = new Random(19);
        var names = new[] { "x", "y", "z" };
        var cancelled = 0;
        for (var k = 0; k < 300; k++)
        {
            var t = RandomExpr(random, 3, names);
            var s = RandomExpr(random, 3, names);
            var sum = t + (Expr.Constant(3.0) * s) - (s * Expr.Constant(3.0));
            var result = TermCancellation.Apply(new[] { sum })[0];
            cancelled += ReferenceEquals(result, sum) ? 0 : 1;
            var point = RandomPoint(random, names, -2, 2);
            var expected = sum.Evaluate(n => point[n], null);
            var actual = result.Evaluate(n => point[n], null);
            if (double.IsFinite(expected))
            {
                Assert.True(
                    Math.Abs(actual - expected) <= 1e-12 * (1 + Math.Abs(t.Evaluate(n => point[n], null)) + (6 * Math.Abs(s.Evaluate(n => point[n], null)))),
                    $"{sum} → {result} at ({string.Join(", ", point.Values)}): {actual:R} against {expected:R}");
            }
        }

        Assert.True(cancelled >= 250, $"only {cancelled} of 300 sums lost their 3·s − s·3"); // s·3 is 3·s once the simplifier orders it
    }

    private static int Divisions(CseProgram program) =>
        program.Temps.Select(t => t.Value).Concat(program.Outputs).Sum(e => Dag.PostOrder(new[] { e }).Count(n => n.Kind == ExprKind.Divide));
}
