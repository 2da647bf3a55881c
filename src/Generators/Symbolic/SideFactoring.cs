using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Splits the two-sided factors of an interaction kernel's formulas into one-sided ones, so that
/// <see cref="SideValues"/> can compute them once per particle instead of once per pair:
/// <list type="bullet">
/// <item><description><c>√(a·b)</c> with every factor of the product over one side's inputs (a over θ's, b over θ′'s)
/// and known to be ≥ 0 → <c>√a·√b</c>: the arc-cosine kernel's |w||w′| = √(|w|²|w′|²).</description></item>
/// <item><description><c>x / (a·b)</c> with a over θ's inputs and b over θ′'s → <c>x·((1/a)·(1/b))</c> (and
/// <c>1 / (a·b)</c> → <c>(1/a)·(1/b)</c>): the reciprocal <see cref="DivisionReduction"/> made of |w||w′|, and
/// u = w·w′/(|w||w′|).</description></item>
/// </list>
/// Applied bottom-up after <see cref="DivisionReduction"/> to the kernel's operators only (generated code; the readable
/// formulas keep the form written), so a root split first makes the division above it splittable.
/// </summary>
/// <remarks>
/// <para><b>Precision.</b> Not the same bits. Each rounding is within a relative 2⁻⁵³ of its exact result: √(a·b) rounds
/// within 1.5·2⁻⁵³ (the root halves the product's error), √a·√b within 3·2⁻⁵³; x/(a·b) within 2·2⁻⁵³, x·(1/a)·(1/b)
/// within 4·2⁻⁵³. So a split root differs from the written one by at most 4.5·2⁻⁵³ relative, a split quotient by 6·2⁻⁵³,
/// and the arc-cosine kernel's cosine w·w′/√(|w|²|w′|²), both at once, by 8.5·2⁻⁵³. Where a·b overflows or underflows
/// (|w|² = 10²⁰⁰ on both sides, say) the split form is the finite, accurate one. A root is split only over factors known
/// to be ≥ 0 (squared norms, roots, exponentials, absolute values, even powers, non-negative constants, and sums and
/// products of these): √(a·b) of two negative factors is a number, √a·√b is not.</para>
/// <para>Constants count as either side (they join θ's factors). A factor over both sides, or over a pair channel,
/// leaves the node as written.</para>
/// </remarks>
public static class SideFactoring
{
    /// <summary>The side of an input symbol: θ's, θ′'s, or neither (a pair channel, another input).</summary>
    public enum InputSide
    {
        /// <summary>Neither side alone (a pair channel).</summary>
        Neither,

        /// <summary>θ's inputs (side A).</summary>
        A,

        /// <summary>θ′'s inputs (side B).</summary>
        B,
    }

    private const int ReadsA = 1;
    private const int ReadsB = 2;
    private const int ReadsOther = 4;

    /// <summary>The outputs with their two-sided roots and divisors split; nodes not involved are returned as they are.</summary>
    /// <param name="outputs">The expressions of one operator.</param>
    /// <param name="sideOf">Each input symbol's side.</param>
    /// <param name="nonNegative">Input symbols known to be ≥ 0 (squared norms).</param>
    /// <returns>Expressions of the same values, to the precision stated on the type.</returns>
    public static IReadOnlyList<Expr> Apply(IReadOnlyList<Expr> outputs, Func<string, InputSide> sideOf, ISet<string> nonNegative)
    {
        if (outputs is null)
        {
            throw new ArgumentNullException(nameof(outputs));
        }

        if (sideOf is null)
        {
            throw new ArgumentNullException(nameof(sideOf));
        }

        if (nonNegative is null)
        {
            throw new ArgumentNullException(nameof(nonNegative));
        }

        var (roots, order) = Dag.Interned(outputs);
        var masks = new Dictionary<Expr, int>(ReferenceComparer.Instance);
        int Mask(Expr e)
        {
            if (!masks.ContainsKey(e))
            {
                foreach (var n in Dag.PostOrderExcept(e, masks.ContainsKey))
                {
                    masks[n] = n is SymbolExpr s
                        ? sideOf(s.Name) switch { InputSide.A => ReadsA, InputSide.B => ReadsB, _ => ReadsOther }
                        : n.Children.Aggregate(0, (m, c) => m | masks[c]);
                }
            }

            return masks[e];
        }

        // The factors of a product split by side: both sides present, no factor over both or over a pair channel.
        bool TrySplit(Expr product, bool requireNonNegative, out Expr a, out Expr b)
        {
            a = b = Expr.One;
            if (product.Kind != ExprKind.Multiply)
            {
                return false;
            }

            var factorsA = new List<Expr>();
            var factorsB = new List<Expr>();
            var pending = new Stack<Expr>();
            pending.Push(product);
            while (pending.Count > 0)
            {
                var e = pending.Pop();
                if (e.Kind == ExprKind.Multiply)
                {
                    pending.Push(e.Children[1]);
                    pending.Push(e.Children[0]);
                    continue;
                }

                int mask = Mask(e);
                if ((mask & ReadsOther) != 0 || mask == (ReadsA | ReadsB) || (requireNonNegative && !IsNonNegative(e, nonNegative)))
                {
                    return false;
                }

                (mask == ReadsB ? factorsB : factorsA).Add(e);
            }

            if (factorsB.Count == 0 || !factorsA.Any(f => Mask(f) == ReadsA))
            {
                return false;
            }

            a = factorsA.Aggregate(Expr.Multiply);
            b = factorsB.Aggregate(Expr.Multiply);
            return true;
        }

        var result = Dag.RewriteBottomUp(roots, order, (e, children, same) =>
        {
            var node = same ? e : e.RebuildRaw(children);
            if (node is FunctionExpr { Function: MathFunction.Sqrt } root && TrySplit(root.Argument, requireNonNegative: true, out var ra, out var rb))
            {
                return Expr.Multiply(Expr.Call(MathFunction.Sqrt, ra), Expr.Call(MathFunction.Sqrt, rb));
            }

            if (node.Kind == ExprKind.Divide && TrySplit(node.Children[1], requireNonNegative: false, out var da, out var db))
            {
                var reciprocal = Expr.Multiply(Expr.Divide(Expr.One, da), Expr.Divide(Expr.One, db));
                return node.Children[0].IsConstant(out double one) && one == 1 ? reciprocal : Expr.Multiply(node.Children[0], reciprocal);
            }

            return node;
        });
        return result ?? outputs;
    }

    /// <summary>Whether <paramref name="e"/> is ≥ 0 (or NaN) wherever it is defined, by its form.</summary>
    private static bool IsNonNegative(Expr e, ISet<string> nonNegative) => e switch
    {
        SymbolExpr s => nonNegative.Contains(s.Name),
        FunctionExpr { Function: MathFunction.Sqrt or MathFunction.Exp or MathFunction.Abs } => true,
        _ when e.IsConstant(out double c) => c >= 0,
        _ when e.Kind is ExprKind.Multiply or ExprKind.Add => IsNonNegative(e.Children[0], nonNegative) && IsNonNegative(e.Children[1], nonNegative),
        _ when e.Kind == ExprKind.Power => e.Children[1].IsConstant(out double p) && p % 2 == 0,
        _ => false,
    };
}
