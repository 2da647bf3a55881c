using System.Globalization;
using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

public class CSharpPrinterTests
{
    private const string M = "global::MeanField.Numerics.SimdMath.";
    private const string V128 = "global::System.Runtime.Intrinsics.Vector128";
    private const string V256 = "global::System.Runtime.Intrinsics.Vector256";
    private const string V512 = "global::System.Runtime.Intrinsics.Vector512";

    private static string Scalar(Expr e) => CSharpPrinter.Print(e, SimdWidth.Scalar, n => n);

    private static Expr Raw(ExprKind kind, params Expr[] children) => new OperationExpr(kind, children);

    [Theory]
    [InlineData(2.0, "2.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(-3.0, "-3.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e20, "1E+20")]
    [InlineData(123456789012.0, "123456789012.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "double.NaN")]
    [InlineData(double.PositiveInfinity, "double.PositiveInfinity")]
    [InlineData(double.NegativeInfinity, "double.NegativeInfinity")]
    public void Literal_is_round_trip_and_always_a_double(double value, string expected)
    {
        Assert.Equal(expected, CSharpPrinter.Literal(value));
        if (double.IsFinite(value))
        {
            Assert.Equal(value, double.Parse(expected, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Literal_does_not_depend_on_the_thread_culture()
    {
        // The test project runs with InvariantGlobalization, where "fi-FI" is unavailable; a cloned invariant culture
        // with fi-FI's separators (',' decimal, U+2212 minus) exercises the same code path.
        var previous = CultureInfo.CurrentCulture;
        var finnishLike = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        finnishLike.NumberFormat.NumberDecimalSeparator = ",";
        finnishLike.NumberFormat.NegativeSign = "\u2212";
        try
        {
            CultureInfo.CurrentCulture = finnishLike;
            Assert.Equal("0,5", 0.5.ToString()); // the culture is really in effect
            Assert.Equal("0.5", CSharpPrinter.Literal(0.5));
            Assert.Equal("-2.5", CSharpPrinter.Literal(-2.5));
            Assert.Equal("x * -2.5", Scalar(Raw(ExprKind.Multiply, X, -2.5)).Replace("(", "").Replace(")", ""));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Scalar_arithmetic_and_parentheses()
    {
        Assert.Equal("x - y - z", Scalar((X - Y) - Z));
        Assert.Equal("x - (y - z)", Scalar(X - (Y - Z)));
        Assert.Equal("x - (y + z)", Scalar(X - (Y + Z)));
        Assert.Equal("x / y / z", Scalar((X / Y) / Z));
        Assert.Equal("x / (y / z)", Scalar(X / (Y / Z)));
        Assert.Equal("x / (y * z)", Scalar(X / (Y * Z)));
        Assert.Equal("x * y / z", Scalar((X * Y) / Z));
        Assert.Equal("z * (x + y)", Scalar((X + Y) * Z));
        Assert.Equal("x + (y - z)", Scalar(Raw(ExprKind.Add, X, Y - Z))); // kept: floating-point addition is not associative
        Assert.Equal("2.0 * x", Scalar(X * 2.0));
        Assert.Equal("-2.0 * x", Scalar(X * -2.0));
        Assert.Equal("y - 2.0 * x", Scalar(Y - (2.0 * X)));
        Assert.Equal("x / (-2.0)", Scalar(X / -2.0));
        Assert.Equal("x - (-2.0)", Scalar(Raw(ExprKind.Subtract, X, -2.0)));
        Assert.Equal("x + (-y)", Scalar(Raw(ExprKind.Add, X, Raw(ExprKind.Negate, Y))));
        Assert.Equal("x * (-y)", Scalar(Raw(ExprKind.Multiply, X, Raw(ExprKind.Negate, Y))));
        Assert.Equal("-x", Scalar(-X));
        Assert.Equal("-(x + y)", Scalar(-(X + Y)));
        Assert.Equal("-(x * y)", Scalar(-(X * Y)));
        Assert.Equal("t3 + x", Scalar(X + Expr.Temp(3)));
    }

    [Fact]
    public void Scalar_powers_functions_and_conditionals()
    {
        Assert.Equal("x * x", Scalar(Expr.Pow(X, 2.0)));
        Assert.Equal("x * x * x", Scalar(Expr.Pow(X, 3.0)));
        Assert.Equal("x * x * x * x", Scalar(Expr.Pow(X, 4.0)));
        Assert.Equal("(x + y) * (x + y)", Scalar(Expr.Pow(X + Y, 2.0)));
        Assert.Equal("1.0 / x", Scalar(Expr.Pow(X, -1.0)));
        Assert.Equal(M + "Sqrt(x)", Scalar(Expr.Pow(X, 0.5)));
        Assert.Equal(M + "Pow(x, 1.5)", Scalar(Expr.Pow(X, 1.5)));
        Assert.Equal(M + "Pow(x, -2.0)", Scalar(Expr.Pow(X, -2.0)));
        Assert.Equal(M + "Pow(x, y)", Scalar(Expr.Pow(X, Y)));
        Assert.Equal("1.0 - " + M + "Tanh(z) * " + M + "Tanh(z)", Scalar(1.0 - Expr.Pow(Expr.Call(MathFunction.Tanh, Z), 2.0)));
        Assert.Equal(M + "Exp(-(x * x / 2.0))", Scalar(Expr.Call(MathFunction.Exp, -(X * X) / 2.0)));
        Assert.Equal(M + "Max(0.0, x)", Scalar(Expr.Max(X, 0.0)));
        Assert.Equal(M + "Min(-1.0, x)", Scalar(Expr.Min(X, -1.0)));
        Assert.Equal("(x > 0.0 ? y : z)", Scalar(Expr.Conditional(Comparison.Greater, X, 0.0, Y, Z)));
        Assert.Equal("(x <= y + 1.0 ? -1.0 : 0.0)", Scalar(Expr.Conditional(Comparison.LessOrEqual, X, Y + 1.0, -1.0, 0.0)));
        Assert.Equal("2.0 * (x < y ? x : y)", Scalar(2.0 * Expr.Conditional(Comparison.Less, X, Y, X, Y)));
        Assert.Equal("p.x * p.y", CSharpPrinter.Print(X * Y, SimdWidth.Scalar, n => "p." + n));
    }

    [Fact]
    public void Vector_widths()
    {
        string P(Expr e, SimdWidth w) => CSharpPrinter.Print(e, w, n => n);
        Assert.Equal(V256 + ".Create(2.0) * x", P(2.0 * X, SimdWidth.Vector256));
        Assert.Equal(V128 + ".Create(-2.0) * x", P(-2.0 * X, SimdWidth.Vector128));
        Assert.Equal("x - " + V512 + ".Create(-2.0)", P(Raw(ExprKind.Subtract, X, -2.0), SimdWidth.Vector512));
        Assert.Equal("x - (y - z)", P(X - (Y - Z), SimdWidth.Vector256));
        Assert.Equal("-(x + y)", P(-(X + Y), SimdWidth.Vector256));
        Assert.Equal("t0 * t0", P(Expr.Pow(Expr.Temp(0), 2.0), SimdWidth.Vector256));
        Assert.Equal(M + "Tanh(x)", P(Expr.Call(MathFunction.Tanh, X), SimdWidth.Vector512));
        Assert.Equal(M + "Pow(x, " + V256 + ".Create(1.5))", P(Expr.Pow(X, 1.5), SimdWidth.Vector256));
        Assert.Equal(
            V256 + ".ConditionalSelect(" + V256 + ".GreaterThan(x, " + V256 + ".Create(0.0)), y, z)",
            P(Expr.Conditional(Comparison.Greater, X, 0.0, Y, Z), SimdWidth.Vector256));
        Assert.Equal(
            V128 + ".ConditionalSelect(" + V128 + ".LessThanOrEqual(x, y), " + V128 + ".Create(1.0), " + V128 + ".Create(0.0))",
            P(Expr.Conditional(Comparison.LessOrEqual, X, Y, 1.0, 0.0), SimdWidth.Vector128));
        Assert.Equal(
            V512 + ".ConditionalSelect(" + V512 + ".LessThan(x, y), x, " + V512 + ".ConditionalSelect(" + V512 + ".GreaterThanOrEqual(z, y), z, y))",
            P(Expr.Conditional(Comparison.Less, X, Y, X, Expr.Conditional(Comparison.GreaterOrEqual, Z, Y, Z, Y)), SimdWidth.Vector512));
    }
}
