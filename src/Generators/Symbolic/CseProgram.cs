using System;
using System.Collections.Generic;
using System.Linq;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Common-subexpression elimination over several outputs: all outputs are interned together (hash-consing) and uses
/// are counted across all of them; every non-leaf node used more than once becomes a temporary, nodes used once are
/// inlined into their single user, leaves never become temporaries. The base of a power printed as a product
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

        var interner = new ExprInterner();
        var roots = outputs.Select(interner.Intern).ToArray();
        var uses = new Dictionary<Expr, int>(ReferenceComparer.Instance);
        var counted = new HashSet<Expr>(ReferenceComparer.Instance);
        foreach (var root in roots)
        {
            AddUse(root, 1);
            CountUses(root);
        }

        var temps = new List<CseTemp>();
        var emitted = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        var results = roots.Select(Emit).ToArray();
        return new CseProgram(temps, results);

        void AddUse(Expr e, int n) => uses[e] = (uses.TryGetValue(e, out var u) ? u : 0) + n;

        void CountUses(Expr e)
        {
            if (!counted.Add(e))
            {
                return;
            }

            var power = PowerExpansion.SmallExponent(e);
            for (var i = 0; i < e.Children.Count; i++)
            {
                var child = e.Children[i];
                AddUse(child, power > 0 && i == 0 ? power : 1);
                CountUses(child);
            }
        }

        Expr Emit(Expr e)
        {
            if (e.Children.Count == 0)
            {
                return e;
            }

            if (emitted.TryGetValue(e, out var done))
            {
                return done;
            }

            var children = new Expr[e.Children.Count];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = Emit(e.Children[i]);
            }

            Expr value = e.RebuildRaw(children);
            if (uses[e] > 1)
            {
                var index = temps.Count;
                temps.Add(new CseTemp(index, value));
                value = Expr.Temp(index);
            }

            emitted[e] = value;
            return value;
        }
    }

    private static int CountOperations(Expr e)
    {
        var n = PowerExpansion.OwnOperations(e);
        foreach (var child in e.Children)
        {
            n += CountOperations(child);
        }

        return n;
    }
}
