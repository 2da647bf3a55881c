namespace MeanField.Generators.Symbolic;

/// <summary>The comparison of a <see cref="ConditionalExpr"/>; all are strict/ordered as in C# (false when either side is NaN).</summary>
public enum Comparison
{
    /// <summary><c>left &lt; right</c>.</summary>
    Less,

    /// <summary><c>left &lt;= right</c>.</summary>
    LessOrEqual,

    /// <summary><c>left &gt; right</c>.</summary>
    Greater,

    /// <summary><c>left &gt;= right</c>.</summary>
    GreaterOrEqual,
}
