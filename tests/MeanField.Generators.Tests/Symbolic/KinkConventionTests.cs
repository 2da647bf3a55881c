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
