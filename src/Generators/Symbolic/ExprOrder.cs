using System;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// The canonical total order of operands of commutative operations, consistent with structural equality
/// (compare = 0 exactly when equal). Products and max/min: constants, then symbols (ordinal), then temps, then
/// compound nodes (by kind, payload, then children). Sums put compound terms first and constants last (<c>w·x + b</c>, <c>x + 1</c>).
/// </summary>
internal static class ExprOrder
{
    /// <summary>The order for products, max and min.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>Negative, zero or positive.</returns>
    public static int Compare(Expr a, Expr b)
    {
        // Lexicographic: the first differing child decides, so the comparison descends one path of the trees
        // (iteratively, whatever the depth); equal children are skipped with the DAG-linear structural equality.
        while (true)
        {
            if (ReferenceEquals(a, b))
            {
                return 0;
            }

            var byRank = Rank(a).CompareTo(Rank(b));
            if (byRank != 0)
            {
                return byRank;
            }

            switch (a)
            {
                case ConstantExpr ca:
                    var cb = ((ConstantExpr)b).Value;
                    var byValue = ca.Value.CompareTo(cb);
                    return byValue != 0 ? byValue : BitConverter.DoubleToInt64Bits(ca.Value).CompareTo(BitConverter.DoubleToInt64Bits(cb));
                case SymbolExpr sa:
                    return string.CompareOrdinal(sa.Name, ((SymbolExpr)b).Name);
                case TempExpr ta:
                    return ta.Index.CompareTo(((TempExpr)b).Index);
            }

            var byKind = ((int)a.Kind).CompareTo((int)b.Kind);
            if (byKind != 0)
            {
                return byKind;
            }

            var byPayload = Payload(a).CompareTo(Payload(b));
            if (byPayload != 0)
            {
                return byPayload;
            }

            var byCount = a.Children.Count.CompareTo(b.Children.Count);
            if (byCount != 0)
            {
                return byCount;
            }

            var differing = -1;
            for (var i = 0; i < a.Children.Count; i++)
            {
                if (!a.Children[i].Equals(b.Children[i]))
                {
                    differing = i;
                    break;
                }
            }

            if (differing < 0)
            {
                return 0;
            }

            a = a.Children[differing];
            b = b.Children[differing];
        }
    }

    /// <summary>The order for the terms of a sum: compound terms, then symbols, temps, constants.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>Negative, zero or positive.</returns>
    public static int CompareTerms(Expr a, Expr b)
    {
        var byRank = Rank(b).CompareTo(Rank(a));
        return byRank != 0 ? byRank : Compare(a, b);
    }

    private static int Rank(Expr e) => e.Kind switch
    {
        ExprKind.Constant => 0,
        ExprKind.Symbol => 1,
        ExprKind.Temp => 2,
        _ => 3,
    };

    private static int Payload(Expr e) => e switch
    {
        FunctionExpr f => (int)f.Function,
        ConditionalExpr c => (int)c.Comparison,
        _ => 0,
    };
}
