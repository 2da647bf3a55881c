using System.Collections.Generic;
using System.Globalization;
using System.Text;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Emit;

/// <summary>
/// The readable text of derived formulas, bounded whatever the model: a formula that would print longer than
/// <see cref="NameAbove"/> characters gets its shared subexpressions named <c>s₁, s₂, …</c>, each defined once on
/// its own line before its first use (names are shared across the formulas of one model); a formula or definition
/// still longer than <see cref="FormulaLimit"/> characters is replaced by a note saying it was elided and why.
/// Work is linear in the DAG size: lengths are estimated per distinct node before anything is printed.
/// Only the readable text is affected: the generated code always evaluates the exact expressions.
/// </summary>
internal sealed class ReadableFormulas
{
    /// <summary>Formulas longer than this get their shared subexpressions named.</summary>
    public const int NameAbove = 400;

    /// <summary>Formulas (and definitions) longer than this are elided.</summary>
    public const int FormulaLimit = 4_000;

    /// <summary>The upper estimate below which a formula is printed to measure it exactly.</summary>
    private const long PrintToMeasure = 5 * FormulaLimit;

    /// <summary>An upper bound of the characters one compound node adds besides its children (operator, parentheses).</summary>
    private const long CompoundOwnLength = 20;

    /// <summary>Shared subexpressions shorter than this are not worth a name.</summary>
    private const long MinNamedLength = 12;

    private readonly ExprInterner interner = new();
    private readonly DisplayForm.Normalizer normalizer = new();
    private readonly Dictionary<Expr, string> names = new(ReferenceComparer.Instance);
    private readonly List<KeyValuePair<string, string>> pending = new();

    /// <summary>Definitions <c>(s_k, formula)</c> created since the last call; the caller writes them before the formula.</summary>
    /// <returns>The new definitions, oldest first.</returns>
    public IReadOnlyList<KeyValuePair<string, string>> TakeDefinitions()
    {
        var taken = pending.ToArray();
        pending.Clear();
        return taken;
    }

    /// <summary>The readable (display-form) expression of <paramref name="value"/>, interned with this text's nodes.</summary>
    /// <param name="value">The exact expression.</param>
    /// <returns>The display form.</returns>
    public Expr Display(Expr value) => interner.Intern(normalizer.Normalize(value));

    /// <summary>The text of <paramref name="display"/> (from <see cref="Display"/>), naming shared parts or eliding as needed.</summary>
    /// <param name="display">The display form.</param>
    /// <returns>The text.</returns>
    public string Format(Expr display)
    {
        var plain = TryPrint(display, null, NameAbove);
        if (plain is not null)
        {
            return plain;
        }

        NameShared(display);
        return TryPrint(display, names, FormulaLimit) ?? ElisionNote("formula");
    }

    /// <summary>The note that replaces a formula over the limit.</summary>
    /// <param name="what">What was elided.</param>
    /// <returns>The note.</returns>
    public static string ElisionNote(string what) =>
        $"… ({what} elided: longer than {FormulaLimit.ToString("N0", CultureInfo.InvariantCulture)} characters even with shared subexpressions named; the generated code is exact)";

    /// <summary>The text when it has at most <paramref name="limit"/> characters, else null (printed only when the estimate allows).</summary>
    private static string? TryPrint(Expr e, IReadOnlyDictionary<Expr, string>? named, int limit)
    {
        var estimate = EstimateLength(e, named);
        if (estimate > PrintToMeasure)
        {
            return null;
        }

        var text = PrintOrNull(e, named);
        return text is not null && text.Length <= limit ? text : null;
    }

    /// <summary>
    /// The printed text, or null when the (recursive) printer ran low on stack: the readable text is then elided
    /// like an over-long formula, rather than failing the model — the generated code does not depend on it.
    /// </summary>
    private static string? PrintOrNull(Expr e, IReadOnlyDictionary<Expr, string>? named)
    {
        try
        {
            return FormulaPrinter.Print(e, named);
        }
        catch (ExpressionTooComplexException)
        {
            return null;
        }
    }

