using System;

namespace MeanField.Generators.Symbolic;

/// <summary>A numeric constant; equal to another constant when the bit patterns are equal.</summary>
public sealed class ConstantExpr : Expr
{
    internal ConstantExpr(double value)
        : base(ExprKind.Constant, Array.Empty<Expr>(), StableHash.Of(value))
    {
        Value = value;
    }

    /// <inheritdoc/>
    public override ExprKind Kind => ExprKind.Constant;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) =>
        BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(((ConstantExpr)other).Value);

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => this;

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) => this;
}
