namespace MeanField.Generators.Symbolic;

/// <summary>A call of a <see cref="MathFunction"/> with one argument.</summary>
public sealed class FunctionExpr : Expr
{
    internal FunctionExpr(MathFunction function, Expr argument)
        : base(ExprKind.Function, new[] { argument }, (int)function + 101)
    {
        Function = function;
    }

    /// <inheritdoc/>
    public override ExprKind Kind => ExprKind.Function;

    /// <summary>The function called.</summary>
    public MathFunction Function { get; }

    /// <summary>The argument.</summary>
    public Expr Argument => Children[0];

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) => Function == ((FunctionExpr)other).Function;

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => Call(Function, children[0]);

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) => new FunctionExpr(Function, children[0]);
}