    /// <summary>An upper bound of the printed length, per distinct node (named nodes other than the root count as their name).</summary>
    private static long EstimateLength(Expr root, IReadOnlyDictionary<Expr, string>? named)
    {
        // A short formula (as every ordinary model's are) is summed as a tree within a budget, allocating nothing;
        // the sum is the same as the per-node one below, which takes over for anything larger or deeper.
        int budget = SmallEstimateBudget;
        long small = SmallEstimate(root, named, root, 0, ref budget);
        if (small >= 0)
        {
            return small;
        }

        var length = new Dictionary<Expr, long>(ReferenceComparer.Instance);
        foreach (var node in Dag.PostOrder(root))
        {
            length[node] = OwnLength(node, length, named, root);
        }

        return length[root];
    }

    /// <summary>The most nodes <see cref="SmallEstimate"/> visits before giving up.</summary>
    private const int SmallEstimateBudget = 256;

    /// <summary>The deepest <see cref="SmallEstimate"/> recurses before giving up.</summary>
    private const int SmallEstimateDepth = 64;

    /// <summary><see cref="OwnLength"/> summed over the tree below <paramref name="node"/> by a bounded recursion, or −1
    /// when it would visit more than the budget's nodes or levels.</summary>
    private static long SmallEstimate(Expr node, IReadOnlyDictionary<Expr, string>? named, Expr root, int depth, ref int budget)
    {
        if (--budget < 0 || depth > SmallEstimateDepth)
        {
            return -1;
        }

        if (named is not null && !ReferenceEquals(node, root) && named.TryGetValue(node, out var name))
        {
            return name.Length;
        }

        if (node.Children.Count == 0)
        {
            return LeafLength(node);
        }

        long total = CompoundOwnLength;
        foreach (var child in node.Children)
        {
            long inner = SmallEstimate(child, named, root, depth + 1, ref budget);
            if (inner < 0)
            {
                return -1;
            }

            total += inner;
        }

        return total;
    }

    /// <summary>The estimate of a leaf: its printed length plus 2 (a symbol's is its name: no printing).</summary>
    private static long LeafLength(Expr leaf) =>
        (leaf is SymbolExpr symbol ? symbol.Name.Length : FormulaPrinter.Print(leaf).Length) + 2;

    private static long OwnLength(Expr node, Dictionary<Expr, long> length, IReadOnlyDictionary<Expr, string>? named, Expr root)
    {
        if (named is not null && !ReferenceEquals(node, root) && named.TryGetValue(node, out var name))
        {
            return name.Length;
        }

        if (node.Children.Count == 0)
        {
            return LeafLength(node);
        }

        long total = CompoundOwnLength;
        foreach (var child in node.Children)
        {
            total += length[child];
            if (total > long.MaxValue / 4)
            {
                return long.MaxValue / 4;
            }
        }

        return total;
    }

    /// <summary>Names the compound subexpressions of <paramref name="root"/> used more than once in it (children first).</summary>
    private void NameShared(Expr root)
    {
        var order = Dag.PostOrder(root);
        var uses = new Dictionary<Expr, int>(ReferenceComparer.Instance);
        foreach (var node in order)
        {
            foreach (var child in node.Children)
            {
                uses[child] = (uses.TryGetValue(child, out var u) ? u : 0) + 1;
            }
        }

        var length = new Dictionary<Expr, long>(ReferenceComparer.Instance);
        foreach (var node in order)
        {
            var own = OwnLength(node, length, names, root);
            length[node] = own;
            if (ReferenceEquals(node, root) || names.ContainsKey(node) || node.Children.Count == 0
                || !uses.TryGetValue(node, out var n) || n < 2 || own < MinNamedLength)
            {
                continue;
            }

            var name = "s" + Subscript(names.Count + 1);
            // `own` is already this definition's length estimate (its named parts count as their names): no re-walk.
            string? definition = own > PrintToMeasure ? null : PrintOrNull(node, names);
            if (definition is null || definition.Length > FormulaLimit)
            {
                definition = ElisionNote("definition");
            }

            names[node] = name;
            length[node] = name.Length;
            pending.Add(new KeyValuePair<string, string>(name, definition));
        }
    }

    private static string Subscript(int k)
    {
        var digits = k.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(digits.Length);
        foreach (var c in digits)
        {
            sb.Append((char)('\u2080' + (c - '0')));
        }

        return sb.ToString();
    }
}
