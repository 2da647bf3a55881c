namespace MeanField.Generators.Symbolic;

/// <summary>The unary functions an <see cref="Expr"/> can call; semantics are those of <c>System.Math</c> (Softplus and
/// Logistic: those of <c>MeanField.Numerics.SimdMath</c>'s double overloads, see <see cref="ExprEvaluator.Apply"/>).</summary>
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

    /// <summary>softplus log(1 + eˣ), computed stably (never overflows); not a <c>System.Math</c> function: the
    /// simplifier rewrites <c>Math.Log(1 + Math.Exp(z))</c> to it, and it prints as <c>SimdMath.Softplus</c>.</summary>
    Softplus,

    /// <summary>logistic 1/(1 + e^{−x}), computed stably (never overflows); the simplifier rewrites
    /// <c>1 / (1 + Math.Exp(w))</c> to logistic(−w), and it prints as <c>SimdMath.Logistic</c>.</summary>
    Logistic,
}
