using System;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// An arithmetic node without extra data: <see cref="ExprKind.Add"/>, <see cref="ExprKind.Subtract"/>,
/// <see cref="ExprKind.Multiply"/>, <see cref="ExprKind.Divide"/>, <see cref="ExprKind.Power"/>, <see cref="ExprKind.Max"/>,
/// <see cref="ExprKind.Min"/> (two children) or <see cref="ExprKind.Negate"/> (one child).
/// </summary>
public sealed class OperationExpr : Expr
{
    private readonly ExprKind kind;

    internal OperationExpr(ExprKind kind, params Expr[] children)
        : base(kind, children, 0)
    {
        this.kind = kind;
        var expected = kind == ExprKind.Negate ? 1 : 2;
        if (children.Length != expected || kind is ExprKind.Constant or ExprKind.Symbol or ExprKind.Temp or ExprKind.Function
            or ExprKind.Conditional)
        {
            throw new ArgumentException($"Bad operation {kind} with {children.Length} operands.", nameof(children));
        }
    }

    /// <inheritdoc/>
    public override ExprKind Kind => kind;

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) => true;

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => kind switch
    {
        ExprKind.Add => Add(children[0], children[1]),
        ExprKind.Subtract => Subtract(children[0], children[1]),
        ExprKind.Multiply => Multiply(children[0], children[1]),
        ExprKind.Divide => Divide(children[0], children[1]),
        ExprKind.Negate => Negate(children[0]),
        ExprKind.Power => Pow(children[0], children[1]),
        ExprKind.Max => Max(children[0], children[1]),
        _ => Min(children[0], children[1]),
    };

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) => new OperationExpr(kind, children);
}
