using System;

namespace MeanField.Generators.Symbolic;

/// <summary>A free variable, compared by name (ordinal).</summary>
public sealed class SymbolExpr : Expr
{
    internal SymbolExpr(string name)
        : base(ExprKind.Symbol, Array.Empty<Expr>(), StableHash.Of(name ?? throw new ArgumentNullException(nameof(name))))
    {
        Name = name;
    }

    /// <inheritdoc/>
    public override ExprKind Kind => ExprKind.Symbol;

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    private protected override bool PayloadEquals(Expr other) => string.Equals(Name, ((SymbolExpr)other).Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    internal override Expr Rebuild(Expr[] children) => this;

    /// <inheritdoc/>
    internal override Expr RebuildRaw(Expr[] children) => this;
}
