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
/// <para>The kept values are the pair-dependent nodes met first on the way down from the outputs that are either costly
/// or free of costly pair-dependent nodes: the costly calls, and, where the gradient also reads the pair channels
/// outside them, the arithmetic that does (the Gaussian bump's ∂φ/∂s reads |w − x|²/(2s²) beside its exp). Every path
/// from an output to a pair channel then passes through a kept value, so the gradient from them reads no pair channel.
/// A cut exists when at least one costly call is kept (a ReLU unit has none: its gradient is cheap from the channel),
/// and K ≤ P + C kept values for P pair channels and C costly calls among them: each plane the cache holds beyond the
/// pair channels saves at least one function call per pair in the gradient pass (softplus: softplus and its derivative,
/// the logistic, K = 2 for P = 1, two calls saved). Kept value j is read from input slot P₀ + j (P₀ the first pair
/// channel's slot): pair channel j's slot for j &lt; P, the slots after the inputs (<see cref="ExtraSymbols"/>) beyond,
/// at most <see cref="InputCapacity"/> slots in all.</para>
/// <para><b>Same bits.</b> The replacement rebuilds the gradient's nodes without re-simplifying
/// (<see cref="Expr.RebuildRaw"/>): every output is the same operation tree as before with one subtree read from a
/// variable, and the forward pass computes that subtree by the same tree, so the gradient from the cut is bit-identical
/// to the gradient from the pair channels.</para>
/// </remarks>
internal sealed class PairCut
{
    /// <summary>The most input slots a cut may read: the first 8 of the runtime's <c>InputBlock</c> fields (it has 16, for
    /// the interaction kernels' inputs with their side values; the networks' rule stayed at 8).</summary>
    public const int InputCapacity = 8;

    private PairCut(IReadOnlyList<Expr> values, IReadOnlyList<Expr> gradient, IReadOnlyList<string> extraSymbols)
    {
        Values = values;
        Gradient = gradient;
        ExtraSymbols = extraSymbols;
    }

    /// <summary>The kept values (over the operator's inputs), one per slot: value j takes pair channel j's place, or
    /// for j ≥ P the slot of <see cref="ExtraSymbols"/>[j − P].</summary>
    public IReadOnlyList<Expr> Values { get; }

    /// <summary>The gradient with kept value j read from pair channel j's symbol (whose input slot holds it), or from
    /// <see cref="ExtraSymbols"/>[j − P] for j ≥ P.</summary>
    public IReadOnlyList<Expr> Gradient { get; }

    /// <summary>The symbols of the kept values beyond the pair channels (K − P of them, none when K ≤ P), read from the
    /// input slots after the operator's inputs, in order.</summary>
    public IReadOnlyList<string> ExtraSymbols { get; }

    /// <summary>The symbol of the extra kept value in slot <paramref name="slot"/> (after the inputs).</summary>
    public static string ExtraSymbol(int slot) => "\u0001kept" + slot.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The cut of <paramref name="gradient"/> (the expressions the generated code computes), or null.</summary>
    /// <param name="gradient">The gradient in input order, as the code computes it (after division reduction).</param>
    /// <param name="pairSymbols">The pair channels' symbols, in input order (the last inputs).</param>
    /// <param name="inputCount">The operator's inputs (pair channels included): the extra kept values' slots follow them.</param>
    /// <returns>The cut, or null when none pays (see the remarks).</returns>
    public static PairCut? Find(IReadOnlyList<Expr> gradient, IReadOnlyList<string> pairSymbols, int inputCount)
    {
        if (pairSymbols.Count == 0)
        {
            return null;
        }

        var pairs = new HashSet<string>(pairSymbols);
        var dependsOnPair = new Dictionary<Expr, bool>(ReferenceComparer.Instance);
        var costlyInside = new Dictionary<Expr, bool>(ReferenceComparer.Instance); // a costly pair-dependent node at or below
        foreach (var e in Dag.PostOrder(gradient))
        {
            bool depends = e is SymbolExpr s ? pairs.Contains(s.Name) : e.Children.Any(c => dependsOnPair[c]);
            dependsOnPair[e] = depends;
            costlyInside[e] = depends && (IsCostly(e) || e.Children.Any(c => costlyInside[c]));
        }

        var values = new List<Expr>();
        var index = new Dictionary<Expr, int>();
        int costly = 0;
        bool IsCut(Expr e) => dependsOnPair[e] && (IsCostly(e) || !costlyInside[e]);

        // The kept values in order of first use: every path from an output to a pair channel meets one.
        Dag.ReplaceRaw(gradient, IsCut, e =>
        {
            if (!index.ContainsKey(e))
            {
                index[e] = values.Count;
                values.Add(e);
                costly += IsCostly(e) ? 1 : 0;
            }

            return e;
        });

        int extra = values.Count - pairSymbols.Count;
        if (costly == 0 || extra > costly || inputCount + System.Math.Max(extra, 0) > InputCapacity)
        {
            return null;
        }

        var extraSymbols = Enumerable.Range(0, System.Math.Max(extra, 0)).Select(j => ExtraSymbol(inputCount + j)).ToArray();
        string SlotSymbol(int j) => j < pairSymbols.Count ? pairSymbols[j] : extraSymbols[j - pairSymbols.Count];
        var cutGradient = Dag.ReplaceRaw(gradient, IsCut, e => Expr.Symbol(SlotSymbol(index[e])));
        return new PairCut(values, cutGradient, extraSymbols);
    }

    /// <summary>A function call (|x| excepted) or a power that is not printed as a product: worth keeping.</summary>
    internal static bool IsCostly(Expr e) =>
        (e is FunctionExpr f && f.Function != MathFunction.Abs) || (e.Kind == ExprKind.Power && PowerExpansion.SmallExponent(e) == 0);
}
