using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// What a cached schedule keeps per (A point, B point) pair so that the gradient pass evaluates no transcendental
/// function of the pair channels again: the <em>cut</em> of a gradient. Its <see cref="Values"/> are the outermost
/// function calls (and non-polynomial powers) of the gradient that depend on a pair channel — tanh(b + w·x) for a tanh
/// unit; <see cref="Gradient"/> is the gradient with each of them read from a variable instead. The forward pass
/// computes the cut values next to the unit's value (they share its subexpressions: tanh is evaluated once per pair)
/// and keeps them where it would keep the pair channels; the gradient pass then needs only arithmetic.
/// </summary>
/// <remarks>
/// <para>A cut exists when at least one such call exists, there are at most as many as pair channels (the cache keeps
/// P values per pair, whatever it holds), and the gradient reads the pair channels through them only. Otherwise (a
/// ReLU unit: no call; softplus: softplus and its derivative, the logistic, two calls for one channel) the cache keeps
/// the pair channels.</para>
/// <para><b>Same bits.</b> The replacement rebuilds the gradient's nodes without re-simplifying
/// (<see cref="Expr.RebuildRaw"/>): every output is the same operation tree as before with one subtree read from a
/// variable, and the forward pass computes that subtree by the same tree, so the gradient from the cut is bit-identical
/// to the gradient from the pair channels.</para>
/// </remarks>
internal sealed class PairCut
{
    private PairCut(IReadOnlyList<Expr> values, IReadOnlyList<Expr> gradient)
    {
        Values = values;
        Gradient = gradient;
    }

    /// <summary>The kept values (over the operator's inputs), one per slot: value j takes pair channel j's place.</summary>
    public IReadOnlyList<Expr> Values { get; }

    /// <summary>The gradient with kept value j read from pair channel j's symbol (whose input slot holds it).</summary>
    public IReadOnlyList<Expr> Gradient { get; }

    /// <summary>The cut of <paramref name="gradient"/> (the expressions the generated code computes), or null.</summary>
    /// <param name="gradient">The gradient in input order, as the code computes it (after division reduction).</param>
    /// <param name="pairSymbols">The pair channels' symbols, in input order.</param>
    /// <returns>The cut, or null when none pays (see the remarks).</returns>
    public static PairCut? Find(IReadOnlyList<Expr> gradient, IReadOnlyList<string> pairSymbols)
    {
        if (pairSymbols.Count == 0)
        {
            return null;
        }

        var pairs = new HashSet<string>(pairSymbols);
        var dependsOnPair = new Dictionary<Expr, bool>(ReferenceComparer.Instance);
        foreach (var e in Dag.PostOrder(gradient))
        {
            dependsOnPair[e] = e is SymbolExpr s ? pairs.Contains(s.Name) : e.Children.Any(c => dependsOnPair[c]);
        }

        var values = new List<Expr>();
        var index = new Dictionary<Expr, int>();
        bool IsCut(Expr e) => dependsOnPair[e] && IsCostly(e);

        // First pass: the cut values in order of first use, each read from a placeholder; the gradient must not read a
        // pair channel any other way.
        var placeholders = Replace(gradient, IsCut, e =>
        {
            if (!index.TryGetValue(e, out int j))
            {
                j = values.Count;
                index[e] = j;
                values.Add(e);
            }

            return Expr.Symbol("\u0001cut" + j);
        });
        if (values.Count == 0 || values.Count > pairSymbols.Count || placeholders.Any(g => g.Symbols().Any(pairs.Contains)))
        {
            return null;
        }

        var cutGradient = Replace(gradient, IsCut, e => Expr.Symbol(pairSymbols[index[e]]));
        return new PairCut(values, cutGradient);
    }

    /// <summary>A function call (|x| excepted) or a power that is not printed as a product: worth keeping.</summary>
    private static bool IsCostly(Expr e) =>
        (e is FunctionExpr f && f.Function != MathFunction.Abs) || (e.Kind == ExprKind.Power && PowerExpansion.SmallExponent(e) == 0);

    /// <summary>
    /// Each output with the nodes where <paramref name="cut"/> holds replaced by <paramref name="replacement"/> (their
    /// insides are not entered), the other nodes rebuilt raw: no simplification, the same operations.
    /// </summary>
    private static Expr[] Replace(IReadOnlyList<Expr> outputs, System.Func<Expr, bool> cut, System.Func<Expr, Expr> replacement)
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

            foreach (var e in Dag.PostOrderExcept(root, n => memo.ContainsKey(n) || cut(n)))
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
