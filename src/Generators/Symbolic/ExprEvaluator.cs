using System;
using System.Collections.Generic;

namespace MeanField.Generators.Symbolic;

/// <summary>Reference evaluation with C# <c>double</c> / <c>System.Math</c> semantics, memoised per node (DAG-safe).</summary>
internal static class ExprEvaluator
{
    /// <summary>Evaluates <paramref name="root"/>.</summary>
    /// <param name="root">The expression.</param>
    /// <param name="symbolValue">Symbol values.</param>
    /// <param name="tempValue">Temp values, or null when temps are not allowed.</param>
    /// <returns>The value.</returns>
    public static double Evaluate(Expr root, Func<string, double> symbolValue, Func<int, double>? tempValue)
    {
        if (symbolValue is null)
        {
            throw new ArgumentNullException(nameof(symbolValue));
        }

        // Post-order over the DAG (iterative, any depth); both branches of a conditional are evaluated, which has
        // no effect on the value (evaluation has no side effects).
        var memo = new Dictionary<Expr, double>(ReferenceComparer.Instance);
        foreach (var e in Dag.PostOrder(root))
        {
            memo[e] = e switch
            {
                ConstantExpr c => c.Value,
                SymbolExpr s => symbolValue(s.Name),
                TempExpr t => tempValue is null
                    ? throw new InvalidOperationException($"Cannot evaluate temporary t{t.Index} without temp values.")
                    : tempValue(t.Index),
                FunctionExpr f => Apply(f.Function, memo[f.Argument]),
                ConditionalExpr q => ConditionalExpr.Holds(q.Comparison, memo[q.Left], memo[q.Right]) ? memo[q.WhenTrue] : memo[q.WhenFalse],
                _ => Operate(e.Kind, memo[e.Children[0]], e.Children.Count > 1 ? memo[e.Children[1]] : 0.0),
            };
        }

        return memo[root];
    }

    /// <summary>Applies a function exactly as <c>System.Math</c> does.</summary>
    /// <param name="function">The function.</param>
    /// <param name="x">The argument.</param>
    /// <returns>The value.</returns>
    public static double Apply(MathFunction function, double x) => function switch
    {
        MathFunction.Exp => Math.Exp(x),
        MathFunction.Log => Math.Log(x),
        MathFunction.Sqrt => Math.Sqrt(x),
        MathFunction.Tanh => Math.Tanh(x),
        MathFunction.Sin => Math.Sin(x),
        MathFunction.Cos => Math.Cos(x),
        MathFunction.Abs => Math.Abs(x),
        MathFunction.Acos => Math.Acos(x),
        MathFunction.Atan => Math.Atan(x),
        MathFunction.Softplus => Softplus(x),
        MathFunction.Logistic => Logistic(x),
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    /// <summary>log(1 + eˣ) as <c>SimdMath.Softplus(double)</c> computes it: max(x, 0) + log1p(e^{−|x|}), log1p(t) =
    /// ln(1 + t)·t/((1 + t) − 1) (t where 1 + t = 1).</summary>
    /// <param name="x">The argument.</param>
    /// <returns>The value.</returns>
    public static double Softplus(double x)
    {
        double t = Math.Exp(-Math.Abs(x));
        double w = 1.0 + t;
        double log1p = w == 1.0 ? t : Math.Log(w) * t / (w - 1.0);
        return Math.Max(x, 0.0) + log1p;
    }

    /// <summary>1/(1 + e^{−x}) as <c>SimdMath.Logistic(double)</c> computes it: 1/(1 + e^{−x}) for x ≥ 0, eˣ/(1 + eˣ) below.</summary>
    /// <param name="x">The argument.</param>
    /// <returns>The value.</returns>
    public static double Logistic(double x)
    {
        if (x >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>Applies an arithmetic operation as C# does.</summary>
    /// <param name="kind">The operation.</param>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand (ignored for negation).</param>
    /// <returns>The value.</returns>
    public static double Operate(ExprKind kind, double a, double b) => kind switch
    {
        ExprKind.Add => a + b,
        ExprKind.Subtract => a - b,
        ExprKind.Multiply => a * b,
        ExprKind.Divide => a / b,
        ExprKind.Negate => -a,
        ExprKind.Power => Math.Pow(a, b),
        ExprKind.Max => Math.Max(a, b),
        ExprKind.Min => Math.Min(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
