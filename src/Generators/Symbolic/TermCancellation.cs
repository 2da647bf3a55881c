using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Cancels the terms of a sum that are the same product up to the order of its factors and its constant coefficients,
/// under the same guards, and whose coefficients add up to exactly zero. Term-by-term differentiation leaves such pairs
/// where the derivatives of two written terms cancel by hand: J(u) = √(1 − u²) + (π − acos u)·u gives
/// −u/√(1 − u²) from the first and +u/√(1 − u²) from the second (dJ/du = π − acos u), each with a division and the kink
/// guards of √ and of a clamp on it. <see cref="Simplifier"/> keeps every rounding of the written expression and never
/// reassociates a product, so it cannot see that (2·u)·(1/s)·(0.5·(1/r)) and (1/s)·(1/r)·u are the same.
/// </summary>
/// <remarks>
/// <para>A term is a monomial: a constant coefficient times factors (any expression that is not a product, a
/// negation, a constant or a select with a zero branch — a sum inside a product is one factor; a divisor counts as a
/// factor of power −1, a constant divisor divides the coefficient), inside guards (the selects <c>p ? x : 0</c> and
/// <c>p ? 0 : x</c> it sits in, each a comparison and the side that is not zero). Two
/// terms of one sum (its terms reached through +, − and negation) match when their guards are the same set and their
/// factors the same multiset; a group of matching terms whose signed coefficients sum to exactly 0 is removed. The
/// remaining terms are added back in their order, each as it was written.</para>
/// <para><b>Values.</b> Where every term is finite the removed group adds up to 0 in exact arithmetic, so the sum
/// changes by the group's rounding residue, a few units in the last place of its terms, which is removed (the same
/// deliberate exception as the simplifier's <c>x − x → 0</c>). Where a term is infinite or NaN (a divisor of 0 outside
/// its guard) the original gives NaN or ±∞ − ∞ and the cancelled sum the rest's value. Nothing else is rewritten: a
/// sum without a cancelling group is returned as it is, so the bits of every other expression are unchanged.</para>
/// <para>Applied, like <see cref="DivisionReduction"/>, to an operator's outputs before <see cref="CseProgram.Build"/>
/// for the generated code only (specs/networks.md §4, "Cancelling terms").</para>
/// </remarks>
public static class TermCancellation
{
    /// <summary>The outputs with the cancelling terms of their sums removed; nodes not involved are returned as they are.</summary>
    /// <param name="outputs">The expressions of one operator.</param>
    /// <returns>The same values up to the removed residues (see the type's remarks).</returns>
    public static IReadOnlyList<Expr> Apply(IReadOnlyList<Expr> outputs)
    {
        if (outputs is null)
        {
            throw new ArgumentNullException(nameof(outputs));
        }

        var (roots, order) = Dag.Interned(outputs);

        // Only a sum that is not itself a term of a larger sum is read (its cluster holds the inner sums' terms): a sum
        // of n terms is then read once, not once per + (n² for the generator benchmarks' Sum600).
        var clusterRoots = new HashSet<Expr>(roots, ReferenceComparer.Instance);
        foreach (var e in order)
        {
            if (e.Kind is not (ExprKind.Add or ExprKind.Subtract))
            {
                foreach (var child in e.Children)
                {
                    clusterRoots.Add(child);
                }
            }
        }

        var result = Dag.RewriteBottomUp(roots, order, (e, children, same) =>
        {
            var value = same ? e : e.Rebuild(children);
            return value.Kind is ExprKind.Add or ExprKind.Subtract && clusterRoots.Contains(e) ? CancelSum(value) : value;
        });

        return result ?? outputs;
    }

