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

        return new Normalizer().Normalize(e);
    }

    /// <summary>
    /// Normalizes several expressions with one memo, so the nodes they share (e.g. the gradient's components) are
    /// rewritten once.
    /// </summary>
    internal sealed class Normalizer
    {
        private readonly ExprInterner interner = new();
        private readonly Dictionary<Expr, Expr> display = new(ReferenceComparer.Instance);
        private readonly Dictionary<Expr, Factors> clusters = new(ReferenceComparer.Instance);

        /// <summary>The display form of <paramref name="e"/>.</summary>
        /// <param name="e">The expression.</param>
        /// <returns>The display form.</returns>
        public Expr Normalize(Expr e) => DisplayForm.Normalize(interner.Intern(e), display, clusters);
    }

    private static Expr Normalize(Expr root, Dictionary<Expr, Expr> display, Dictionary<Expr, Factors> clusters)
    {
        // Post-order over the hash-consed DAG (iterative): each distinct node is rewritten once, from its children's
        // display forms. A product cluster keeps its flattened factors (at most MaxFactors distinct, exponents at most
        // MaxExponent in size; beyond that the node is kept as one opaque factor), so the work is linear in the DAG size.
        // A product node nested in a larger product is only built when something else needs its display form (its
        // factors flow into the enclosing cluster), so a long product chain is sorted and built once, not per level.
        Expr Of(Expr node)
        {
            if (!display.TryGetValue(node, out var done))
            {
                done = clusters[node].Build();
                display[node] = done;
            }

            return done;
        }

        // One delegate for the whole pass, and no closure per node.
        Func<Expr, Expr> of = Of;
        // Nodes normalized by an earlier call (with all their descendants) are not walked again.
        foreach (var node in Dag.PostOrderExcept(root, n => display.ContainsKey(n) || clusters.ContainsKey(n)))
        {
            if (display.ContainsKey(node) || clusters.ContainsKey(node))
            {
                continue;
            }

            Expr result;
            switch (node.Kind)
            {
                case ExprKind.Multiply or ExprKind.Divide or ExprKind.Negate:
                    var factors = Cluster(node, of, clusters);
                    if (factors is null)
                    {
                        result = node.Kind == ExprKind.Negate ? -Of(node.Children[0]) : node.Kind == ExprKind.Multiply ? Of(node.Children[0]) * Of(node.Children[1]) : Of(node.Children[0]) / Of(node.Children[1]);
                    }
                    else
                    {
                        clusters[node] = factors;
                        continue;
                    }

                    break;
                case ExprKind.Add:
                    result = Of(node.Children[0]) + Of(node.Children[1]);
                    break;
                case ExprKind.Subtract:
                    result = Of(node.Children[0]) - Of(node.Children[1]);
                    break;
                case ExprKind.Power:
                    result = Expr.Pow(Of(node.Children[0]), Of(node.Children[1]));
                    break;
                case ExprKind.Function:
                    result = Expr.Call(((FunctionExpr)node).Function, Of(node.Children[0]));
                    break;
                case ExprKind.Max:
                    result = Expr.Max(Of(node.Children[0]), Of(node.Children[1]));
                    break;
                case ExprKind.Min:
                    result = Expr.Min(Of(node.Children[0]), Of(node.Children[1]));
                    break;
                case ExprKind.Conditional:
                    result = Expr.Conditional(((ConditionalExpr)node).Comparison, Of(node.Children[0]), Of(node.Children[1]), Of(node.Children[2]), Of(node.Children[3]));
                    break;
                default:
                    result = node;
                    break;
            }

            display[node] = result;
        }

        return Of(root);
    }

    private const int MaxFactors = 64;

    /// <summary>
    /// Up to this many factors, they are sorted in the canonical order; beyond, by height first (then the canonical
    /// order): the canonical comparison of two deep chains walks their whole depth, which made long products (the
    /// derivative of 1,500 nested tanh) quadratic. The result is as deterministic, only ordered differently.
    /// </summary>
    private const int ShallowSortBelow = 8;

    private static int ByHeightThenOrder(Expr a, Expr b)
    {
        var byHeight = a.Height.CompareTo(b.Height);
        return byHeight != 0 ? byHeight : ExprOrder.Compare(a, b);
    }
    private const int MaxExponent = 64;

    /// <summary>The flattened factors of a product/quotient/negation node, or null when they would exceed the bounds.</summary>
    private static Factors? Cluster(Expr node, Func<Expr, Expr> display, Dictionary<Expr, Factors> clusters)
    {
        var factors = new Factors();
        bool ok = node.Kind switch
        {
            ExprKind.Negate => factors.Include(node.Children[0], 1, display, clusters) && factors.Negate(),
            ExprKind.Multiply => factors.Include(node.Children[0], 1, display, clusters) && factors.Include(node.Children[1], 1, display, clusters),
            _ => factors.Include(node.Children[0], 1, display, clusters) && factors.Include(node.Children[1], -1, display, clusters),
        };
        return ok ? factors : null;
    }

    /// <summary>A coefficient times factors with integer exponents.</summary>
    private sealed class Factors
    {
        private readonly Dictionary<Expr, int> exponents = new();
        private readonly List<Expr> order = new();
        private double coefficient = 1;

        public bool Negate()
        {
            coefficient = -coefficient;
            return true;
        }

        /// <summary>Multiplies by <paramref name="child"/>^<paramref name="sign"/>; false when the bounds are exceeded.</summary>
        public bool Include(Expr child, int sign, Func<Expr, Expr> display, Dictionary<Expr, Factors> clusters)
        {
            if (clusters.TryGetValue(child, out var inner))
            {
                coefficient = sign > 0 ? coefficient * inner.coefficient : coefficient / inner.coefficient;
                foreach (var factor in inner.order)
                {
                    if (!Add(factor, sign * inner.exponents[factor]))
                    {
                        return false;
                    }
                }

                return true;
            }

            if (child.IsConstant(out double value))
            {
                coefficient = sign > 0 ? coefficient * value : coefficient / value;
                return true;
            }

            if (child.Kind == ExprKind.Power && child.Children[1].IsConstant(out double k) && k == Math.Floor(k) && Math.Abs(k) <= MaxExponent)
            {
                return Add(display(child.Children[0]), sign * (int)k);
            }

            return Add(display(child), sign);
        }

        private bool Add(Expr factor, int exponent)
        {
            if (factor.IsConstant(out double value))
            {
                coefficient *= Math.Pow(value, exponent);
                return true;
            }

            if (!exponents.TryGetValue(factor, out var k))
            {
                if (order.Count >= MaxFactors)
                {
                    return false;
                }

                order.Add(factor);
                k = 0;
            }

            k += exponent;
            exponents[factor] = k;
            return Math.Abs(k) <= MaxExponent;
        }

        public Expr Build()
        {
            if (coefficient == 0 || double.IsNaN(coefficient) || double.IsInfinity(coefficient))
            {
                return Expr.Constant(coefficient);
            }

            var sorted = new List<Expr>(order);
            sorted.Sort(sorted.Count <= ShallowSortBelow ? ExprOrder.Compare : ByHeightThenOrder);
            Expr numerator = Expr.One, denominator = Expr.One;
            foreach (var factor in sorted)
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
}
