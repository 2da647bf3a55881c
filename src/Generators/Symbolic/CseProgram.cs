using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Common-subexpression elimination over several outputs: all outputs are interned together (hash-consing) and uses
/// are counted across all of them; every non-leaf node used more than once becomes a temporary, nodes used once are
/// inlined into their single user, leaves never become temporaries; a value nested more than
/// <see cref="MaxInlineDepth"/> operations deep is split into a temporary (so the C# compiler never reports CS8078). The base of a power printed as a product
/// (<c>a^2 → a·a</c>, see <see cref="PowerExpansion"/>) counts as used several times, so a compound base is computed once.
/// Temporaries are numbered t0, t1, … in dependency (post-)order, deterministically.
/// </summary>
public sealed class CseProgram
{
    private CseProgram(IReadOnlyList<CseTemp> temps, IReadOnlyList<Expr> outputs)
    {
        Temps = temps;
        Outputs = outputs;
        OperationCount = temps.Sum(t => CountOperations(t.Value)) + outputs.Sum(CountOperations);
    }

    /// <summary>A program from its parts (temporaries in dependency order, possibly with gaps in their numbers).</summary>
    /// <param name="temps">The temporaries.</param>
    /// <param name="outputs">The outputs.</param>
    /// <returns>The program.</returns>
    public static CseProgram FromParts(IReadOnlyList<CseTemp> temps, IReadOnlyList<Expr> outputs) => new(temps, outputs);

    /// <summary>The deepest expression a temporary or output may nest; deeper values are split into temporaries.</summary>
    public const int MaxInlineDepth = 32;

    /// <summary>The temporaries in dependency order; each value refers only to temporaries with a smaller index.</summary>
    public IReadOnlyList<CseTemp> Temps { get; }

    /// <summary>The outputs, in the order given, over symbols, constants and temporaries.</summary>
    public IReadOnlyList<Expr> Outputs { get; }

    /// <summary>
    /// Arithmetic operations + function calls + selects performed: each node of the temporaries' values and of the
    /// outputs counts once (a binary op once, a conditional once, a power printed as n factors n−1).
    /// </summary>
    public int OperationCount { get; }

    /// <summary>Builds the program.</summary>
    /// <param name="outputs">The expressions to compute (must not contain temporaries).</param>
    /// <returns>The program.</returns>
    public static CseProgram Build(IReadOnlyList<Expr> outputs)
    {
        if (outputs is null)
        {
            throw new ArgumentNullException(nameof(outputs));
        }

        var (roots, order) = Dag.Interned(outputs);
        var uses = new Dictionary<Expr, int>(ReferenceComparer.Instance);
        foreach (var root in roots)
        {
            AddUse(root, 1);
        }

        foreach (var e in order)
        {
            var power = PowerExpansion.SmallExponent(e);
            for (var i = 0; i < e.Children.Count; i++)
            {
                AddUse(e.Children[i], power > 0 && i == 0 ? power : 1);
            }
        }

        // Post-order: children are emitted before parents, so temporaries come in dependency order. A value nested
        // deeper than MaxInlineDepth is cut into a temporary too, so no generated expression is too deep for the
        // C# compiler (CS8078).
        var temps = new List<CseTemp>();
        // Each node's emitted value and height in one memo (one lookup per child).
        var emitted = new Dictionary<Expr, (Expr Value, int Height)>(ReferenceComparer.Instance);
        foreach (var e in order)
        {
            if (e.Children.Count == 0)
            {
                emitted[e] = (e, 0);
                continue;
            }

            var children = new Expr[e.Children.Count];
            var h = 0;
            for (var i = 0; i < children.Length; i++)
            {
                var child = emitted[e.Children[i]];
                children[i] = child.Value;
                h = Math.Max(h, child.Height);
            }

            Expr value = e.RebuildRaw(children);
            h++;
            if (uses[e] > 1 || h >= MaxInlineDepth)
            {
                var index = temps.Count;
                temps.Add(new CseTemp(index, value));
                value = Expr.Temp(index);
                h = 0;
            }

            emitted[e] = (value, h);
        }

        var results = roots.Select(r => emitted[r].Value).ToArray();
        return new CseProgram(temps, results);

        void AddUse(Expr e, int n) => uses[e] = (uses.TryGetValue(e, out var u) ? u : 0) + n;
    }

    /// <summary>
    /// The program the generated code runs: <see cref="Build"/> after <see cref="TermCancellation.Apply"/> (terms of a sum
    /// that cancel exactly are removed) and <see cref="DivisionReduction.Apply"/> (divisions by constants and by shared
    /// divisors become multiplications), within the rounding stated there.
    /// </summary>
    /// <param name="outputs">The expressions to compute (must not contain temporaries).</param>
    /// <returns>The program.</returns>
    public static CseProgram BuildForCode(IReadOnlyList<Expr> outputs) => Build(DivisionReduction.Apply(TermCancellation.Apply(outputs)));

    private static int CountOperations(Expr e)
    {
        // Values are trees after CSE (a node used twice is a temporary), so a plain walk counts each node once.
        var n = 0;
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            n += PowerExpansion.OwnOperations(node);
            foreach (var child in node.Children)
            {
                stack.Push(child);
            }
        }

        return n;
    }
}
