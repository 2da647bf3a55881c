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

        if (visited.TryGetValue(e, out var done))
        {
            return done;
        }

        Expr candidate = e;
        if (e.Children.Count > 0)
        {
            var children = new Expr[e.Children.Count];
            var changed = false;
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = Intern(e.Children[i]);
                changed |= !ReferenceEquals(children[i], e.Children[i]);
            }

            if (changed)
            {
                candidate = e.RebuildRaw(children);
            }
        }

        if (!canonical.TryGetValue(candidate, out var result))
        {
            result = candidate;
            canonical.Add(candidate, candidate);
        }

        visited[e] = result;
        return result;
    }
}
