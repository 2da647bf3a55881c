using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The documented kink convention of <see cref="Differentiation"/>: strict comparisons, a tie contributes zero
/// (sign(0) = 0 for |z|; d/dz max(0, z) = d/dz max(z, 0) = 0 at z = 0); away from the kink the one-sided slope.
/// </summary>
public class KinkConventionTests
{
    public static IEnumerable<object[]> Kinks => new[]
    {
        // name (see Build), slope left of 0, value at exactly 0, slope right of 0
        new object[] { "max(0,z)", 0.0, 0.0, 1.0 },
        new object[] { "max(z,0)", 0.0, 0.0, 1.0 },
        new object[] { "min(0,z)", 1.0, 0.0, 0.0 },
        new object[] { "min(z,0)", 1.0, 0.0, 0.0 },
        new object[] { "abs(z)", -1.0, 0.0, 1.0 },
        new object[] { "max(2z,z)", 1.0, 0.0, 2.0 },
        new object[] { "min(2z,z)", 2.0, 0.0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(Kinks))]
    public void Derivative_at_and_around_the_kink(string name, double left, double atZero, double right)
    {
        var f = Build(name);
        var d = Differentiation.Derivative(f, "z");
        Assert.Equal(atZero, d.Evaluate(_ => 0.0));
        Assert.Equal(atZero, d.Evaluate(_ => -0.0));
        foreach (var z in new[] { 1e-300, 1e-9, 0.5, 3.0 })
        {
            Assert.Equal(right, d.Evaluate(_ => z));
            Assert.Equal(left, d.Evaluate(_ => -z));
        }
    }

    /// <summary>
    /// f(max(z, 0)) differentiates to [z &gt; 0]·f′(max(z, 0)): f′ at the whole clamped argument, which equals the active
    /// piece wherever the indicator is 1, so the value is that of f′(z) there, and the derivative reuses the primal's own
    /// call (exp: the derivative is the node itself; acos: √(1 − a²) of the same a) instead of calling f again on z.
    /// </summary>
    [Fact]
    public void A_function_of_a_clamped_argument_reuses_the_primal_call()
    {
        var clamped = Expr.Max(Z, 0.0);
        var exp = Expr.Call(MathFunction.Exp, clamped);
        Assert.Equal(Expr.Conditional(Comparison.Greater, Z, 0.0, exp, 0.0), Differentiation.Derivative(exp, "z"));

        var acos = Expr.Call(MathFunction.Acos, Expr.Max(Z, -1.0));
        var program = CseProgram.Build(new[] { acos, Differentiation.Derivative(acos, "z") });
        int Calls(MathFunction function) => program.Temps.Select(t => t.Value).Concat(program.Outputs)
            .Sum(e => Dag.PostOrder(new[] { e }).Count(n => n is FunctionExpr f && f.Function == function));
        Assert.Equal(1, Calls(MathFunction.Acos));
        Assert.Equal(1, Calls(MathFunction.Sqrt)); // √(1 − max(z, −1)²) only, not also √(1 − z²)
        foreach (var z in new[] { -0.7, 0.2, 0.9 })
        {
            Assert.Equal(-1 / Math.Sqrt(1 - (z * z)), Differentiation.Derivative(acos, "z").Evaluate(_ => z), 14);
        }

        Assert.Equal(0.0, Differentiation.Derivative(acos, "z").Evaluate(_ => -1.5)); // clamped: no slope
    }

    [Fact]
    public void Max_with_zero_derivative_is_a_single_indicator()
    {
        var expected = Expr.Conditional(Comparison.Greater, Z, 0.0, 1.0, 0.0);
        Assert.Equal(expected, Differentiation.Derivative(Expr.Max(0.0, Z), "z"));
        Assert.Equal(expected, Differentiation.Derivative(Expr.Max(Z, 0.0), "z"));
        Assert.Equal(Expr.Conditional(Comparison.Less, Z, 0.0, 1.0, 0.0), Differentiation.Derivative(Expr.Min(Z, 0.0), "z"));
    }

    [Fact]
    public void Abs_derivative_is_sign_with_sign_of_zero_zero()
    {
        var expected = Expr.Conditional(
            Comparison.Greater, Z, 0.0, 1.0, Expr.Conditional(Comparison.Less, Z, 0.0, -1.0, 0.0));
        Assert.Equal(expected, Differentiation.Derivative(Expr.Call(MathFunction.Abs, Z), "z"));
    }

