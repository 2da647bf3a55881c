namespace MeanField.Generators.Symbolic;

/// <summary><c>(Left OP Right) ? WhenTrue : WhenFalse</c>; children are Left, Right, WhenTrue, WhenFalse.</summary>
public sealed class ConditionalExpr : Expr
{
    internal ConditionalExpr(Comparison comparison, Expr left, Expr right, Expr whenTrue, Expr whenFalse)
        : base(ExprKind.Conditional, new[] { left, right, whenTrue, whenFalse }, (int)comparison + 211)
    {
        Comparison = comparison;
    }

    /// <inheritdoc/>
    public override ExprKind Kind => ExprKind.Conditional;

    /// <summary>The comparison OP.</summary>
    public Comparison Comparison { get; }

    /// <summary>The left side of the comparison.</summary>
    public Expr Left => Children[0];

    /// <summary>The right side of the comparison.</summary>
    public Expr Right => Children[1];

    /// <summary>The value when the comparison holds.</summary>
    public Expr WhenTrue => Children[2];

    /// <summary>The value when it does not (also when a side is NaN).</summary>
    public Expr WhenFalse => Children[3];

    /// <summary>Whether <c>left OP right</c> holds, with C# semantics (false when either is NaN).</summary>
    /// <param name="comparison">The comparison.</param>
    /// <param name="left">Left value.</param>
    /// <param name="right">Right value.</param>
    /// <returns>The outcome.</returns>
    public static bool Holds(Comparison comparison, double left, double right) => comparison switch
    {
        Comparison.Less => left < right,
        Comparison.LessOrEqual => left <= right,
        Comparison.Greater => left > right,
        _ => left >= right,
    };

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) => Comparison == ((ConditionalExpr)other).Comparison;

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => Conditional(Comparison, children[0], children[1], children[2], children[3]);

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) =>
        new ConditionalExpr(Comparison, children[0], children[1], children[2], children[3]);
}
