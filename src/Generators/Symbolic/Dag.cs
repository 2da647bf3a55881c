using System;
using System.Collections.Generic;

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
}
