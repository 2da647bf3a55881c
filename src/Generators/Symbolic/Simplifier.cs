using System;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// The smart constructors behind <see cref="Expr"/>'s factories. Every rewrite keeps the value (up to the sign of
/// a zero) at every point where the original expression is finite, and constant folding computes exactly what C#
/// <c>double</c> arithmetic / <c>System.Math</c> compute. Deliberate exceptions, valid only where the original is finite:
/// <c>0·x → 0</c>, <c>0/x → 0</c>, <c>k·(p ? u : 0) → p ? k·u : 0</c>, <c>x − x → 0</c>, <c>x/x → 1</c> (symbolic identities: they differ when x is
/// infinite/NaN, or x = 0 for the divisions). <c>x·x → x²</c> and <c>(a^m)^n → a^(m·n)</c> (integers m, n) agree
/// to rounding. <c>log(1 + eᶻ) → softplus(z)</c> and <c>1/(1 + eʷ) → logistic(−w)</c> (either order of the sum) agree
/// to rounding where the original is finite and stay finite where it overflows (softplus(800) = 800, not ∞; the
/// derivative logistic(800) = 1, not ∞/∞). No reassociation (<c>2·(3·x)</c> stays), since that changes rounding.
/// </summary>
internal static class Simplifier
{
    /// <summary>Simplified sum.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>The sum.</returns>
    public static Expr Add(Expr a, Expr b)
    {
        Check(a, b);
        var ca = a.IsConstant(out var x);
        var cb = b.IsConstant(out var y);
        if (ca && cb)
        {
            return Expr.Constant(x + y);
        }

        if (ca && x == 0)
        {
            return b;
        }

        if (cb && y == 0)
        {
            return a;
        }

        // a + (−b) is exactly a − b in IEEE arithmetic (likewise a + (−2)·x == a − 2·x).
        if (TryNegateExactly(b, out var minusB))
        {
            return Subtract(a, minusB);
        }

        if (TryNegateExactly(a, out var minusA))
        {
            return Subtract(b, minusA);
        }

        if (a.Equals(b))
        {
            return Multiply(Expr.Constant(2.0), a); // x + x == 2·x exactly
        }

        return ExprOrder.CompareTerms(a, b) <= 0 ? new OperationExpr(ExprKind.Add, a, b) : new OperationExpr(ExprKind.Add, b, a);
    }

    /// <summary>Simplified difference.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>The difference.</returns>
    public static Expr Subtract(Expr a, Expr b)
    {
        Check(a, b);
        var ca = a.IsConstant(out var x);
        var cb = b.IsConstant(out var y);
        if (ca && cb)
        {
            return Expr.Constant(x - y);
        }

        if (cb && y == 0)
        {
            return a;
        }

        if (ca && x == 0)
        {
            return Negate(b);
        }

        if (a.Equals(b))
        {
            return Expr.Zero; // symbolic x − x = 0 (NaN in IEEE when x is infinite)
        }

        if (TryNegateExactly(b, out var minusB))
        {
            return Add(a, minusB);
        }

        return new OperationExpr(ExprKind.Subtract, a, b);
    }

    /// <summary>Simplified product.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>The product.</returns>
    public static Expr Multiply(Expr a, Expr b) => Multiply(a, b, DistributeBudget);

    /// <summary>How many nested selects a product is distributed into (bounds the work and the recursion).</summary>
    private const int DistributeBudget = 8;

    private static Expr Multiply(Expr a, Expr b, int budget)
    {
        Check(a, b);
        var ca = a.IsConstant(out var x);
        var cb = b.IsConstant(out var y);
        if (ca && cb)
        {
            return Expr.Constant(x * y);
        }

        if (ca || cb)
        {
            var c = ca ? x : y;
            var other = ca ? b : a;
            if (c == 0)
            {
                return Expr.Zero; // symbolic 0·x = 0 (NaN in IEEE when x is infinite or NaN)
            }

            if (c == 1)
            {
                return other;
            }

            if (c == -1)
            {
                return Negate(other);
            }
        }

        // k·(p ? u : 0) → p ? k·u : 0: an inactive piece stays exactly 0 even where k is infinite (symbolic 0·k = 0).
        if (budget > 0 && (HasZeroBranch(b) || HasZeroBranch(a)))
        {
            var q = (ConditionalExpr)(HasZeroBranch(b) ? b : a);
            var k = ReferenceEquals(q, b) ? a : b;
            return Conditional(q.Comparison, q.Left, q.Right, Multiply(k, q.WhenTrue, budget - 1), Multiply(k, q.WhenFalse, budget - 1));
        }

        // (−a)·b == −(a·b) exactly.
        if (a.Kind == ExprKind.Negate)
        {
            return Negate(Multiply(a.Children[0], b));
        }

        if (b.Kind == ExprKind.Negate)
        {
            return Negate(Multiply(a, b.Children[0]));
        }

        if (a.Equals(b))
        {
            return Pow(a, Expr.Constant(2.0));
        }

        return ExprOrder.Compare(a, b) <= 0 ? new OperationExpr(ExprKind.Multiply, a, b) : new OperationExpr(ExprKind.Multiply, b, a);
    }

