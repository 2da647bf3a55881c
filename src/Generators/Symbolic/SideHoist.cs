using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// The subexpressions of a pair operator that depend on one side's inputs only (a particle's parameters and channels):
/// computed once per group of particles instead of once per pair. The engine's strips hold a group's side-A inputs
/// fixed while the rows (samples) pass, but the JIT does not hoist vector arithmetic out of those loops (on x64 Unix no
/// vector register survives a call, which its hoisting heuristic counts against), so the generator does: a
/// <c>PrepareA</c> operator writes the hoisted values into the input block's free slots, and the block operators read
/// them there — the Gaussian bump's 1/(2s²), a division per pair before.
/// </summary>
/// <remarks>
/// <para>Hoisted are the outermost nodes over the side's symbols only that hold a division, a function call or a
/// power not printed as a product (a product of two parameters is cheaper to recompute than to keep a slot for),
/// in order of first use over the programs, as many as fit the free slots.</para>
/// <para><b>Same bits.</b> As <see cref="PairCut"/>: each output is the same operation tree with hoisted subtrees
/// read from variables, and <c>PrepareA</c> computes those subtrees by the same trees.</para>
/// </remarks>
internal sealed class SideHoist
{
    private SideHoist(IReadOnlyList<Expr> values, IReadOnlyList<string> symbols, IReadOnlyList<IReadOnlyList<Expr>> outputs)
    {
        Values = values;
        Symbols = symbols;
        Outputs = outputs;
    }

    /// <summary>The hoisted values, over the side's inputs, in slot order.</summary>
    public IReadOnlyList<Expr> Values { get; }

    /// <summary>The symbols the outputs read them by, in slot order.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>Each program's outputs with the hoisted nodes read from <see cref="Symbols"/>.</summary>
    public IReadOnlyList<IReadOnlyList<Expr>> Outputs { get; }

    /// <summary>The symbol of the hoisted value in input slot <paramref name="slot"/>.</summary>
    public static string SlotSymbol(int slot) => "\u0001side" + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The side-only subexpressions of <paramref name="programs"/> (each a list of outputs) worth hoisting, into slots
    /// <paramref name="firstSlot"/> … <paramref name="capacity"/> − 1; null when there are none (or no free slot).
    /// </summary>
    public static SideHoist? Find(IReadOnlyList<IReadOnlyList<Expr>> programs, IReadOnlyCollection<string> side, int firstSlot, int capacity)
    {
        int free = capacity - firstSlot;
        if (free <= 0)
        {
            return null;
        }

        var isHoist = Hoistable(programs, side);
        var found = Collect(programs, isHoist, e => e, free);
        if (found.Values.Count == 0)
        {
            return null;
        }

        var symbols = Enumerable.Range(0, found.Values.Count).Select(j => SlotSymbol(firstSlot + j)).ToArray();
        var rewritten = found.Rewrite(programs, isHoist, (_, j) => symbols[j]);
        return new SideHoist(found.Values, symbols, rewritten);
    }

    /// <summary>
    /// The values behind the outermost nodes of <paramref name="programs"/> where <paramref name="isHoist"/> holds, in
    /// order of first use, each node's value being <paramref name="key"/> of it (the node itself, or the mirror of a
    /// θ′ node, <see cref="SideValues"/>), at most <paramref name="capacity"/> of them.
    /// </summary>
    internal static Found Collect(IReadOnlyList<IReadOnlyList<Expr>> programs, System.Func<Expr, bool> isHoist, System.Func<Expr, Expr> key, int capacity)
    {
        var found = new Found();
        foreach (var outputs in programs)
        {
            Dag.ReplaceRaw(outputs, isHoist, e =>
            {
                if (!found.Keys.TryGetValue(e, out var k))
                {
                    found.Keys[e] = k = key(e);
                }

                if (!found.Index.ContainsKey(k) && found.Values.Count < capacity)
                {
                    found.Index[k] = found.Values.Count;
                    found.Values.Add(k);
                }

                return e;
            });
        }

        return found;
    }

    /// <summary>What <see cref="Collect"/> found: the values in slot order, each value's slot, each hoisted node's value.</summary>
    internal sealed class Found
    {
        public List<Expr> Values { get; } = new();

        public Dictionary<Expr, int> Index { get; } = new();

        public Dictionary<Expr, Expr> Keys { get; } = new(ReferenceComparer.Instance);

        /// <summary>
        /// Each program with its hoisted nodes read from <paramref name="symbol"/>(node, slot). A hoistable node inside
        /// one left out (past the capacity) was not met by <see cref="Collect"/>'s walk: it stays too.
        /// </summary>
        public IReadOnlyList<Expr>[] Rewrite(IReadOnlyList<IReadOnlyList<Expr>> programs, System.Func<Expr, bool> isHoist, System.Func<Expr, int, string> symbol)
        {
            bool Hoisted(Expr e) => isHoist(e) && Keys.TryGetValue(e, out var k) && Index.ContainsKey(k);
            return programs
                .Select(outputs => (IReadOnlyList<Expr>)Dag.ReplaceRaw(outputs, Hoisted, e => Expr.Symbol(symbol(e, Index[Keys[e]]))))
                .ToArray();
        }
    }

    /// <summary>
    /// Whether a node of <paramref name="programs"/> is worth computing once per point of <paramref name="side"/>: it
    /// reads that side's inputs and no other, and holds a division, a function call or a general power (the rule of
    /// the type's remarks). Its argument must be a node of the programs.
    /// </summary>
    internal static System.Func<Expr, bool> Hoistable(IReadOnlyList<IReadOnlyList<Expr>> programs, IReadOnlyCollection<string> side)
    {
        var sideSet = new HashSet<string>(side);
        var readsSide = new Dictionary<Expr, bool>(ReferenceComparer.Instance);
        var readsOther = new Dictionary<Expr, bool>(ReferenceComparer.Instance); // a sample or pair input below
        var costly = new Dictionary<Expr, bool>(ReferenceComparer.Instance);
        foreach (var e in Dag.PostOrder(programs.SelectMany(p => p)))
        {
            readsSide[e] = e is SymbolExpr s ? sideSet.Contains(s.Name) : e.Children.Any(c => readsSide[c]);
            readsOther[e] = e is SymbolExpr o ? !sideSet.Contains(o.Name) : e.Children.Any(c => readsOther[c]);
            costly[e] = e.Kind == ExprKind.Divide || PairCut.IsCostly(e) || e.Children.Any(c => costly[c]);
        }

        return e => e is not SymbolExpr && readsSide[e] && !readsOther[e] && costly[e];
    }
}
