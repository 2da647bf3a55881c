using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>Each derivative rule against central finite differences (step and tolerance: see <see cref="SymbolicTestKit.DerivativeMatches"/>).</summary>
public class DerivativeRuleTests
{
    private const int Points = 150;

    // name → (expression over x and y, sampling interval for every symbol, minimum |x − y| and |x| to stay off kinks)
    private static readonly Dictionary<string, (Expr F, double Lo, double Hi)> Cases = new()
    {
        ["add"] = (Expr.Call(MathFunction.Sin, X) + (Y * X), -5, 5),
        ["subtract"] = (Expr.Call(MathFunction.Sin, X) - (Expr.Call(MathFunction.Cos, Y) * X), -5, 5),
        ["multiply"] = (Expr.Call(MathFunction.Sin, X) * Expr.Call(MathFunction.Exp, Y * X), -2, 2),
        ["divide"] = (Expr.Call(MathFunction.Sin, X * Y) / (Expr.Pow(X, 2.0) + Expr.Pow(Y, 2.0) + 1.0), -5, 5),
        ["divide-symbols"] = (X / Y, 0.5, 5),
        ["negate"] = (-(Expr.Call(MathFunction.Sin, X) * Y), -5, 5),
        ["exp"] = (Expr.Call(MathFunction.Exp, (2.0 * X) - Y), -3, 3),
        ["log"] = (Expr.Call(MathFunction.Log, X * Y), 0.1, 10),
        ["sqrt"] = (Expr.Call(MathFunction.Sqrt, X + (2.0 * Y)), 0.1, 10),
        ["tanh"] = (Expr.Call(MathFunction.Tanh, (X * Y) + 0.3), -2, 2),
        ["sin"] = (Expr.Call(MathFunction.Sin, X * Y), -3, 3),
        ["cos"] = (Expr.Call(MathFunction.Cos, X - (3.0 * Y)), -10, 10),
        ["abs"] = (Expr.Call(MathFunction.Abs, X - Y), -5, 5),
        ["acos"] = (Expr.Call(MathFunction.Acos, X * Y), -0.94, 0.94), // |x·y| < 0.9 (|x|, |y| ≤ 0.94 → |xy| ≤ 0.884)
        ["atan"] = (Expr.Call(MathFunction.Atan, (X * Y) - 1.0), -10, 10),
        ["softplus"] = (Expr.Call(MathFunction.Log, 1.0 + Expr.Call(MathFunction.Exp, (X * Y) - 1.0)), -5, 5), // → softplus
        ["logistic"] = (1.0 / (Expr.Call(MathFunction.Exp, -(X * Y)) + 1.0), -5, 5), // → logistic
        ["pow-2"] = (Expr.Pow(X - Y, 2.0), -5, 5),
        ["pow-3"] = (Expr.Pow(X * Y, 3.0), -3, 3),
        ["pow-4"] = (Expr.Pow(X + Y, 4.0), -3, 3),
        ["pow-1.5"] = (Expr.Pow(X + Y, 1.5), 0.1, 5),
        ["pow-minus-2"] = (Expr.Pow(X + Y, -2.0), 0.5, 5),
        ["pow-minus-1"] = (Expr.Pow(X * Y, -1.0), 0.5, 5),
        ["pow-half"] = (Expr.Pow(X * Y, 0.5), 0.1, 5),
        ["pow-general"] = (Expr.Pow(X, Y), 0.1, 3),
        ["pow-constant-base"] = (Expr.Pow(2.5, X * Y), -3, 3),
        ["pow-self"] = (Expr.Pow(X, X * Y), 0.1, 3),
        ["max"] = (Expr.Max(X, Y * Y), -3, 3),
        ["min"] = (Expr.Min(Expr.Call(MathFunction.Sin, X), Y), -3, 3),
        ["conditional"] = (Expr.Conditional(Comparison.Greater, X, Y, X * X * Y, Expr.Call(MathFunction.Sin, X) + Y), -3, 3),
        ["conditional-le"] = (Expr.Conditional(Comparison.LessOrEqual, X * Y, 0.5, Expr.Call(MathFunction.Exp, X), Y - X), -3, 3),
    };

    public static IEnumerable<object[]> RuleNames => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_matches_central_differences(string name)
    {
        var (f, lo, hi) = Cases[name];
        var random = new Random(name.Length * 7919 + name[0]);
        foreach (var wrt in new[] { "x", "y" })
        {
            var derivative = Differentiation.Derivative(f, wrt);
            var checkedPoints = 0;
            for (var attempt = 0; attempt < 10 * Points && checkedPoints < Points; attempt++)
            {
                var point = RandomPoint(random, new[] { "x", "y" }, lo, hi);
                if (NearKink(name, point) || !IsWellBehaved(f, derivative, wrt, point))
                {
                    continue;
                }

                Assert.True(DerivativeMatches(f, derivative, wrt, point, out var detail), detail);
                checkedPoints++;
            }

            Assert.Equal(Points, checkedPoints);
        }
    }

    [Fact]
    public void Derivative_of_symbols_and_constants()
    {
        Assert.Equal(Expr.One, Differentiation.Derivative(X, "x"));
        Assert.Equal(Expr.Zero, Differentiation.Derivative(Y, "x"));
        Assert.Equal(Expr.Zero, Differentiation.Derivative(Expr.Constant(3.5), "x"));
        Assert.Throws<InvalidOperationException>(() => Differentiation.Derivative(Expr.Temp(0), "x"));
    }

    [Fact]
    public void Tanh_and_sqrt_derivatives_reuse_the_original_node()
    {
        var t = Expr.Call(MathFunction.Tanh, X * Y);
        var dt = Differentiation.Derivative(t, "x");
        Assert.Equal(YTimes(Expr.Subtract(1.0, Expr.Pow(t, 2.0))), dt);
        Assert.Contains(dt.Children.SelectMany(c => c.Children).SelectMany(c => c.Children), c => ReferenceEquals(c, t));

        var s = Expr.Call(MathFunction.Sqrt, X);
        // 1/(2·sqrt x), taken as 0 at the singular point x = 0 (specs/networks.md §5).
        Assert.Equal(
            Expr.Conditional(Comparison.LessOrEqual, s, 0.0, 0.0, Expr.Divide(1.0, Expr.Multiply(2.0, s))),
            Differentiation.Derivative(s, "x"));

        static Expr YTimes(Expr e) => Expr.Multiply(e, Y);
    }

    [Fact]
    public void Shared_dag_is_differentiated_in_linear_time()
    {
        // Tree size 3^40, DAG size ~40: without memoisation this never finishes.
        var f = X;
        for (var i = 0; i < 40; i++)
        {
            f = (Expr.Call(MathFunction.Sin, f) * f) + (0.5 * f);
        }

        var d = Differentiation.Derivative(f, "x");
        var program = CseProgram.Build(new[] { f, d });
        Assert.InRange(program.OperationCount, 40, 40 * 15);
        var point = new Dictionary<string, double> { ["x"] = 0.3 };
        Assert.True(DerivativeMatches(f, d, "x", point, out var detail), detail);
    }

    private static bool NearKink(string name, Dictionary<string, double> p) => name switch
    {
        "abs" or "conditional" => Math.Abs(p["x"] - p["y"]) < 1e-3,
        "max" => Math.Abs(p["x"] - (p["y"] * p["y"])) < 1e-3,
        "min" => Math.Abs(Math.Sin(p["x"]) - p["y"]) < 1e-3,
        "conditional-le" => Math.Abs((p["x"] * p["y"]) - 0.5) < 1e-3,
        _ => false,
    };
}