    /// <summary>The sum without its cancelling groups, or the sum itself when it has none.</summary>
    internal static Expr CancelSum(Expr sum)
    {
        var terms = Dag.SumTerms(sum);
        if (terms.Count < 2)
        {
            return sum;
        }

        // A cheap, order-free signature of each term's guards and factors first: a sum none of whose terms share one
        // has nothing to cancel, and no monomial is built for it.
        var signatures = new int[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            signatures[i] = Monomial.Signature(terms[i].Term);
        }

        var counts = new Dictionary<int, int>(terms.Count);
        foreach (var signature in signatures)
        {
            counts[signature] = (counts.TryGetValue(signature, out var n) ? n : 0) + 1;
        }

        if (counts.Count == terms.Count)
        {
            return sum;
        }

        var groups = new Dictionary<Monomial, List<int>>();
        var coefficients = new double[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            if (counts[signatures[i]] < 2 || !Monomial.TryCreate(terms[i].Term, out var monomial, out var coefficient))
            {
                continue;
            }

            coefficients[i] = terms[i].Negative ? -coefficient : coefficient;
            if (!groups.TryGetValue(monomial, out var members))
            {
                groups[monomial] = members = new List<int>();
            }

            members.Add(i);
        }

        var removed = new bool[terms.Count];
        var any = false;
        foreach (var members in groups.Values)
        {
            if (members.Count < 2)
            {
                continue;
            }

            // The signed coefficients summed in the terms' order; exactly 0 (for example 1 and −1, or 2·0.5 and −1).
            var total = 0.0;
            foreach (var i in members)
            {
                total += coefficients[i];
            }

            if (total == 0 && members.All(i => !double.IsNaN(coefficients[i]) && !double.IsInfinity(coefficients[i])))
            {
                foreach (var i in members)
                {
                    removed[i] = true;
                }

                any = true;
            }
        }

        if (!any)
        {
            return sum;
        }

        Expr? result = null;
        for (var i = 0; i < terms.Count; i++)
        {
            if (removed[i])
            {
                continue;
            }

            var (term, negative) = terms[i];
            result = result is null
                ? (negative ? Expr.Negate(term) : term)
                : (negative ? Expr.Subtract(result, term) : Expr.Add(result, term));
        }

        return result ?? Expr.Zero;
    }

    /// <summary>A term's guards and factors, compared as sets (guards) and multisets (factors, with their powers ±1).</summary>
    private sealed class Monomial : IEquatable<Monomial>
    {
        private readonly HashSet<(Comparison Comparison, Expr Left, Expr Right, bool NonZeroWhenTrue)> guards;
        private readonly Dictionary<(Expr Factor, int Power), int> factors;
        private readonly int hash;

        private Monomial(
            HashSet<(Comparison Comparison, Expr Left, Expr Right, bool NonZeroWhenTrue)> guards, Dictionary<(Expr Factor, int Power), int> factors)
        {
            this.guards = guards;
            this.factors = factors;
            var h = 17;
            foreach (var g in guards)
            {
                h ^= g.GetHashCode(); // order-free
            }

            foreach (var f in factors)
            {
                h ^= (f.Key.GetHashCode() * 31) + f.Value;
            }

            hash = h;
        }

        /// <summary>
        /// An order-free hash of the guards and factors <see cref="TryCreate"/> would find (equal monomials have equal
        /// signatures; the coefficient is left out), by the same walk without collections.
        /// </summary>
        public static int Signature(Expr term)
        {
            var visitor = new SignatureVisitor();
            Walk(term, ref visitor);
            return visitor.Signature;
        }

        /// <summary>A guard's hash: the same for the same comparison, sides and nonzero side (a set: added once per guard
        /// in <see cref="Signature"/>, which may count a repeated guard twice — only a cheaper filter, never a match).</summary>
        private static int GuardHash(ConditionalExpr q, bool nonZeroWhenTrue) =>
            (((((int)q.Comparison * 397) ^ q.Left.GetHashCode()) * 397) ^ q.Right.GetHashCode()) + (nonZeroWhenTrue ? 1 : 2);

        /// <summary>The walk's stack, reused (the generator runs a model's passes on one thread).</summary>
        [ThreadStatic]
        private static Stack<(Expr Node, int Power)>? Stack;

        private interface IVisitor
        {
            void Constant(double value, int power);

            void Negate();

            void Guard(ConditionalExpr select, bool nonZeroWhenTrue);

            void Factor(Expr factor, int power);
        }

        /// <summary>The signature: constants and signs left out, guards and factors added (order-free).</summary>
        private struct SignatureVisitor : IVisitor
        {
            public int Signature;

            public void Constant(double value, int power)
            {
            }

            public void Negate()
            {
            }