    [Fact]
    public void Max_and_min_of_two_variables_at_a_tie_contribute_zero_to_both()
    {
        var max = Expr.Max(X, Y);
        var min = Expr.Min(X, Y);
        foreach (var e in new[] { max, min })
        {
            Assert.Equal(0.0, Differentiation.Derivative(e, "x").Evaluate(_ => 1.25));
            Assert.Equal(0.0, Differentiation.Derivative(e, "y").Evaluate(_ => 1.25));
        }

        Func<string, double> xBigger = s => s == "x" ? 2.0 : 1.0;
        Assert.Equal(1.0, Differentiation.Derivative(max, "x").Evaluate(xBigger));
        Assert.Equal(0.0, Differentiation.Derivative(max, "y").Evaluate(xBigger));
        Assert.Equal(0.0, Differentiation.Derivative(min, "x").Evaluate(xBigger));
        Assert.Equal(1.0, Differentiation.Derivative(min, "y").Evaluate(xBigger));
    }

    [Fact]
    public void Conditional_derivative_takes_the_branch_the_comparison_picks()
    {
        var f = Expr.Conditional(Comparison.GreaterOrEqual, X, 0.0, 3.0 * X, X * X);
        var d = Differentiation.Derivative(f, "x");
        Assert.Equal(Expr.Conditional(Comparison.GreaterOrEqual, X, 0.0, 3.0, 2.0 * X), d);
        Assert.Equal(3.0, d.Evaluate(_ => 0.0)); // x >= 0 holds at 0: the whenTrue branch
        Assert.Equal(-1.0, d.Evaluate(_ => -0.5));
    }

    // ---- Issue 7: the kink convention through composition, and the singular-point convention (specs/networks.md §5).

    public static IEnumerable<object[]> ClampedCompositions => new[]
    {
        // name, f(z); each is constant for z < 0, so its derivative must be exactly 0 there (not NaN from 0·∞).
        new object[] { "sqrt(max(z,0))", Expr.Call(MathFunction.Sqrt, Expr.Max(Z, 0.0)) },
        new object[] { "pow(max(z,0),0.5)", Expr.Pow(Expr.Max(Z, 0.0), 0.5) },
        new object[] { "pow(max(z,0),0.3)", Expr.Pow(Expr.Max(Z, 0.0), 0.3) },
        new object[] { "pow(max(z,0),-0.5)", Expr.Pow(Expr.Max(Z, 0.0), -0.5) },
        new object[] { "log(max(z,0))", Expr.Call(MathFunction.Log, Expr.Max(Z, 0.0)) },
        new object[] { "1/max(z,0)", Expr.Divide(1.0, Expr.Max(Z, 0.0)) },
        new object[] { "acos(max(z,0)-1)", Expr.Call(MathFunction.Acos, Expr.Max(Z, 0.0) - 1.0) },
        new object[] { "pow(max(z,0),2+y)", Expr.Pow(Expr.Max(Z, 0.0), 2.0 + Y) },
        new object[] { "log(z>0?z:0)", Expr.Call(MathFunction.Log, Expr.Conditional(Comparison.Greater, Z, 0.0, Z, 0.0)) },
        new object[] { "sqrt(-min(-z,0))", Expr.Call(MathFunction.Sqrt, -Expr.Min(-Z, 0.0)) },
    };

    [Theory]
    [MemberData(nameof(ClampedCompositions))]
    public void A_function_of_a_clamped_argument_has_derivative_exactly_zero_where_clamped(string name, Expr f)
    {
        var d = Differentiation.Derivative(f, "z");
        foreach (var z in new[] { -3.0, -0.5, -1e-300, 0.0 })
        {
            Assert.True(d.Evaluate(s => s == "z" ? z : 0.25) == 0.0, $"{name}: d/dz at z = {z:R} is {d.Evaluate(s => s == "z" ? z : 0.25):R}");
        }

        // Away from the kink: the ordinary derivative (central differences, SymbolicTestKit's justified tolerance).
        foreach (var z in new[] { 0.3, 0.7, 1.6 })
        {
            var point = new Dictionary<string, double> { ["z"] = z, ["y"] = 0.25 };
            Assert.True(DerivativeMatches(f, d, "z", point, out var detail), detail);
        }
    }

    public static IEnumerable<object[]> IssueCases => new[]
    {
        // name, f, point z; the issue's inputs that gave NaN. At each point f is differentiable (locally constant or
        // smooth), so the derivative must be finite and equal to the true one given.
        new object[] { "sqrt(max(z²−1,0)) at 0.5", Expr.Call(MathFunction.Sqrt, Expr.Max(Z * Z - 1.0, 0.0)), 0.5, 0.0 },
        new object[] { "acos(min(z,1)) at 2", Expr.Call(MathFunction.Acos, Expr.Min(Z, 1.0)), 2.0, 0.0 },
        new object[] { "max(sqrt(z²),1) at 0", Expr.Max(Expr.Call(MathFunction.Sqrt, Z * Z), 1.0), 0.0, 0.0 },
        new object[] { "sqrt(max(z,0)) at −1", Expr.Call(MathFunction.Sqrt, Expr.Max(Z, 0.0)), -1.0, 0.0 },
        new object[] { "pow(max(z,0),0.5) at −1", Expr.Pow(Expr.Max(Z, 0.0), 0.5), -1.0, 0.0 },
        new object[] { "max(sqrt(z²),1) at 3", Expr.Max(Expr.Call(MathFunction.Sqrt, Z * Z), 1.0), 3.0, 1.0 },
        new object[] { "sqrt(max(z²−1,0)) at 2", Expr.Call(MathFunction.Sqrt, Expr.Max(Z * Z - 1.0, 0.0)), 2.0, 2.0 / Math.Sqrt(3.0) },
    };

