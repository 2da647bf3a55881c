using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

public class FormulaPrinterTests
{
    private static readonly Expr W = Expr.Symbol("w");
    private static readonly Expr B = Expr.Symbol("b");
    private static readonly Expr C = Expr.Symbol("c");
    private static readonly Expr S = Expr.Symbol("s");

    [Fact]
    public void Readable_formulas()
    {
        Assert.Equal("c·tanh(w·x + b)", FormulaPrinter.Print(C * Expr.Call(MathFunction.Tanh, (W * X) + B)));
        Assert.Equal("1 − tanh(z)²", FormulaPrinter.Print(1.0 - Expr.Pow(Expr.Call(MathFunction.Tanh, Z), 2.0)));
        Assert.Equal(
            "exp(−|w − x|² / (2·s²))",
            FormulaPrinter.Print(Expr.Call(MathFunction.Exp, -Expr.Pow(Expr.Call(MathFunction.Abs, W - X), 2.0) / (2.0 * Expr.Pow(S, 2.0)))));
        Assert.Equal("exp(−|w − x|² / (2·s²))", (Expr.Call(MathFunction.Exp, -Expr.Pow(Expr.Call(MathFunction.Abs, W - X), 2.0) / (2.0 * Expr.Pow(S, 2.0)))).ToString());
    }

    [Fact]
    public void Parentheses_and_special_forms()
    {
        Assert.Equal("x − (y − z)", FormulaPrinter.Print(X - (Y - Z)));
        Assert.Equal("x − y − z", FormulaPrinter.Print((X - Y) - Z));
        Assert.Equal("x / (y·z)", FormulaPrinter.Print(X / (Y * Z)));
        Assert.Equal("x / (−2)", FormulaPrinter.Print(X / -2.0));
        Assert.Equal("−(x + y)", FormulaPrinter.Print(-(X + Y)));
        Assert.Equal("(x + y)²", FormulaPrinter.Print(Expr.Pow(X + Y, 2.0)));
        Assert.Equal("x⁻²", FormulaPrinter.Print(Expr.Pow(X, -2.0)));
        Assert.Equal("x^1.5", FormulaPrinter.Print(Expr.Pow(X, 1.5)));
        Assert.Equal("x^(y + 1)", FormulaPrinter.Print(Expr.Pow(X, Y + 1.0)));
        Assert.Equal("max(0, z)", FormulaPrinter.Print(Expr.Max(Z, 0.0)));
        Assert.Equal("min(x, y)", FormulaPrinter.Print(Expr.Min(Y, X)));
        Assert.Equal("(z > 0 ? 1 : (z < 0 ? −1 : 0))", FormulaPrinter.Print(Differentiation.Derivative(Expr.Call(MathFunction.Abs, Z), "z")));
        Assert.Equal("(x ≥ y ? sqrt(x) : 0.5)", FormulaPrinter.Print(Expr.Conditional(Comparison.GreaterOrEqual, X, Y, Expr.Call(MathFunction.Sqrt, X), 0.5)));
        Assert.Equal("x·t2 + 1E-05", FormulaPrinter.Print((Expr.Temp(2) * X) + 1e-5));
        Assert.Equal("−2·x", FormulaPrinter.Print(X * -2.0));
        Assert.Equal("s·(2·s)", FormulaPrinter.Print(2.0 * S * S)); // no reassociation: (2·s)·s is not rewritten to 2·s²
        Assert.Equal("acos(x)·atan(y)", FormulaPrinter.Print(Expr.Call(MathFunction.Acos, X) * Expr.Call(MathFunction.Atan, Y)));
    }
}
