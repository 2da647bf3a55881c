using System;

namespace MeanField.Generators.Symbolic;

/// <summary>A reference to CSE temporary <c>t{Index}</c>.</summary>
public sealed class TempExpr : Expr
{
    internal TempExpr(int index)
        : base(ExprKind.Temp, Array.Empty<Expr>(), index)
    {
        Index = index;
    }

    /// <inheritdoc/>
    public override ExprKind Kind => ExprKind.Temp;

    /// <summary>The temporary's number.</summary>
    public int Index { get; }

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) => Index == ((TempExpr)other).Index;

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => this;

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) => this;
}
