using System;
using System.Globalization;
using System.Text;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Prints an <see cref="Expr"/> as a C# expression over <c>double</c> or <c>Vector128/256/512&lt;double&gt;</c>.
/// Parentheses keep the tree's evaluation order exactly (so <c>a + (b + c)</c> keeps its parentheses) and
/// a unary minus or negative literal on the right of a binary operator is always parenthesised (<c>a - (-2.0)</c>).
/// Powers with exponent 2, 3, 4 print as products of the base (see <see cref="PowerExpansion"/>; a compound base is
/// then printed repeatedly unless CSE made it a temporary); other powers, functions, max and min print as
/// <c>global::MeanField.Numerics.SimdMath</c> calls for every width.
/// </summary>
public static class CSharpPrinter
{
    private const string SimdMath = "global::MeanField.Numerics.SimdMath.";
    private const int Additive = 1;
    private const int Multiplicative = 2;
    private const int Unary = 3;
    private const int Primary = 4;
    private static readonly char[] DecimalMarks = { '.', 'E', 'e' };

    /// <summary>Prints <paramref name="e"/> as a C# expression for <paramref name="width"/>.</summary>
    /// <param name="e">The expression.</param>
    /// <param name="width">The lane type.</param>
    /// <param name="symbolName">The C# text of each symbol.</param>
    /// <returns>The C# expression; <c>Temp(k)</c> prints as <c>t{k}</c>.</returns>
    public static string Print(Expr e, SimdWidth width, Func<string, string> symbolName)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        if (symbolName is null)
        {
            throw new ArgumentNullException(nameof(symbolName));
        }

