using System;
using System.Collections.Generic;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Symbolic differentiation. The result is built with the simplifying constructors, so terms multiplied by a zero
/// derivative vanish; nodes of the original (e.g. <c>tanh(a)</c>, <c>sqrt(a)</c>, <c>exp(a)</c>, <c>a/b</c>) are reused.
/// The input is hash-consed first and differentiated once per distinct node, children before parents (iteratively),
/// so time and size are linear in the DAG size and any depth is safe.
/// <para>
/// Kink convention: comparisons are strict and a tie contributes zero, and the derivative of a piecewise node is a
/// select, never an indicator times a slope:
/// <c>d max(a, b) = a &gt; b ? a' : (b &gt; a ? b' : 0)</c>, <c>d min(a, b) = a &lt; b ? a' : (b &lt; a ? b' : 0)</c>,
/// <c>d|a| = a &gt; 0 ? a' : (a &lt; 0 ? −a' : 0)</c>, <c>d (l OP r ? t : f) = l OP r ? t' : f'</c>.
/// The chain rule works inside the pieces: for a function, power or divisor applied to a piecewise argument,
/// <c>d f(max(a, b)) = a &gt; b ? f'(a)·a' : (b &gt; a ? f'(b)·b' : 0)</c> (likewise min and ?:), so an inactive
/// piece contributes exactly 0 (no <c>0·∞</c>).
/// </para>
/// <para>
/// Singular points: where the function has a finite value but an infinite slope, the derivative is taken as 0:
/// <c>sqrt</c> at 0, <c>acos</c> at ±1, <c>a^c</c> with constant 0 &lt; c &lt; 1 at a = 0, <c>a^b</c> (b not constant)
/// at a = 0. Not for <c>log</c> at 0 or a division by 0, whose values are not finite.
/// </para>
/// </summary>
public static class Differentiation
{
    private const string Pass = "differentiate";

    /// <summary>
    /// The derivative of <paramref name="e"/> with respect to the symbol <paramref name="symbol"/>, memoised per
    /// distinct subexpression within the call, so shared subtrees (DAGs) are differentiated once.
    /// </summary>
    /// <param name="e">The expression (must not contain temporaries).</param>
    /// <param name="symbol">The name of the symbol.</param>
    /// <returns>The simplified derivative.</returns>
    public static Expr Derivative(Expr e, string symbol)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        if (symbol is null)
        {
            throw new ArgumentNullException(nameof(symbol));
        }

