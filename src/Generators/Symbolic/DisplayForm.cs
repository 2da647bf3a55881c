using System;
using System.Collections.Generic;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Rewrites an expression for <em>reading</em>, not for evaluation: products and quotients are flattened
/// into one coefficient times factors with integer exponents, equal factors are merged and cancelled
/// (<c>c·2·2·s / (s·2·s)</c> becomes <c>c/s</c>), and a coefficient 1/k is written as a division by k.
/// The result equals the input algebraically (wherever the cancelled factors are non-zero), but its
/// rounding may differ, so generated code never uses it: the header and <c>Derivation</c> text do.
/// </summary>
public static class DisplayForm
{
    /// <summary>The display form of <paramref name="e"/>.</summary>
    /// <param name="e">The expression.</param>
    /// <returns>An algebraically equal expression that prints more readably.</returns>
    public static Expr Normalize(Expr e)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        return Visit(e, new Dictionary<Expr, Expr>());
    }

    private static Expr Visit(Expr e, Dictionary<Expr, Expr> memo)
    {
        if (memo.TryGetValue(e, out var done))
        {
            return done;
        }

        Expr result;
        switch (e.Kind)
        {
            case ExprKind.Multiply or ExprKind.Divide or ExprKind.Negate:
                result = Product(e, memo);
                break;
            case ExprKind.Add:
                result = Visit(e.Children[0], memo) + Visit(e.Children[1], memo);
                break;
            case ExprKind.Subtract:
                result = Visit(e.Children[0], memo) - Visit(e.Children[1], memo);
                break;
            case ExprKind.Power:
                result = Expr.Pow(Visit(e.Children[0], memo), Visit(e.Children[1], memo));
                break;
            case ExprKind.Function:
                result = Expr.Call(((FunctionExpr)e).Function, Visit(e.Children[0], memo));
                break;
            case ExprKind.Max:
                result = Expr.Max(Visit(e.Children[0], memo), Visit(e.Children[1], memo));
                break;
            case ExprKind.Min:
                result = Expr.Min(Visit(e.Children[0], memo), Visit(e.Children[1], memo));
                break;
            case ExprKind.Conditional:
                var c = (ConditionalExpr)e;
                result = Expr.Conditional(c.Comparison, Visit(e.Children[0], memo), Visit(e.Children[1], memo), Visit(e.Children[2], memo), Visit(e.Children[3], memo));
                break;
            default:
                result = e;
                break;
        }

        memo[e] = result;
        return result;
    }

    /// <summary>Flattens a product/quotient/negation cluster and rebuilds it as coefficient·numerator/denominator.</summary>
    private static Expr Product(Expr e, Dictionary<Expr, Expr> memo)
    {
        double coefficient = 1;
        var exponents = new Dictionary<Expr, int>();
        var order = new List<Expr>();

        void Collect(Expr node, int sign)
        {
            switch (node.Kind)
            {
                case ExprKind.Multiply:
                    Collect(node.Children[0], sign);
                    Collect(node.Children[1], sign);
                    return;
                case ExprKind.Divide:
                    Collect(node.Children[0], sign);
                    Collect(node.Children[1], -sign);
                    return;
                case ExprKind.Negate:
                    coefficient = -coefficient;
                    Collect(node.Children[0], sign);
                    return;
                case ExprKind.Constant:
                    double value = ((ConstantExpr)node).Value;
                    coefficient = sign > 0 ? coefficient * value : coefficient / value;
                    return;
                case ExprKind.Power when node.Children[1].IsConstant(out double k) && k == Math.Floor(k) && Math.Abs(k) <= 64:
                    Add(Visit(node.Children[0], memo), sign * (int)k);
                    return;
                default:
                    Add(Visit(node, memo), sign);
                    return;
            }
        }

        void Add(Expr factor, int exponent)
        {
            if (factor.IsConstant(out double value))
            {
                coefficient *= Math.Pow(value, exponent);
                return;
            }

            if (!exponents.ContainsKey(factor))
            {
                exponents[factor] = 0;
                order.Add(factor);
            }

            exponents[factor] += exponent;
        }

        Collect(e, 1);
        if (coefficient == 0 || double.IsNaN(coefficient) || double.IsInfinity(coefficient))
        {
            return Expr.Constant(coefficient);
        }

        order.Sort(ExprOrder.Compare);
        Expr numerator = Expr.One, denominator = Expr.One;
        foreach (var factor in order)
        {
            int k = exponents[factor];
            if (k > 0)
            {
                numerator = numerator * (k == 1 ? factor : Expr.Pow(factor, k));
            }
            else if (k < 0)
            {
                denominator = denominator * (k == -1 ? factor : Expr.Pow(factor, -k));
            }
        }

        bool negative = coefficient < 0;
        double magnitude = Math.Abs(coefficient);
        double reciprocal = 1 / magnitude;
        if (magnitude < 1 && reciprocal == Math.Floor(reciprocal) && reciprocal <= 100)
        {
            denominator = Expr.Constant(reciprocal) * denominator;
        }
        else
        {
            numerator = Expr.Constant(magnitude) * numerator;
        }

        var result = numerator / denominator;
        return negative ? -result : result;
    }
}