    /// <summary>Simplified quotient.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    /// <returns>The quotient.</returns>
    public static Expr Divide(Expr a, Expr b)
    {
        Check(a, b);
        var ca = a.IsConstant(out var x);
        var cb = b.IsConstant(out var y);
        if (ca && cb)
        {
            return Expr.Constant(x / y);
        }

        if (cb && y == 1)
        {
            return a;
        }

        if (cb && y == -1)
        {
            return Negate(a);
        }

        if (ca && x == 0)
        {
            return Expr.Zero; // symbolic 0/x = 0 (NaN in IEEE at x = 0)
        }

        if (a.Equals(b))
        {
            return Expr.One; // symbolic x/x = 1 (NaN in IEEE at x = 0 or infinite x)
        }

        if (a.Kind == ExprKind.Negate)
        {
            return Negate(Divide(a.Children[0], b));
        }

        if (b.Kind == ExprKind.Negate)
        {
            return Negate(Divide(a, b.Children[0]));
        }

        if (ca && x == 1 && IsOnePlusExp(b, out var w))
        {
            return Call(MathFunction.Logistic, Negate(w)); // 1/(1 + eʷ) = logistic(−w), finite for every w
        }

        return new OperationExpr(ExprKind.Divide, a, b);
    }

    /// <summary>Simplified negation.</summary>
    /// <param name="a">Operand.</param>
    /// <returns>The negation.</returns>
    public static Expr Negate(Expr a)
    {
        Check(a, a);
        if (a.IsConstant(out var x))
        {
            return Expr.Constant(-x);
        }

        if (a.Kind == ExprKind.Negate)
        {
            return a.Children[0];
        }

        if (a.Kind == ExprKind.Multiply && a.Children[0].IsConstant(out var c))
        {
            return Multiply(Expr.Constant(-c), a.Children[1]); // −(c·x) == (−c)·x
        }

        if (a.Kind == ExprKind.Subtract)
        {
            return new OperationExpr(ExprKind.Subtract, a.Children[1], a.Children[0]); // −(p − q) == q − p
        }

        return new OperationExpr(ExprKind.Negate, a);
    }

    /// <summary>Simplified power.</summary>
    /// <param name="a">Base.</param>
    /// <param name="b">Exponent.</param>
    /// <returns>The power.</returns>
    public static Expr Pow(Expr a, Expr b)
    {
        Check(a, b);
        var ca = a.IsConstant(out var x);
        var cb = b.IsConstant(out var y);
        if (ca && cb)
        {
            return Expr.Constant(Math.Pow(x, y));
        }

        if (ca && x == 1)
        {
            return Expr.One; // Math.Pow(1, y) == 1 for every y, NaN included
        }

        if (cb)
        {
            if (y == 0)
            {
                return Expr.One; // Math.Pow(x, 0) == 1 for every x
            }

            if (y == 1)
            {
                return a;
            }

            if (y == -1)
            {
                return Divide(Expr.One, a);
            }

            if (y == 0.5)
            {
                return Call(MathFunction.Sqrt, a);
            }

            if (IsInteger(y) && a.Kind == ExprKind.Power && a.Children[1].IsConstant(out var m) && IsInteger(m))
            {
                return Pow(a.Children[0], Expr.Constant(m * y)); // (p^m)^n = p^(m·n) for integers m, n
            }
        }

        return new OperationExpr(ExprKind.Power, a, b);
    }

    /// <summary>Simplified function call.</summary>
    /// <param name="function">The function.</param>
    /// <param name="a">Argument.</param>
    /// <returns>The call.</returns>
    public static Expr Call(MathFunction function, Expr a)
    {
        Check(a, a);
        if (a.IsConstant(out var x))
        {
            return Expr.Constant(ExprEvaluator.Apply(function, x));
        }

        if (function == MathFunction.Log && IsOnePlusExp(a, out var z))
        {
            return Call(MathFunction.Softplus, z); // log(1 + eᶻ) = softplus(z), finite for every finite z
        }

        if (function == MathFunction.Abs)
        {
            if (a is FunctionExpr { Function: MathFunction.Abs })
            {
                return a;
            }

            if (a.Kind == ExprKind.Negate)
            {
                return Call(MathFunction.Abs, a.Children[0]);
            }
        }

        return new FunctionExpr(function, a);
    }

