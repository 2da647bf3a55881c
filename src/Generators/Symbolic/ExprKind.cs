namespace MeanField.Generators.Symbolic;

/// <summary>The kind of an <see cref="Expr"/> node.</summary>
public enum ExprKind
{
    /// <summary>A numeric constant (<see cref="ConstantExpr"/>).</summary>
    Constant,

    /// <summary>A free variable compared by name (<see cref="SymbolExpr"/>).</summary>
    Symbol,

    /// <summary>A reference to a CSE temporary <c>t{index}</c> (<see cref="TempExpr"/>).</summary>
    Temp,

    /// <summary>Binary sum <c>a + b</c> (commutative, operands in canonical order).</summary>
    Add,

    /// <summary>Binary product <c>a · b</c> (commutative, constants first).</summary>
    Multiply,

    /// <summary>Quotient <c>a / b</c>.</summary>
    Divide,

    /// <summary>Unary negation <c>−a</c>.</summary>
    Negate,

    /// <summary>Power <c>a ^ b</c> with the semantics of <c>Math.Pow</c>.</summary>
    Power,

    /// <summary>A call of a <see cref="MathFunction"/> (<see cref="FunctionExpr"/>).</summary>
    Function,

    /// <summary><c>Math.Max(a, b)</c> (commutative).</summary>
    Max,

    /// <summary><c>Math.Min(a, b)</c> (commutative).</summary>
    Min,

    /// <summary><c>(left OP right) ? whenTrue : whenFalse</c> (<see cref="ConditionalExpr"/>).</summary>
    Conditional,

    /// <summary>Difference <c>a − b</c> (not commutative; kept so that <c>1 − x</c> prints naturally).</summary>
    Subtract,
}
