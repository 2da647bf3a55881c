namespace MeanField.Generators.Symbolic;

/// <summary>The unary functions an <see cref="Expr"/> can call; semantics are those of <c>System.Math</c>.</summary>
public enum MathFunction
{
    /// <summary><c>Math.Exp</c>.</summary>
    Exp,

    /// <summary><c>Math.Log</c> (natural logarithm).</summary>
    Log,

    /// <summary><c>Math.Sqrt</c>.</summary>
    Sqrt,

    /// <summary><c>Math.Tanh</c>.</summary>
    Tanh,

    /// <summary><c>Math.Sin</c>.</summary>
    Sin,

    /// <summary><c>Math.Cos</c>.</summary>
    Cos,

    /// <summary><c>Math.Abs</c>.</summary>
    Abs,

    /// <summary><c>Math.Acos</c>.</summary>
    Acos,

    /// <summary><c>Math.Atan</c>.</summary>
    Atan,
}
