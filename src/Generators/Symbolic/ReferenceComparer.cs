using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MeanField.Generators.Symbolic;

/// <summary>Reference identity for memo tables over expression DAGs (netstandard2.0 lacks ReferenceEqualityComparer).</summary>
internal sealed class ReferenceComparer : IEqualityComparer<Expr>
{
    /// <summary>The instance.</summary>
    public static readonly ReferenceComparer Instance = new();

    private ReferenceComparer()
    {
    }

    /// <inheritdoc/>
    public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

    /// <inheritdoc/>
    public int GetHashCode(Expr obj) => RuntimeHelpers.GetHashCode(obj);
}
