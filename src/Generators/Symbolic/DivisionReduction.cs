using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Replaces divisions, the slowest arithmetic of the generated operators (a vector division costs several FMAs' worth
/// of throughput on every x64 core), by multiplications where that costs at most one rounding:
/// <list type="bullet">
/// <item><description><c>a / c</c> with c a constant whose reciprocal is a normal double → <c>(1/c) · a</c>, the
/// reciprocal folded at generation time. Exact when c is a power of two; otherwise within 1 ulp of a / c plus the
/// half ulp of the quotient.</description></item>
/// <item><description><c>a / b</c> with b the divisor of two or more different divisions of the outputs →
/// <c>a · r</c>, <c>r = 1 / b</c> computed once (a common subexpression). Within 1.5 ulp of a / b; the special values
/// agree (b = ±0 gives ±∞ or NaN, b = ±∞ gives ±0 or NaN, exactly as a / b does), except for a subnormal b below
/// 2^−1024 in magnitude, whose reciprocal overflows.</description></item>
/// </list>
/// Applied to the outputs of an operator before <see cref="CseProgram.Build"/> for the generated code only: the
/// readable formulas and the evaluator keep the divisions as written.
/// </summary>
public static class DivisionReduction
{
    /// <summary>The outputs with their divisions reduced; nodes not involved are returned as they are.</summary>
    /// <param name="outputs">The expressions of one operator (computed together, so their divisors are shared).</param>
    /// <returns>Expressions of the same values, to the precision stated on the type.</returns>
    public static IReadOnlyList<Expr> Apply(IReadOnlyList<Expr> outputs)
    {
        if (outputs is null)
        {
            throw new ArgumentNullException(nameof(outputs));
        }

        var (roots, order) = Dag.Interned(outputs);

        // How many different divisions each (non-constant) divisor serves, a divisor c·x with c a power of two counted
        // as x (a / (c·x) = ((1/c)·a) · (1/x), the scaling exact).
        var divisions = new Dictionary<Expr, int>(ReferenceComparer.Instance);
        foreach (var e in order)
        {
            if (e.Kind == ExprKind.Divide && !e.Children[1].IsConstant(out _))
            {
                var divisor = Unscaled(e.Children[1], out _);
                divisions[divisor] = (divisions.TryGetValue(divisor, out var n) ? n : 0) + 1;
            }
        }

        var reciprocals = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        var rebuilt = new Dictionary<Expr, Expr>(ReferenceComparer.Instance); // each node's rewrite, for the reciprocals' divisors
        var result = Dag.RewriteBottomUp(roots, order, (e, children, same) =>
        {
            Expr value = same ? e : e.RebuildRaw(children);
            if (e.Kind == ExprKind.Divide)
            {
                var dividend = children[0];
                if (e.Children[1].IsConstant(out var c))
                {
                    var r = 1.0 / c;
                    if (c != 0 && !double.IsInfinity(c) && !double.IsNaN(c) && Math.Abs(r) >= SmallestNormal && !double.IsInfinity(r))
                    {
                        value = new OperationExpr(ExprKind.Multiply, Expr.Constant(r), dividend);
                    }
                }
                else if (divisions[Unscaled(e.Children[1], out var scale)] >= 2)
                {
                    var key = Unscaled(e.Children[1], out _);
                    if (!reciprocals.TryGetValue(key, out var reciprocal))
                    {
                        reciprocal = new OperationExpr(ExprKind.Divide, Expr.One, rebuilt.TryGetValue(key, out var k) ? k : key);
                        reciprocals[key] = reciprocal;
                    }

                    // 1/(c·x) → (1/c)·r, a/(c·x) → ((1/c)·a)·r; with c = 1 the factor is left out.
                    var numerator = scale == 1 ? dividend : new OperationExpr(ExprKind.Multiply, Expr.Constant(1 / scale), dividend);
                    value = IsOne(dividend)
                        ? (scale == 1 ? reciprocal : new OperationExpr(ExprKind.Multiply, Expr.Constant(1 / scale), reciprocal))
                        : new OperationExpr(ExprKind.Multiply, numerator, reciprocal);
                }
            }

            rebuilt[e] = value;
            return value;
        });

        return result ?? outputs;
    }

    private const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>x for a divisor c·x with c a power-of-two constant (<paramref name="scale"/> = c), else the divisor itself (scale 1).</summary>
    private static Expr Unscaled(Expr divisor, out double scale)
    {
        if (divisor.Kind == ExprKind.Multiply && divisor.Children[0].IsConstant(out var c) && IsPowerOfTwo(c)
            && !divisor.Children[1].IsConstant(out _))
        {
            scale = c;
            return divisor.Children[1];
        }

        scale = 1;
        return divisor;
    }

    /// <summary>±2^k with a normal reciprocal: multiplying by 1/c is exact wherever the product stays normal.</summary>
    private static bool IsPowerOfTwo(double c)
    {
        if (c == 0 || double.IsInfinity(c) || double.IsNaN(c))
        {
            return false;
        }

        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(c));
        var exponent = (int)((bits >> 52) & 0x7FF);
        return (bits & 0xFFFFFFFFFFFFFL) == 0 && exponent > 1 && exponent < 2045;
    }

    private static bool IsOne(Expr e) => e.IsConstant(out var v) && v == 1;
}
