using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// The subexpressions of an interaction kernel's operators that depend on one particle's inputs only — θ's or θ′'s —
/// computed once per particle instead of once per pair: the model's <em>side values</em>. Both sides are particles of
/// the same measure, so a value found over θ′'s inputs is the same function of θ′ as its mirror (θ′'s inputs renamed to
/// θ's) is of θ: one list of functions of a particle's block (over θ's symbols), which the generated
/// <c>SideValues</c> operator computes per particle and the kernel operators read after the pair channels, θ's then θ′'s
/// (<c>InteractionLayout.SideValueCount</c>). The arc-cosine kernel's |w| and 1/|w| (after <see cref="SideFactoring"/>)
/// are the example: a square root and a division per pair before.
/// </summary>
/// <remarks>
/// <para>Hoisted are the outermost nodes over one side's inputs that hold a division, a function call or a general
/// power (<see cref="SideHoist.Hoistable"/>), in order of first use over the programs, at most
/// <see cref="Capacity"/> of them.</para>
/// <para><b>Same bits.</b> Each output is the same operation tree with the hoisted subtrees read from variables, and
/// <c>SideValues</c> computes each by the same tree (θ′'s by its mirror, the same operations on the same values).</para>
/// </remarks>
internal sealed class SideValues
{
    /// <summary>The most side values a model gets (each one an input of every kernel operator, twice).</summary>
    public const int Capacity = 8;

    private SideValues(IReadOnlyList<Expr> values, IReadOnlyList<string> symbolsA, IReadOnlyList<string> symbolsB, IReadOnlyList<IReadOnlyList<Expr>> outputs)
    {
        Values = values;
        SymbolsA = symbolsA;
        SymbolsB = symbolsB;
        Outputs = outputs;
    }

    /// <summary>The side values, over θ's inputs, in slot order.</summary>
    public IReadOnlyList<Expr> Values { get; }

    /// <summary>The symbols the outputs read θ's side values by, in slot order.</summary>
    public IReadOnlyList<string> SymbolsA { get; }

    /// <summary>The symbols the outputs read θ′'s side values by, in slot order.</summary>
    public IReadOnlyList<string> SymbolsB { get; }

    /// <summary>Each program's outputs with the hoisted nodes read from <see cref="SymbolsA"/> and <see cref="SymbolsB"/>.</summary>
    public IReadOnlyList<IReadOnlyList<Expr>> Outputs { get; }

    /// <summary>
    /// The one-sided subexpressions of <paramref name="programs"/> worth computing per particle; null when there are none.
    /// </summary>
    /// <param name="programs">The kernel's operators, each a list of outputs.</param>
    /// <param name="sideA">θ's input symbols, in block order.</param>
    /// <param name="sideB">θ′'s input symbols, in the same order (sideB[k] mirrors sideA[k]).</param>
    public static SideValues? Find(IReadOnlyList<IReadOnlyList<Expr>> programs, IReadOnlyList<string> sideA, IReadOnlyList<string> sideB)
    {
        var isA = SideHoist.Hoistable(programs, sideA);
        var isB = SideHoist.Hoistable(programs, sideB);
        var mirror = new Dictionary<string, string>();
        for (int k = 0; k < sideB.Count; k++)
        {
            mirror[sideB[k]] = sideA[k];
        }

        bool IsHoist(Expr e) => isA(e) || isB(e);
        Expr Key(Expr e) => isA(e) ? e : Dag.ReplaceRaw(new[] { e }, n => n is SymbolExpr s && mirror.ContainsKey(s.Name), n => Expr.Symbol(mirror[((SymbolExpr)n).Name]))[0];

        var found = SideHoist.Collect(programs, IsHoist, Key, Capacity);
        var values = found.Values;
        if (values.Count == 0)
        {
            return null;
        }

        var symbolsA = Enumerable.Range(0, values.Count).Select(j => "\u0001sideA" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var symbolsB = Enumerable.Range(0, values.Count).Select(j => "\u0001sideB" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var rewritten = found.Rewrite(programs, IsHoist, (e, j) => (isA(e) ? symbolsA : symbolsB)[j]);
        return new SideValues(values, symbolsA, symbolsB, rewritten);
    }
}