        return Derivatives(e, new[] { symbol })[0];
    }

    /// <summary>
    /// The derivatives of <paramref name="e"/> with respect to each of <paramref name="symbols"/>, as
    /// <see cref="Derivative"/> gives them one by one; <paramref name="e"/> is interned and ordered once for all.
    /// </summary>
    /// <param name="e">The expression (must not contain temporaries).</param>
    /// <param name="symbols">The names of the symbols.</param>
    /// <returns>The simplified derivatives, in the order of <paramref name="symbols"/>.</returns>
    internal static Expr[] Derivatives(Expr e, IReadOnlyList<string> symbols)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        var results = new Expr[symbols.Count];
        if (results.Length == 0)
        {
            return results;
        }

        var root = new ExprInterner().Intern(e);
        var order = Dag.PostOrder(root);
        var memo = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        Func<Expr, Expr> d = node => memo[node];
        for (int k = 0; k < results.Length; k++)
        {
            string symbol = symbols[k] ?? throw new ArgumentNullException(nameof(symbols));
            memo.Clear();
            foreach (var node in order)
            {
                memo[node] = Rule(node, d, symbol);
            }

            results[k] = memo[root];
        }

        return results;
    }

    private static Expr Rule(Expr e, Func<Expr, Expr> d, string symbol)
    {
        switch (e)
        {
            case ConstantExpr:
                return Expr.Zero;
            case SymbolExpr s:
                return string.Equals(s.Name, symbol, StringComparison.Ordinal) ? Expr.One : Expr.Zero;
            case TempExpr t:
                throw new InvalidOperationException($"Cannot differentiate temporary t{t.Index}; differentiate before CSE.");
            case FunctionExpr { Function: MathFunction.Abs } abs:
                {
                    var a = abs.Argument;
                    var da = d(a);
                    return IsZero(da)
                        ? Expr.Zero
                        : Expr.Conditional(Comparison.Greater, a, Expr.Zero, da, Expr.Conditional(Comparison.Less, a, Expr.Zero, Expr.Negate(da), Expr.Zero));
                }

            case FunctionExpr f:
                return IsZero(d(f.Argument))
                    ? Expr.Zero
                    : Chain(f.Argument, piece =>
                    {
                        var dp = d(piece);
                        if (IsZero(dp))
                        {
                            return Expr.Zero;
                        }

                        // f′ at the whole argument, not at the piece: where the piece's guard holds the argument equals
                        // the piece exactly (max/min return an operand, a conditional its branch), so the value is the
                        // same, and f′(argument) shares the primal's own nodes (f itself for exp, sqrt, tanh, logistic;
                        // 1 − a² under acos′'s root) where f′(piece) would evaluate the function again.
                        return Expr.Multiply(FunctionDerivative(f.Function, f.Argument, f), dp);
                    });

            case ConditionalExpr q:
                return Expr.Conditional(q.Comparison, q.Left, q.Right, d(q.WhenTrue), d(q.WhenFalse));
        }

        var a0 = e.Children[0];
        switch (e.Kind)
        {
            case ExprKind.Negate:
                return Expr.Negate(d(a0));
            case ExprKind.Add:
                return Expr.Add(d(a0), d(e.Children[1]));
            case ExprKind.Subtract:
                return Expr.Subtract(d(a0), d(e.Children[1]));
        }

        var b = e.Children[1];
        var da0 = d(a0);
        var db = d(b);
        switch (e.Kind)
        {
            case ExprKind.Multiply:
                return Expr.Add(Expr.Multiply(da0, b), Expr.Multiply(a0, db));
            case ExprKind.Divide:
                if (!IsPiecewise(b) || IsZero(db))
                {
                    // d(a/b) = (a' − (a/b)·b') / b, reusing the quotient node.
                    return Expr.Divide(Expr.Subtract(da0, Expr.Multiply(e, db)), b);
                }

                // d(a/b) = a'/b − Σ_pieces [piece active]·(a/piece)/piece·piece' (the chain rule inside the pieces).
                return Expr.Subtract(
                    Expr.Divide(da0, b),
                    Chain(b, piece =>
                    {
                        var dp = d(piece);
                        return IsZero(dp) ? Expr.Zero : Expr.Multiply(Expr.Divide(Expr.Divide(a0, piece), piece), dp);
                    }));
            case ExprKind.Max:
                return Select(Comparison.Greater, a0, b, da0, db);
            case ExprKind.Min:
                return Select(Comparison.Less, a0, b, da0, db);
            case ExprKind.Power:
                if (b.IsConstant(out var c))
                {
                    return IsZero(da0) ? Expr.Zero : Chain(a0, piece => ConstantPower(e, a0, piece, c, d(piece)));
                }

                // d a^b = a^b·(b'·ln a + b·a'/a) for a > 0. For a < 0, a^b is finite only at integer b, where the
                // slope in a is b·a^(b−1)·a' (the b' term, ±the imaginary part, is dropped rather than NaN from ln a).
                // At a = 0 the derivative is 0 (a singular point where 0^b is finite for b ≥ 0).
                var full = Expr.Multiply(
                    e,
                    Expr.Add(Expr.Multiply(db, Expr.Call(MathFunction.Log, a0)), Expr.Multiply(b, Expr.Divide(da0, a0))));
                var negativeBase = Expr.Multiply(Expr.Multiply(b, Expr.Pow(a0, Expr.Subtract(b, Expr.One))), da0);
                return Expr.Conditional(
                    Comparison.Greater, a0, Expr.Zero, full, Expr.Conditional(Comparison.Less, a0, Expr.Zero, negativeBase, Expr.Zero));
            default:
                throw new InvalidOperationException($"No derivative rule for {e.Kind}.");
        }
    }

    /// <summary>
    /// The chain-rule term through a piecewise argument: <paramref name="term"/> of each piece, selected by the
    /// comparisons that pick it (a tie of max/min contributes 0). A non-piecewise argument is its own single piece.
    /// </summary>
    private static Expr Chain(Expr argument, Func<Expr, Expr> term)
    {
        if (!IsPiece(argument))
        {
            // Not piecewise (nearly every argument): its own single piece, without a memo.
            return term(argument);
        }

        var memo = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        return Go(argument, 0);

        Expr Go(Expr x, int depth)
        {
            if (memo.TryGetValue(x, out var known))
            {
                return known;
            }

            StackGuard.Check(Pass, depth);
            Expr result;
            switch (x)
            {
                case OperationExpr { Kind: ExprKind.Max }:
                    result = Select(Comparison.Greater, x.Children[0], x.Children[1], Go(x.Children[0], depth + 1), Go(x.Children[1], depth + 1));
                    break;
                case OperationExpr { Kind: ExprKind.Min }:
                    result = Select(Comparison.Less, x.Children[0], x.Children[1], Go(x.Children[0], depth + 1), Go(x.Children[1], depth + 1));
                    break;
                case ConditionalExpr q:
                    result = Expr.Conditional(q.Comparison, q.Left, q.Right, Go(q.WhenTrue, depth + 1), Go(q.WhenFalse, depth + 1));
                    break;
                default:
                    result = term(x);
                    break;
            }

            memo[x] = result;
            return result;
        }
    }

    /// <summary>Whether <see cref="Chain"/> splits <paramref name="x"/> into pieces (max, min, a conditional).</summary>
    private static bool IsPiece(Expr x) => x is OperationExpr { Kind: ExprKind.Max or ExprKind.Min } or ConditionalExpr;

    /// <summary>
    /// The derivative of max (OP = &gt;) or min (OP = &lt;) from the pieces' derivatives: <c>a OP b ? da : (b OP a ? db : 0)</c>,
    /// written with one select when a piece's derivative is 0.
    /// </summary>
    private static Expr Select(Comparison op, Expr a, Expr b, Expr da, Expr db)
    {
        if (IsZero(da))
        {
            return Expr.Conditional(op, b, a, db, Expr.Zero);
        }

        if (IsZero(db))
        {
            return Expr.Conditional(op, a, b, da, Expr.Zero);
        }

        return Expr.Conditional(op, a, b, da, Expr.Conditional(op, b, a, db, Expr.Zero));
    }

    /// <summary>d piece^c = c·piece^(c−1)·piece', and 0 where piece^c = 0 when 0 &lt; c &lt; 1 (the slope is infinite there).</summary>
    private static Expr ConstantPower(Expr power, Expr argument, Expr piece, double c, Expr dPiece)
    {
        if (IsZero(dPiece))
        {
            return Expr.Zero;
        }

        var slope = Expr.Multiply(Expr.Constant(c), Expr.Pow(piece, Expr.Constant(c - 1)));
        if (c > 0 && c < 1)
        {
            var self = ReferenceEquals(piece, argument) ? power : Expr.Pow(piece, Expr.Constant(c));
            slope = Expr.Conditional(Comparison.LessOrEqual, self, Expr.Zero, Expr.Zero, slope);
        }

        return Expr.Multiply(slope, dPiece);
    }

    /// <summary>f'(a) for a call node f(a) (to be multiplied by a'); <paramref name="self"/> is the node f(a).</summary>
    private static Expr FunctionDerivative(MathFunction function, Expr a, Expr self)
    {
        switch (function)
        {
            case MathFunction.Exp:
                return self;
            case MathFunction.Log:
                return Expr.Divide(Expr.One, a); // no singular-point rule: log(0) = −∞ is not finite
            case MathFunction.Sqrt:
                // 1/(2·sqrt a), and 0 at a = ±0 (sqrt a ≤ 0); NaN stays NaN for a < 0 (the comparison is false).
                return Expr.Conditional(
                    Comparison.LessOrEqual, self, Expr.Zero, Expr.Zero, Expr.Divide(Expr.One, Expr.Multiply(Expr.Constant(2.0), self)));
            case MathFunction.Tanh:
                return Expr.Subtract(Expr.One, Expr.Pow(self, Expr.Constant(2.0)));
            case MathFunction.Sin:
                return Expr.Call(MathFunction.Cos, a);
            case MathFunction.Cos:
                return Expr.Negate(Expr.Call(MathFunction.Sin, a));
            case MathFunction.Acos:
                {
                    // −1/sqrt(1 − a²), and 0 at a = ±1; NaN for |a| > 1.
                    var root = Expr.Call(MathFunction.Sqrt, Expr.Subtract(Expr.One, Expr.Pow(a, Expr.Constant(2.0))));
                    return Expr.Conditional(Comparison.LessOrEqual, root, Expr.Zero, Expr.Zero, Expr.Negate(Expr.Divide(Expr.One, root)));
                }

            case MathFunction.Atan:
                return Expr.Divide(Expr.One, Expr.Add(Expr.One, Expr.Pow(a, Expr.Constant(2.0))));
            case MathFunction.Softplus:
                return Expr.Call(MathFunction.Logistic, a); // finite everywhere, unlike eᵃ/(1 + eᵃ) (∞/∞ for a > 709)
            case MathFunction.Logistic:
                return Expr.Multiply(self, Expr.Subtract(Expr.One, self));
            default:
                throw new InvalidOperationException($"No derivative rule for {function}.");
        }
    }

    private static bool IsPiecewise(Expr e) => e.Kind is ExprKind.Max or ExprKind.Min or ExprKind.Conditional;

    private static bool IsZero(Expr e) => e.IsConstant(out var v) && v == 0;
}
