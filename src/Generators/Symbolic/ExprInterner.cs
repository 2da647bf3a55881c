using System;
using System.Collections.Generic;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Hash-consing: returns one canonical instance per structurally-equal subtree, with children interned too, so that
/// equal subtrees become the same reference. Node shapes are kept exactly (no re-simplification). Not thread-safe.
/// </summary>
public sealed class ExprInterner
{
    private readonly Dictionary<Expr, Expr> canonical = new();
    private readonly Dictionary<Expr, Expr> visited = new(ReferenceComparer.Instance);
    private readonly Stack<(Expr Node, int Next)> pending = new();

    /// <summary>The number of distinct nodes interned so far.</summary>
    public int Count => canonical.Count;

    /// <summary>The canonical instance of <paramref name="e"/> (structurally equal, children canonical).</summary>
    /// <param name="e">The expression.</param>
    /// <returns>The canonical instance.</returns>
    public Expr Intern(Expr e)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        if (visited.TryGetValue(e, out var known))
        {
            return known;
        }

        // Post-order (iterative, any depth): every child is interned before its parent. Nodes interned by an earlier
        // call are not entered again (all their descendants are interned too), so interning several outputs that share
        // most of their DAG, one by one, walks each node once; the new nodes come in the order of Dag.PostOrder.
        var stack = pending;
        stack.Clear();
        stack.Push((e, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Children.Count)
            {
                stack.Push((node, next + 1));
                var child = node.Children[next];
                if (!visited.ContainsKey(child))
                {
                    stack.Push((child, 0));
                }

                continue;
            }

            Expr candidate = node;
            if (node.Children.Count > 0)
            {
                // The children array only when a child changed (most nodes of an interned DAG keep theirs).
                Expr[]? children = null;
                for (var i = 0; i < node.Children.Count; i++)
                {
                    var child = visited[node.Children[i]];
                    if (children is null && !ReferenceEquals(child, node.Children[i]))
                    {
                        children = new Expr[node.Children.Count];
                        for (var j = 0; j < i; j++)
                        {
                            children[j] = node.Children[j];
                        }
                    }

                    if (children is not null)
                    {
                        children[i] = child;
                    }
                }

                if (children is not null)
                {
                    candidate = node.RebuildRaw(children);
                }
            }

            if (!canonical.TryGetValue(candidate, out var result))
            {
                result = candidate;
                canonical.Add(candidate, candidate);
            }

            visited[node] = result;
        }

        return visited[e];
    }
}