        var sb = new StringBuilder();
        new Writer(sb, width, symbolName).Write(e, 0, false);
        return sb.ToString();
    }

    /// <summary>The lane mask of <c>left OP right</c> at a vector width: <c>Vector512.GreaterThan(left, right)</c>.</summary>
    /// <param name="comparison">OP.</param>
    /// <param name="left">The left side.</param>
    /// <param name="right">The right side.</param>
    /// <param name="width">A vector width.</param>
    /// <param name="symbolName">The C# text of each symbol.</param>
    /// <returns>The C# expression.</returns>
    public static string PrintComparison(Comparison comparison, Expr left, Expr right, SimdWidth width, Func<string, string> symbolName)
    {
        var vector = VectorType(width);
        return $"{vector}.{ComparisonMethod(comparison)}({Print(left, width, symbolName)}, {Print(right, width, symbolName)})";
    }

    /// <summary>The static vector class of a vector width: <c>global::System.Runtime.Intrinsics.Vector512</c>.</summary>
    /// <param name="width">A vector width.</param>
    /// <returns>Its name.</returns>
    public static string VectorTypeName(SimdWidth width) => VectorType(width);

    /// <summary>
    /// A round-trip, culture-invariant double literal: <c>"2.0"</c>, <c>"0.5"</c>, <c>"1E-05"</c>, <c>"-3.0"</c>;
    /// NaN and infinities as <c>double.NaN</c>, <c>double.PositiveInfinity</c>, <c>double.NegativeInfinity</c>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public static string Literal(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(DecimalMarks) >= 0 ? text : text + ".0";
    }

    private static string VectorType(SimdWidth width) => width switch
    {
        SimdWidth.Vector128 => "global::System.Runtime.Intrinsics.Vector128",
        SimdWidth.Vector256 => "global::System.Runtime.Intrinsics.Vector256",
        SimdWidth.Vector512 => "global::System.Runtime.Intrinsics.Vector512",
        _ => throw new ArgumentOutOfRangeException(nameof(width)),
    };

    private static string ComparisonOperator(Comparison c) => c switch
    {
        Comparison.Less => " < ",
        Comparison.LessOrEqual => " <= ",
        Comparison.Greater => " > ",
        _ => " >= ",
    };

    private static string ComparisonMethod(Comparison c) => c switch
    {
        Comparison.Less => "LessThan",
        Comparison.LessOrEqual => "LessThanOrEqual",
        Comparison.Greater => "GreaterThan",
        _ => "GreaterThanOrEqual",
    };

    private static int Precedence(Expr e, SimdWidth width) => e.Kind switch
    {
        ExprKind.Add or ExprKind.Subtract => Additive,
        ExprKind.Multiply or ExprKind.Divide => Multiplicative,
        ExprKind.Power when PowerExpansion.SmallExponent(e) > 0 => Multiplicative,
        ExprKind.Negate => Unary,
        ExprKind.Constant when width == SimdWidth.Scalar && Literal(((ConstantExpr)e).Value).StartsWith("-", StringComparison.Ordinal) => Unary,
        _ => Primary,
    };

    private sealed class Writer
    {
        private readonly StringBuilder sb;
        private readonly SimdWidth width;
        private readonly Func<string, string> symbolName;
        private int depth;

        public Writer(StringBuilder sb, SimdWidth width, Func<string, string> symbolName)
        {
            this.sb = sb;
            this.width = width;
            this.symbolName = symbolName;
        }

        /// <summary>Writes <paramref name="e"/>, parenthesised when its precedence is below <paramref name="min"/> or
        /// when it is a unary on the right of a binary operator.</summary>
        public void Write(Expr e, int min, bool rightOperand)
        {
            var precedence = Precedence(e, width);
            var parenthesise = precedence < min || (rightOperand && precedence == Unary);
            if (parenthesise)
            {
                sb.Append('(');
            }

            StackGuard.Check("print C#", ++depth);
            WriteBare(e);
            depth--;
            if (parenthesise)
            {
                sb.Append(')');
            }
        }

        private void WriteBare(Expr e)
        {
            switch (e)
            {
                case ConstantExpr c:
                    sb.Append(width == SimdWidth.Scalar ? Literal(c.Value) : VectorType(width) + ".Create(" + Literal(c.Value) + ")");
                    return;
                case SymbolExpr s:
                    sb.Append(symbolName(s.Name));
                    return;
                case TempExpr t:
                    sb.Append('t').Append(t.Index.ToString(CultureInfo.InvariantCulture));
                    return;
                case FunctionExpr f:
                    Call(f.Function.ToString(), f.Argument);
                    return;
                case ConditionalExpr q:
                    WriteConditional(q);
                    return;
            }

            var a = e.Children[0];
            switch (e.Kind)
            {
                case ExprKind.Negate:
                    sb.Append('-');
                    Write(a, Primary, false);
                    return;
                case ExprKind.Add:
                    Binary(a, " + ", e.Children[1], Additive, Multiplicative);
                    return;
                case ExprKind.Subtract:
                    Binary(a, " - ", e.Children[1], Additive, Multiplicative);
                    return;
                case ExprKind.Multiply:
                    Binary(a, " * ", e.Children[1], Multiplicative, Primary);
                    return;
                case ExprKind.Divide:
                    Binary(a, " / ", e.Children[1], Multiplicative, Primary);
                    return;
                case ExprKind.Power when PowerExpansion.SmallExponent(e) is var n and > 0:
                    for (var i = 0; i < n; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(" * ");
                        }

                        Write(a, Primary, false);
                    }

                    return;
                case ExprKind.Power:
                    Call("Pow", a, e.Children[1]);
                    return;
                case ExprKind.Max:
                    Call("Max", a, e.Children[1]);
                    return;
                case ExprKind.Min:
                    Call("Min", a, e.Children[1]);
                    return;
                default:
                    throw new InvalidOperationException($"Cannot print {e.Kind}.");
            }
        }

        private void Binary(Expr a, string op, Expr b, int leftMin, int rightMin)
        {
            Write(a, leftMin, false);
            sb.Append(op);
            Write(b, rightMin, true);
        }

        private void Call(string name, Expr a, Expr? b = null)
        {
            sb.Append(SimdMath).Append(name).Append('(');
            Write(a, 0, false);
            if (b is not null)
            {
                sb.Append(", ");
                Write(b, 0, false);
            }

            sb.Append(')');
        }

        private void WriteConditional(ConditionalExpr q)
        {
            if (width == SimdWidth.Scalar)
            {
                sb.Append('(');
                Write(q.Left, Additive, false);
                sb.Append(ComparisonOperator(q.Comparison));
                Write(q.Right, Additive, false);
                sb.Append(" ? ");
                Write(q.WhenTrue, 0, false);
                sb.Append(" : ");
                Write(q.WhenFalse, 0, false);
                sb.Append(')');
                return;
            }

            var vector = VectorType(width);
            sb.Append(vector).Append(".ConditionalSelect(").Append(vector).Append('.').Append(ComparisonMethod(q.Comparison)).Append('(');
            Write(q.Left, 0, false);
            sb.Append(", ");
            Write(q.Right, 0, false);
            sb.Append("), ");
            Write(q.WhenTrue, 0, false);
            sb.Append(", ");
            Write(q.WhenFalse, 0, false);
            sb.Append(')');
        }
    }
}
