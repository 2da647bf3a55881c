using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>Iterative traversals of expression DAGs: no recursion, so depth never threatens the stack.</summary>
internal static class Dag
{
    /// <summary>
    /// The distinct nodes (by reference) reachable from <paramref name="roots"/>, children before parents
    /// (post-order, left to right, first occurrence).
    /// </summary>
    /// <param name="roots">The roots.</param>
    /// <returns>The nodes in post-order.</returns>
    public static List<Expr> PostOrder(IEnumerable<Expr> roots)
    {
        var order = new List<Expr>();
        var seen = new HashSet<Expr>(ReferenceComparer.Instance);
        var stack = new Stack<(Expr Node, int Next)>();
        foreach (var root in roots)
        {
            if (!seen.Add(root))
            {
                continue;
            }

            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Children.Count)
                {
                    stack.Push((node, next + 1));
                    var child = node.Children[next];
                    if (seen.Add(child))
                    {
                        stack.Push((child, 0));
                    }
                }
                else
                {
                    order.Add(node);
                }
            }
        }

        return order;
    }

    /// <summary>
    /// <see cref="PostOrder(Expr)"/> without the nodes for which <paramref name="done"/> holds, whose descendants
    /// must all be done too (a memo filled in post-order): they are not entered, so a pass that meets a DAG again
    /// walks only its new part. The other nodes come in the same order.
    /// </summary>
    /// <param name="root">The root.</param>
    /// <param name="done">Whether a node was processed before (with all its descendants).</param>
    /// <returns>The nodes not done, in post-order.</returns>
    public static List<Expr> PostOrderExcept(Expr root, Func<Expr, bool> done)
    {
        var order = new List<Expr>();
        if (done(root))
        {
            return order;
        }

        var seen = new HashSet<Expr>(ReferenceComparer.Instance) { root };
        var stack = new Stack<(Expr Node, int Next)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Children.Count)
            {
                stack.Push((node, next + 1));
                var child = node.Children[next];
                if (!done(child) && seen.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(node);
            }
        }

        return order;
    }

    /// <summary>The post-order of one root.</summary>
    /// <param name="root">The root.</param>
    /// <returns>The nodes in post-order.</returns>
    public static List<Expr> PostOrder(Expr root) => PostOrder(new[] { root });

    /// <summary>
    /// <paramref name="outputs"/> interned (equal subtrees made one node, <see cref="ExprInterner"/>) and their nodes in
    /// post-order: where every pass over an operator's outputs starts.
    /// </summary>
    /// <param name="outputs">The outputs (not null: the passes check their own argument).</param>
    /// <returns>The interned roots, in order, and their distinct nodes, children before parents.</returns>
    public static (Expr[] Roots, List<Expr> Order) Interned(IReadOnlyList<Expr> outputs)
    {
        var interner = new ExprInterner();
        var roots = outputs.Select(interner.Intern).ToArray();
        return (roots, PostOrder(roots));
    }

    /// <summary>
    /// Each output with the nodes where <paramref name="cut"/> holds replaced by <paramref name="replacement"/> (their
    /// insides are not entered), the other nodes rebuilt raw: no simplification, the same operations.
    /// </summary>
    public static Expr[] ReplaceRaw(IReadOnlyList<Expr> outputs, Func<Expr, bool> cut, Func<Expr, Expr> replacement)
    {
        var memo = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        var result = new Expr[outputs.Count];
        for (int k = 0; k < outputs.Count; k++)
        {
            var root = outputs[k];
            if (cut(root))
            {
                result[k] = replacement(root);
                continue;
            }

            foreach (var e in PostOrderExcept(root, n => memo.ContainsKey(n) || cut(n)))
            {
                if (e.Children.Count == 0)
                {
                    memo[e] = e;
                    continue;
                }

                var children = new Expr[e.Children.Count];
                bool changed = false;
                for (int i = 0; i < children.Length; i++)
                {
                    var child = e.Children[i];
                    children[i] = cut(child) ? replacement(child) : memo[child];
                    changed |= !ReferenceEquals(children[i], child);
                }

                memo[e] = changed ? e.RebuildRaw(children) : e;
            }

            result[k] = memo[root];
        }

        return result;
    }

    /// <summary>
    /// The top-level terms of a sum (through +, − and unary −), left to right, each with its sign; any other
    /// expression is its own single term.
    /// </summary>
    /// <param name="e">The sum.</param>
    /// <returns>The terms and whether each is subtracted.</returns>
    public static List<(Expr Term, bool Negative)> SumTerms(Expr e)
    {
        var terms = new List<(Expr Term, bool Negative)>();
        var stack = new Stack<(Expr Node, bool Negative)>();
        stack.Push((e, false));
        while (stack.Count > 0)
        {
            var (node, negative) = stack.Pop();
            switch (node.Kind)
            {
                case ExprKind.Add:
                    stack.Push((node.Children[1], negative));
                    stack.Push((node.Children[0], negative));
                    break;
                case ExprKind.Subtract:
                    stack.Push((node.Children[1], !negative));
                    stack.Push((node.Children[0], negative));
                    break;
                case ExprKind.Negate:
                    stack.Push((node.Children[0], !negative));
                    break;
                default:
                    terms.Add((node, negative));
                    break;
            }
        }

        return terms;
    }

    /// <summary>
    /// A bottom-up rewrite of the DAG of <paramref name="roots"/> (interned, <paramref name="order"/> their post-order):
    /// each node is given its children's rewrites (and whether they are all the old children) and returns its own.
    /// Leaves are kept. Null when no node changed, so a caller can return its outputs as they were.
    /// </summary>
    /// <param name="roots">The interned roots.</param>
    /// <param name="order">Their nodes in post-order (<see cref="PostOrder(IEnumerable{Expr})"/>).</param>
    /// <param name="rewrite">(node, rewritten children, whether they are the node's own) → the node's rewrite.</param>
    /// <returns>The rewritten roots, or null.</returns>
    public static Expr[]? RewriteBottomUp(IReadOnlyList<Expr> roots, IReadOnlyList<Expr> order, Func<Expr, Expr[], bool, Expr> rewrite)
    {
        var rebuilt = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        var changed = false;
        foreach (var e in order)
        {
            if (e.Children.Count == 0)
            {
                rebuilt[e] = e;
                continue;
            }

            var children = new Expr[e.Children.Count];
            var same = true;
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = rebuilt[e.Children[i]];
                same &= ReferenceEquals(children[i], e.Children[i]);
            }

            var value = rewrite(e, children, same);
            changed |= !ReferenceEquals(value, e);
            rebuilt[e] = value;
        }

        if (!changed)
        {
            return null;
        }

        var result = new Expr[roots.Count];
        for (var k = 0; k < result.Length; k++)
        {
            result[k] = rebuilt[roots[k]];
        }

        return result;
    }
}
