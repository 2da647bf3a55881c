namespace MeanField.Generators.Symbolic;

/// <summary>
/// Which powers print as repeated products: <c>a^2 → a·a</c>, <c>a^3 → a·a·a</c>, <c>a^4 → a·a·a·a</c>
/// (equal to <c>Math.Pow</c> to rounding). <c>a^−1</c> and <c>a^0.5</c> are already rewritten to <c>1/a</c> and
/// <c>sqrt(a)</c> by the simplifier; every other power prints as a <c>SimdMath.Pow</c> call.
/// </summary>
internal static class PowerExpansion
{
    /// <summary>The small integer exponent (2, 3 or 4) of a power printed as a product, or 0.</summary>
    /// <param name="e">Any node.</param>
    /// <returns>2, 3, 4 or 0.</returns>
    public static int SmallExponent(Expr e)
    {
        if (e.Kind == ExprKind.Power && e.Children[1].IsConstant(out var c) && c is 2 or 3 or 4)
        {
            return (int)c;
        }

        return 0;
    }

    /// <summary>The operations one node performs as printed: a product power n−1 multiplications, otherwise 1 (leaves 0).</summary>
    /// <param name="e">Any node.</param>
    /// <returns>The count for this node alone.</returns>
    public static int OwnOperations(Expr e)
    {
        if (e.Kind is ExprKind.Constant or ExprKind.Symbol or ExprKind.Temp)
        {
            return 0;
        }

        var n = SmallExponent(e);
        return n > 0 ? n - 1 : 1;
    }
}
