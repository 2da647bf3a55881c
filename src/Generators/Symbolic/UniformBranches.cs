using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Lane-uniform branches of a vector program. A select <c>c ? a : b</c> computes both a and b in every lane; when no lane
/// of a vector takes a (or every lane does), the other side is wasted work. For the condition whose two outcomes carry
/// the most expensive exclusive work (square roots, divisions, calls), <see cref="Find"/> builds the program specialised
/// to each outcome: every select on that condition replaced by its chosen side (no other rewrite, so each remaining
/// operation is the general program's, and every lane gets the bits it gets there), dead temporaries dropped. The code
/// then tests the condition's mask once and runs the specialised program when the mask is uniform (specs/networks.md
/// §4, "Uniform branches"). The arc-cosine kernel's series near u = 1 and its closed form are such a pair: its
/// Vector512 K with ∇K runs in 161–169 cycles per 8 pairs specialised against 211–222 (scratch loop, one Zen 4 core).
/// </summary>
public static class UniformBranches
{
    /// <summary>The general program split on one condition.</summary>
    /// <param name="Prefix">Temporaries [0, Prefix) come before the test (the condition reads only those).</param>
    /// <param name="Condition">A select on the condition (its comparison, left and right sides are what is tested).</param>
    /// <param name="WhenNone">The program when no lane holds the condition, or null when that saves nothing.</param>
    /// <param name="WhenAll">The program when every lane holds it, or null when that saves nothing.</param>
    public sealed record Split(int Prefix, ConditionalExpr Condition, CseProgram? WhenNone, CseProgram? WhenAll);

    /// <summary>
    /// The split worth making, or null: the condition whose specialised programs drop the most expensive operations (at
    /// least one) over the two outcomes. Null also for a program of more than <see cref="MaxConditions"/> distinct
    /// conditions (each candidate is two passes over the program).
    /// </summary>
    public static Split? Find(CseProgram program)
    {
        if (program is null)
        {
            throw new ArgumentNullException(nameof(program));
        }

        var conditions = new List<ConditionalExpr>();
        foreach (var root in program.Temps.Select(t => t.Value).Concat(program.Outputs))
        {
            foreach (var node in Dag.PostOrder(new[] { root }))
            {
                if (node is ConditionalExpr q && !conditions.Any(c => SameCondition(c, q)))
                {
                    conditions.Add(q);
                    if (conditions.Count > MaxConditions)
                    {
                        return null; // left general (below); no need to list the rest
                    }
                }
            }
        }

        // Each candidate costs two passes over the program: a program without expensive work has nothing to save, and one
        // with many conditions (compositions of kinked helpers: the benchmarks' Q16 has dozens) is left general, so the
        // search stays linear in the program's size.
        int cost = Cost(program);
        if (conditions.Count == 0 || cost == 0)
        {
            return null;
        }

        Split? best = null;
        int bestSaving = 0;
        foreach (var condition in conditions)
        {
            // The temporaries before the test run whichever way it goes: a specialised program costs those plus its own rest.
            int prefix = Prefix(program, condition);
            int shared = Cost(program.Temps.Where(t => t.Index < prefix).Select(t => t.Value));
            var none = Specialise(program, condition, holds: false);
            var all = Specialise(program, condition, holds: true);
            int savingNone = cost - shared - Rest(none, prefix), savingAll = cost - shared - Rest(all, prefix);
            int saving = Math.Max(0, savingNone) + Math.Max(0, savingAll);
            if (saving > bestSaving)
            {
                bestSaving = saving;
                best = new Split(prefix, condition, savingNone > 0 ? none : null, savingAll > 0 ? all : null);
            }
        }

        return best;
    }

    /// <summary>The most distinct conditions a program may have and still be split (see <see cref="Find"/>).</summary>
    public const int MaxConditions = 8;

    /// <summary>Whether two selects test the same condition (comparison, left and right alike).</summary>
    public static bool SameCondition(ConditionalExpr a, ConditionalExpr b) =>
        a.Comparison == b.Comparison && a.Left.Equals(b.Left) && a.Right.Equals(b.Right);

