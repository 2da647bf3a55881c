using MeanField.Generators.Symbolic;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// <c>Math.Log(1 + Math.Exp(z))</c> is recognised as softplus(z) and <c>1 / (1 + Math.Exp(w))</c> as logistic(−w) (either
/// order of the sum): the generated code calls <c>SimdMath.Softplus</c> / <c>SimdMath.Logistic</c> (stable, never
/// overflowing), and the derivative rules d softplus = logistic, d logistic = logistic·(1 − logistic) keep the gradient
/// finite where the textbook form e^z/(1 + e^z) is ∞/∞ (z &gt; 709).
/// </summary>
public sealed class SoftplusLogisticTests
{
    private static readonly Expr Z = Expr.Symbol("z");
    private static Expr Exp(Expr a) => Expr.Call(MathFunction.Exp, a);

    private static string Net(string activation) =>
        "namespace Demo; [MeanFieldNetwork] public partial struct Net { [Activation] public static double S(double z) => " + activation +
        "; [Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y); }";

    public static TheoryData<string, string, string> Forms() => new()
    {
        { "Math.Log(1 + Math.Exp(z))", "SimdMath.Softplus(", "SimdMath.Log(" },
        { "Math.Log(Math.Exp(z) + 1)", "SimdMath.Softplus(", "SimdMath.Log(" },
        { "Math.Log(1.0 + Math.Exp(2 * z - 1))", "SimdMath.Softplus(", "SimdMath.Log(" },
        { "1 / (1 + Math.Exp(-z))", "SimdMath.Logistic(", "SimdMath.Exp(" },
        { "1.0 / (Math.Exp(-z) + 1.0)", "SimdMath.Logistic(", "SimdMath.Exp(" },
        { "z * (1 / (1 + Math.Exp(-z)))", "SimdMath.Logistic(", "SimdMath.Exp(" }, // SiLU
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void FormCompilesToTheStableCall(string activation, string expected, string absent)
    {
        var outcome = StackCheckedRun.Run(Net(activation)).AssertBuilds(activation);
        string code = string.Concat(outcome.Result.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains(expected, code, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, code, StringComparison.Ordinal);
    }

    [Fact]
    public void SimplifierRecognisesOnlyOnePlusExp()
    {
        Assert.Equal(Expr.Call(MathFunction.Softplus, Z), Expr.Call(MathFunction.Log, 1.0 + Exp(Z)));
        Assert.Equal(Expr.Call(MathFunction.Softplus, Z), Expr.Call(MathFunction.Log, Exp(Z) + 1.0));
        Assert.Equal(Expr.Call(MathFunction.Logistic, Z), 1.0 / (1.0 + Exp(-Z)));
        Assert.Equal(Expr.Call(MathFunction.Logistic, -Z), 1.0 / (Exp(Z) + 1.0));

        // Not the pattern: left alone.
        Assert.Equal(MathFunction.Log, ((FunctionExpr)Expr.Call(MathFunction.Log, 2.0 + Exp(Z))).Function);
        Assert.Equal(MathFunction.Log, ((FunctionExpr)Expr.Call(MathFunction.Log, 1.0 + Expr.Call(MathFunction.Tanh, Z))).Function);
        Assert.Equal(ExprKind.Divide, (2.0 / (1.0 + Exp(Z))).Kind);

        // A softplus or logistic of a constant folds with the stable formulas.
        Assert.True(Expr.Call(MathFunction.Softplus, Expr.Constant(800)).IsConstant(out var sp) && sp == 800);
        Assert.True(Expr.Call(MathFunction.Logistic, Expr.Constant(-800)).IsConstant(out var lg) && lg == 0);
    }

    [Fact]
    public void DerivativesAreFiniteAtLargeArguments()
    {
        var softplus = Expr.Call(MathFunction.Log, 1.0 + Exp(Z));
        var d1 = Differentiation.Derivative(softplus, "z");
        var d2 = Differentiation.Derivative(d1, "z");
        Assert.Equal(Expr.Call(MathFunction.Logistic, Z), d1);
        foreach (double z in new[] { -800.0, -40.0, -1.0, 0.0, 0.5, 40.0, 709.8, 800.0, 1e300 })
        {
            double value = ExprEvaluator.Evaluate(softplus, _ => z, null);
            double g1 = ExprEvaluator.Evaluate(d1, _ => z, null);
            double g2 = ExprEvaluator.Evaluate(d2, _ => z, null);
            Assert.True(double.IsFinite(value) && double.IsFinite(g1) && double.IsFinite(g2), $"z = {z}: {value}, {g1}, {g2}");
            double logistic = 1 / (1 + Math.Exp(-z));
            Assert.Equal(logistic, g1, 15);
            Assert.Equal(logistic * (1 - logistic), g2, 15);
        }

        Assert.Equal(800.0, ExprEvaluator.Evaluate(softplus, _ => 800.0, null));
        Assert.Equal(1.0, ExprEvaluator.Evaluate(d1, _ => 800.0, null));
    }

    [Fact]
    public void FormulasPrintTheNames()
    {
        Assert.Equal("softplus(z)", FormulaPrinter.Print(Expr.Call(MathFunction.Log, 1.0 + Exp(Z))));
        Assert.Equal("logistic(z)", FormulaPrinter.Print(1.0 / (1.0 + Exp(-Z))));
    }
}