    [Theory]
    [MemberData(nameof(IssueCases))]
    public void Issue_cases_have_finite_correct_derivatives(string name, Expr f, double z, double expected)
    {
        var d = Differentiation.Derivative(f, "z").Evaluate(_ => z);
        Assert.True(Math.Abs(d - expected) <= 1e-15 * (1 + Math.Abs(expected)), $"{name}: {d:R}, expected {expected:R}");
    }

    [Fact]
    public void Pow_with_a_zero_base_and_a_variable_exponent_has_derivative_zero()
    {
        // Math.Pow(a, b) at a = 0, b not constant: 0^b is finite (0 for b > 0), the formula a^b·(b'·ln a + b·a'/a)
        // would give 0·(−∞) = NaN; the singular-point convention takes the derivative as 0 (specs/networks.md §5).
        var f = Expr.Pow(X, Y);
        Func<string, double> at = s => s == "x" ? 0.0 : 1.5;
        Assert.Equal(0.0, Differentiation.Derivative(f, "x").Evaluate(at));
        Assert.Equal(0.0, Differentiation.Derivative(f, "y").Evaluate(at));
        var point = new Dictionary<string, double> { ["x"] = 0.8, ["y"] = 1.5 };
        Assert.True(DerivativeMatches(f, Differentiation.Derivative(f, "x"), "x", point, out var dx), dx);
        Assert.True(DerivativeMatches(f, Differentiation.Derivative(f, "y"), "y", point, out var dy), dy);
    }

    public static IEnumerable<object[]> SingularPoints => new[]
    {
        // name, f(z), z, expected derivative: 0 where f is finite (convention), the IEEE value where f is not.
        new object[] { "sqrt at 0", Expr.Call(MathFunction.Sqrt, Z), 0.0, 0.0 },
        new object[] { "sqrt at −0", Expr.Call(MathFunction.Sqrt, Z), -0.0, 0.0 },
        new object[] { "pow 0.3 at 0", Expr.Pow(Z, 0.3), 0.0, 0.0 },
        new object[] { "acos at 1", Expr.Call(MathFunction.Acos, Z), 1.0, 0.0 },
        new object[] { "acos at −1", Expr.Call(MathFunction.Acos, Z), -1.0, 0.0 },
        new object[] { "log at 0 (value −∞: no convention)", Expr.Call(MathFunction.Log, Z), 0.0, double.PositiveInfinity },
        new object[] { "pow −0.5 at 0 (value ∞: no convention)", Expr.Pow(Z, -0.5), 0.0, double.NegativeInfinity },
        new object[] { "1/z at 0 (value ∞: no convention)", Expr.Divide(1.0, Z), 0.0, double.NaN },
    };

    [Theory]
    [MemberData(nameof(SingularPoints))]
    public void Singular_points_follow_the_documented_convention(string name, Expr f, double z, double expected)
    {
        var d = Differentiation.Derivative(f, "z").Evaluate(_ => z);
        Assert.True(d.Equals(expected) || (double.IsNaN(expected) && double.IsInfinity(d)), $"{name}: {d:R}, expected {expected:R}");
    }

    [Fact]
    public void Outside_the_domain_the_derivative_stays_NaN()
    {
        // The convention is for points where the value is finite: sqrt(−1) and acos(2) are NaN, and so are their slopes.
        Assert.True(double.IsNaN(Differentiation.Derivative(Expr.Call(MathFunction.Sqrt, Z), "z").Evaluate(_ => -1.0)));
        Assert.True(double.IsNaN(Differentiation.Derivative(Expr.Call(MathFunction.Acos, Z), "z").Evaluate(_ => 2.0)));
    }

    private static Expr Build(string name) => name switch
    {
        "max(0,z)" => Expr.Max(0.0, Z),
        "max(z,0)" => Expr.Max(Z, 0.0),
        "min(0,z)" => Expr.Min(0.0, Z),
        "min(z,0)" => Expr.Min(Z, 0.0),
        "abs(z)" => Expr.Call(MathFunction.Abs, Z),
        "max(2z,z)" => Expr.Max(2.0 * Z, Z),
        _ => Expr.Min(2.0 * Z, Z),
    };
}
