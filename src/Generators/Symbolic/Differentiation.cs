using System;
using System.Collections.Generic;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Symbolic differentiation. The result is built with the simplifying constructors, so terms multiplied by a zero
/// derivative vanish; nodes of the original (e.g. <c>tanh(a)</c>, <c>sqrt(a)</c>, <c>exp(a)</c>, <c>a/b</c>) are reused.
/// <para>
/// Kink convention: comparisons are strict and a tie contributes zero.
/// <c>d|a| = sign(a)·a'</c> with <c>sign(0) = 0</c>, i.e. <c>((a &gt; 0) ? 1 : ((a &lt; 0) ? −1 : 0))·a'</c>;
/// <c>d max(a, b) = [a &gt; b]·a' + [b &gt; a]·b'</c>; <c>d min(a, b) = [a &lt; b]·a' + [b &lt; a]·b'</c>
/// (so <c>d/dz max(0, z)</c> and <c>d/dz max(z, 0)</c> are 0 at z = 0; away from the kink they are the one-sided slope);
/// the derivative of <c>(l OP r) ? t : f</c> is <c>(l OP r) ? t' : f'</c> (the branch the comparison picks at the point).
/// Indicators <c>[p]</c> are <c>Conditional(p, 1, 0)</c> nodes.
/// </para>
/// </summary>
public static class Differentiation
{
    /// <summary>
    /// The derivative of <paramref name="e"/> with respect to the symbol <paramref name="symbol"/>, memoised per
    /// distinct subexpression within the call, so shared subtrees (DAGs) are differentiated once.
    /// </summary>
    /// <param name="e">The expression (must not contain temporaries).</param>
    /// <param name="symbol">The name of the symbol.</param>
    /// <returns>The simplified derivative.</returns>
    public static Expr Derivative(Expr e, string symbol)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        if (symbol is null)
        {
            throw new ArgumentNullException(nameof(symbol));
        }

        var memo = new Dictionary<Expr, Expr>();
        return D(e);

        Expr D(Expr node)
        {
            if (memo.TryGetValue(node, out var known))
            {
                return known;
            }

            var result = Rule(node, D, symbol);
            memo[node] = result;
            return result;
        }
    }

    private static Expr Rule(Expr e, Func<Expr, Expr> d, string symbol)
    {
        switch (e)
        {
            case ConstantExpr:
                return Expr.Zero;
            case SymbolExpr s:
                return string.Equals(s.Name, symbol, StringComparison.Ordinal) ? Expr.One : Expr.Zero;
            case TempExpr t:
                throw new InvalidOperationException($"Cannot differentiate temporary t{t.Index}; differentiate before CSE.");
            case FunctionExpr f:
                {
                    var da = d(f.Argument);
                    return da.IsConstant(out var c) && c == 0 ? Expr.Zero : Expr.Multiply(FunctionDerivative(f), da);
                }

            case ConditionalExpr q:
                return Expr.Conditional(q.Comparison, q.Left, q.Right, d(q.WhenTrue), d(q.WhenFalse));
        }

        var a = e.Children[0];
        switch (e.Kind)
        {
            case ExprKind.Negate:
                return Expr.Negate(d(a));
            case ExprKind.Add:
                return Expr.Add(d(a), d(e.Children[1]));
            case ExprKind.Subtract:
                return Expr.Subtract(d(a), d(e.Children[1]));
        }

        var b = e.Children[1];
        var da2 = d(a);
        var db = d(b);
        switch (e.Kind)
        {
            case ExprKind.Multiply:
                return Expr.Add(Expr.Multiply(da2, b), Expr.Multiply(a, db));
            case ExprKind.Divide:
                // d(a/b) = (a' − (a/b)·b') / b, reusing the quotient node.
                return Expr.Divide(Expr.Subtract(da2, Expr.Multiply(e, db)), b);
            case ExprKind.Max:
                return Expr.Add(
                    Expr.Multiply(Indicator(Comparison.Greater, a, b), da2),
                    Expr.Multiply(Indicator(Comparison.Greater, b, a), db));
            case ExprKind.Min:
                return Expr.Add(
                    Expr.Multiply(Indicator(Comparison.Less, a, b), da2),
                    Expr.Multiply(Indicator(Comparison.Less, b, a), db));
            case ExprKind.Power:
                if (b.IsConstant(out var c))
                {
                    // d a^c = c·a^(c−1)·a'
                    return Expr.Multiply(Expr.Multiply(Expr.Constant(c), Expr.Pow(a, Expr.Constant(c - 1))), da2);
                }

                // d a^b = a^b·(b'·ln a + b·a'/a)
                return Expr.Multiply(
                    e,
                    Expr.Add(Expr.Multiply(db, Expr.Call(MathFunction.Log, a)), Expr.Multiply(b, Expr.Divide(da2, a))));
            default:
                throw new InvalidOperationException($"No derivative rule for {e.Kind}.");
        }
    }

    /// <summary>f'(a) for a call node f(a) (to be multiplied by a').</summary>
    private static Expr FunctionDerivative(FunctionExpr f)
    {
        var a = f.Argument;
        return f.Function switch
        {
            MathFunction.Exp => f,
            MathFunction.Log => Expr.Divide(Expr.One, a),
            MathFunction.Sqrt => Expr.Divide(Expr.One, Expr.Multiply(Expr.Constant(2.0), f)),
            MathFunction.Tanh => Expr.Subtract(Expr.One, Expr.Pow(f, Expr.Constant(2.0))),
            MathFunction.Sin => Expr.Call(MathFunction.Cos, a),
            MathFunction.Cos => Expr.Negate(Expr.Call(MathFunction.Sin, a)),
            MathFunction.Abs => Expr.Conditional(
                Comparison.Greater, a, Expr.Zero, Expr.One, Expr.Conditional(Comparison.Less, a, Expr.Zero, Expr.Constant(-1.0), Expr.Zero)),
            MathFunction.Acos => Expr.Negate(
                Expr.Divide(Expr.One, Expr.Call(MathFunction.Sqrt, Expr.Subtract(Expr.One, Expr.Pow(a, Expr.Constant(2.0)))))),
            MathFunction.Atan => Expr.Divide(Expr.One, Expr.Add(Expr.One, Expr.Pow(a, Expr.Constant(2.0)))),
            _ => throw new InvalidOperationException($"No derivative rule for {f.Function}."),
        };
    }

    private static Expr Indicator(Comparison comparison, Expr left, Expr right) =>
        Expr.Conditional(comparison, left, right, Expr.One, Expr.Zero);
}