    /// <summary>Whether <paramref name="e"/> is 1 + exp(<paramref name="argument"/>), in either order.</summary>
    private static bool IsOnePlusExp(Expr e, out Expr argument)
    {
        argument = e;
        if (e.Kind != ExprKind.Add)
        {
            return false;
        }

        for (int i = 0; i < 2; i++)
        {
            if (e.Children[i].IsConstant(out var one) && one == 1 && e.Children[1 - i] is FunctionExpr { Function: MathFunction.Exp } exp)
            {
                argument = exp.Argument;
                return true;
            }
        }

        return false;
    }

    /// <summary>Simplified max or min.</summary>
    /// <param name="kind"><see cref="ExprKind.Max"/> or <see cref="ExprKind.Min"/>.</param>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The node.</returns>
    public static Expr MaxMin(ExprKind kind, Expr a, Expr b)
    {
        Check(a, b);
        if (a.IsConstant(out var x) && b.IsConstant(out var y))
        {
            return Expr.Constant(ExprEvaluator.Operate(kind, x, y));
        }

        if (a.Equals(b))
        {
            return a;
        }

        return ExprOrder.Compare(a, b) <= 0 ? new OperationExpr(kind, a, b) : new OperationExpr(kind, b, a);
    }

    /// <summary>Simplified conditional.</summary>
    /// <param name="comparison">The comparison.</param>
    /// <param name="left">Left side.</param>
    /// <param name="right">Right side.</param>
    /// <param name="whenTrue">Value when it holds.</param>
    /// <param name="whenFalse">Value otherwise.</param>
    /// <returns>The node.</returns>
    public static Expr Conditional(Comparison comparison, Expr left, Expr right, Expr whenTrue, Expr whenFalse)
    {
        Check(left, right);
        Check(whenTrue, whenFalse);
        if (whenTrue.Equals(whenFalse))
        {
            return whenTrue;
        }

        if (left.IsConstant(out var l) && right.IsConstant(out var r))
        {
            return ConditionalExpr.Holds(comparison, l, r) ? whenTrue : whenFalse;
        }

        // A branch that tests the same condition again takes its matching side: (c ? (c ? a : b) : e) is (c ? a : e), and
        // (c ? a : (c ? b : e)) is (c ? a : e) (evaluation has no side effects, and NaN fails c both times). The second
        // derivative of max/min produces such nests.
        if (whenTrue is ConditionalExpr inner && SameTest(inner, comparison, left, right))
        {
            return Conditional(comparison, left, right, inner.WhenTrue, whenFalse);
        }

        if (whenFalse is ConditionalExpr other && SameTest(other, comparison, left, right))
        {
            return Conditional(comparison, left, right, whenTrue, other.WhenFalse);
        }

        return new ConditionalExpr(comparison, left, right, whenTrue, whenFalse);
    }

    private static bool SameTest(ConditionalExpr q, Comparison comparison, Expr left, Expr right) =>
        q.Comparison == comparison && q.Left.Equals(left) && q.Right.Equals(right);

    /// <summary>For −b, −c (constant c &lt; 0) and (−c)·x: the exactly negated expression b, |c|, c·x.</summary>
    private static bool TryNegateExactly(Expr e, out Expr negated)
    {
        if (e.Kind == ExprKind.Negate)
        {
            negated = e.Children[0];
            return true;
        }

        if (e.IsConstant(out var c) && c < 0)
        {
            negated = Expr.Constant(-c);
            return true;
        }

        if (e.Kind == ExprKind.Multiply && e.Children[0].IsConstant(out var k) && k < 0)
        {
            negated = Multiply(Expr.Constant(-k), e.Children[1]);
            return true;
        }

        negated = e;
        return false;
    }

    private static bool HasZeroBranch(Expr e) =>
        e is ConditionalExpr q && (IsZero(q.WhenTrue) || IsZero(q.WhenFalse));

    private static bool IsZero(Expr e) => e.IsConstant(out var v) && v == 0;

    private static bool IsInteger(double v) => Math.Abs(v) < 1e15 && Math.Floor(v) == v;

    private static void Check(Expr a, Expr b)
    {
        if (a is null)
        {
            throw new ArgumentNullException(nameof(a));
        }

        if (b is null)
        {
            throw new ArgumentNullException(nameof(b));
        }
    }
}