            public void Guard(ConditionalExpr select, bool nonZeroWhenTrue) => Signature += GuardHash(select, nonZeroWhenTrue);

            public void Factor(Expr factor, int power) => Signature += (factor.GetHashCode() * 31) + power;
        }

        /// <summary>The monomial: the coefficient (a constant divisor divides it), the set of guards, the multiset of factors.</summary>
        private struct MonomialVisitor(HashSet<(Comparison, Expr, Expr, bool)> guards, Dictionary<(Expr, int), int> factors) : IVisitor
        {
            public double Coefficient = 1.0;

            public readonly HashSet<(Comparison, Expr, Expr, bool)> Guards => guards;

            public readonly Dictionary<(Expr, int), int> Factors => factors;

            public void Constant(double value, int power) => Coefficient = power == 1 ? Coefficient * value : Coefficient / value; // 1/(2·x)

            public void Negate() => Coefficient = -Coefficient;

            public readonly void Guard(ConditionalExpr select, bool nonZeroWhenTrue) => guards.Add((select.Comparison, select.Left, select.Right, nonZeroWhenTrue));

            public readonly void Factor(Expr factor, int power)
            {
                var key = (factor, power);
                factors[key] = (factors.TryGetValue(key, out var n) ? n : 0) + 1;
            }
        }

        /// <summary>
        /// The monomial of <paramref name="term"/> and its constant coefficient (a sum inside a product or a guard is one
        /// factor); false for none so far.
        /// </summary>
        public static bool TryCreate(Expr term, out Monomial monomial, out double coefficient)
        {
            var visitor = new MonomialVisitor(new HashSet<(Comparison, Expr, Expr, bool)>(), new Dictionary<(Expr, int), int>());
            Walk(term, ref visitor);
            coefficient = visitor.Coefficient;
            monomial = new Monomial(visitor.Guards, visitor.Factors);
            return true;
        }

        /// <summary>
        /// The one walk of a term: its constants (with their power: −1 for a divisor), the negations, its guards (a select
        /// with a zero side, and whether the other side is the one taken when the comparison holds) and its factors.
        /// </summary>
        private static void Walk<TVisitor>(Expr term, ref TVisitor visitor)
            where TVisitor : struct, IVisitor
        {
            var stack = Stack ??= new Stack<(Expr Node, int Power)>();
            stack.Clear();
            stack.Push((term, 1));
            while (stack.Count > 0)
            {
                var (node, power) = stack.Pop();
                switch (node.Kind)
                {
                    case ExprKind.Constant:
                        node.IsConstant(out var c);
                        visitor.Constant(c, power);
                        break;
                    case ExprKind.Negate:
                        visitor.Negate();
                        stack.Push((node.Children[0], power));
                        break;
                    case ExprKind.Multiply:
                        stack.Push((node.Children[1], power));
                        stack.Push((node.Children[0], power));
                        break;
                    case ExprKind.Divide when power == 1:
                        stack.Push((node.Children[1], -1));
                        stack.Push((node.Children[0], 1));
                        break;
                    case ExprKind.Conditional when power == 1 && IsZero(((ConditionalExpr)node).WhenFalse):
                        var whenTrue = (ConditionalExpr)node;
                        visitor.Guard(whenTrue, nonZeroWhenTrue: true);
                        stack.Push((whenTrue.WhenTrue, 1));
                        break;
                    case ExprKind.Conditional when power == 1 && IsZero(((ConditionalExpr)node).WhenTrue):
                        var whenFalse = (ConditionalExpr)node;
                        visitor.Guard(whenFalse, nonZeroWhenTrue: false);
                        stack.Push((whenFalse.WhenFalse, 1));
                        break;
                    default:
                        visitor.Factor(node, power);
                        break;
                }
            }
        }

        public bool Equals(Monomial? other) =>
            other is not null && hash == other.hash && guards.SetEquals(other.guards)
            && factors.Count == other.factors.Count && factors.All(f => other.factors.TryGetValue(f.Key, out var n) && n == f.Value);

        public override bool Equals(object? obj) => obj is Monomial m && Equals(m);

        public override int GetHashCode() => hash;

        private static bool IsZero(Expr e) => e.IsConstant(out var v) && v == 0;
    }
}