    /// <summary>
    /// <paramref name="program"/> with every select on <paramref name="condition"/> replaced by its side for
    /// <paramref name="holds"/>, and the temporaries no output needs any more dropped (the others keep their numbers).
    /// </summary>
    public static CseProgram Specialise(CseProgram program, ConditionalExpr condition, bool holds)
    {
        if (program is null)
        {
            throw new ArgumentNullException(nameof(program));
        }

        if (condition is null)
        {
            throw new ArgumentNullException(nameof(condition));
        }

        var memo = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        var temps = program.Temps.Select(t => new CseTemp(t.Index, Substitute(t.Value))).ToList();
        var outputs = program.Outputs.Select(Substitute).ToList();

        // Liveness from the outputs back through the temporaries (a temporary reads only smaller indices).
        var live = new HashSet<int>();
        foreach (var output in outputs)
        {
            MarkTemps(output, live);
        }

        for (int i = temps.Count - 1; i >= 0; i--)
        {
            if (live.Contains(temps[i].Index))
            {
                MarkTemps(temps[i].Value, live);
            }
        }

        return CseProgram.FromParts(temps.Where(t => live.Contains(t.Index)).ToList(), outputs);

        Expr Substitute(Expr e)
        {
            if (memo.TryGetValue(e, out var done))
            {
                return done;
            }

            Expr result;
            if (e is ConditionalExpr q && SameCondition(q, condition))
            {
                result = Substitute(holds ? q.WhenTrue : q.WhenFalse);
            }
            else if (e.Children.Count == 0)
            {
                result = e;
            }
            else
            {
                var children = new Expr[e.Children.Count];
                bool changed = false;
                for (int i = 0; i < children.Length; i++)
                {
                    children[i] = Substitute(e.Children[i]);
                    changed |= !ReferenceEquals(children[i], e.Children[i]);
                }

                // RebuildRaw: no simplification, so every operation left is the general program's.
                result = changed ? e.RebuildRaw(children) : e;
            }

            memo[e] = result;
            return result;
        }
    }

    /// <summary>Square roots, other calls, divisions and powers that are not products: the operations worth skipping.</summary>
    public static int Cost(CseProgram program)
    {
        if (program is null)
        {
            throw new ArgumentNullException(nameof(program));
        }

        return Cost(program.Temps.Select(t => t.Value).Concat(program.Outputs));
    }

    /// <summary>The cost of a specialised program's temporaries from <paramref name="prefix"/> on and of its outputs.</summary>
    private static int Rest(CseProgram program, int prefix) =>
        Cost(program.Temps.Where(t => t.Index >= prefix).Select(t => t.Value).Concat(program.Outputs));

    private static int Cost(IEnumerable<Expr> roots)
    {
        int n = 0;
        foreach (var root in roots)
        {
            var stack = new Stack<Expr>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (node.Kind is ExprKind.Function or ExprKind.Divide || (node.Kind == ExprKind.Power && PowerExpansion.SmallExponent(node) == 0))
                {
                    n++;
                }

                foreach (var child in node.Children)
                {
                    stack.Push(child);
                }
            }
        }

        return n;
    }

    /// <summary>One past the largest temporary the condition's sides read: the temporaries to compute before the test.</summary>
    private static int Prefix(CseProgram program, ConditionalExpr condition)
    {
        var read = new HashSet<int>();
        MarkTemps(condition.Left, read);
        MarkTemps(condition.Right, read);
        int last = read.Count == 0 ? -1 : read.Max();
        int prefix = 0;
        while (prefix < program.Temps.Count && program.Temps[prefix].Index <= last)
        {
            prefix++;
        }

        return prefix;
    }

    private static void MarkTemps(Expr e, HashSet<int> into)
    {
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is TempExpr t)
            {
                into.Add(t.Index);
            }

            foreach (var child in node.Children)
            {
                stack.Push(child);
            }
        }
    }
}
