using System;
using System.Globalization;
using System.Text;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Prints an <see cref="Expr"/> as a readable formula with mathematical (not evaluation-order) parenthesisation:
/// <c>c·tanh(w·x + b)</c>, <c>1 − tanh(z)²</c>, <c>exp(−|w − x|² / (2·s²))</c>. Symbols print verbatim,
/// <c>Temp(k)</c> as <c>t{k}</c>, constants in round-trip invariant form (<c>2</c>, <c>0.5</c>, <c>1E-05</c>),
/// integer powers from −9 to 9 with superscripts, other powers as <c>a^b</c>, conditionals as <c>(l &gt; r ? a : b)</c>.
/// </summary>
public static class FormulaPrinter
{
    private const char Minus = '\u2212';
    private const string Superscripts = "\u2070\u00B9\u00B2\u00B3\u2074\u2075\u2076\u2077\u2078\u2079";
    private const int Additive = 1;
    private const int Multiplicative = 2;
    private const int Unary = 3;
    private const int PowerLevel = 4;
    private const int Atom = 5;

    /// <summary>Prints the formula.</summary>
    /// <param name="e">The expression.</param>
    /// <returns>The formula text.</returns>
    public static string Print(Expr e)
    {
        if (e is null)
        {
            throw new ArgumentNullException(nameof(e));
        }

        var sb = new StringBuilder();
        Write(sb, e, 0, false);
        return sb.ToString();
    }

    private static int Precedence(Expr e) => e.Kind switch
    {
        ExprKind.Add or ExprKind.Subtract => Additive,
        ExprKind.Multiply or ExprKind.Divide => Multiplicative,
        ExprKind.Negate => Unary,
        ExprKind.Constant when Number(((ConstantExpr)e).Value)[0] == Minus => Unary,
        ExprKind.Power => PowerLevel,
        _ => Atom,
    };

    private static void Write(StringBuilder sb, Expr e, int min, bool rightOperand)
    {
        var precedence = Precedence(e);
        var parenthesise = precedence < min || (rightOperand && precedence == Unary);
        if (parenthesise)
        {
            sb.Append('(');
        }

        WriteBare(sb, e);
        if (parenthesise)
        {
            sb.Append(')');
        }
    }

    private static void WriteBare(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case ConstantExpr c:
                sb.Append(Number(c.Value));
                return;
            case SymbolExpr s:
                sb.Append(s.Name);
                return;
            case TempExpr t:
                sb.Append('t').Append(t.Index.ToString(CultureInfo.InvariantCulture));
                return;
            case FunctionExpr { Function: MathFunction.Abs } f:
                sb.Append('|');
                Write(sb, f.Argument, 0, false);
                sb.Append('|');
                return;
            case FunctionExpr f:
                sb.Append(f.Function.ToString().ToLowerInvariant()).Append('(');
                Write(sb, f.Argument, 0, false);
                sb.Append(')');
                return;
            case ConditionalExpr q:
                sb.Append('(');
                Write(sb, q.Left, Additive, false);
                sb.Append(q.Comparison switch
                {
                    Comparison.Less => " < ",
                    Comparison.LessOrEqual => " \u2264 ",
                    Comparison.Greater => " > ",
                    _ => " \u2265 ",
                });
                Write(sb, q.Right, Additive, false);
                sb.Append(" ? ");
                Write(sb, q.WhenTrue, 0, false);
                sb.Append(" : ");
                Write(sb, q.WhenFalse, 0, false);
                sb.Append(')');
                return;
        }

        var a = e.Children[0];
        switch (e.Kind)
        {
            case ExprKind.Negate:
                sb.Append(Minus);
                Write(sb, a, Multiplicative, true);
                return;
            case ExprKind.Add:
                Binary(sb, a, " + ", e.Children[1], Additive, Additive);
                return;
            case ExprKind.Subtract:
                Binary(sb, a, " \u2212 ", e.Children[1], Additive, Multiplicative);
                return;
            case ExprKind.Multiply:
                Binary(sb, a, "\u00B7", e.Children[1], Multiplicative, Unary);
                return;
            case ExprKind.Divide:
                Binary(sb, a, " / ", e.Children[1], Multiplicative, Unary);
                return;
            case ExprKind.Power:
                Write(sb, a, Atom, false);
                if (e.Children[1].IsConstant(out var n) && Math.Floor(n) == n && Math.Abs(n) <= 9)
                {
                    if (n < 0)
                    {
                        sb.Append('\u207B');
                    }

                    sb.Append(Superscripts[(int)Math.Abs(n)]);
                }
                else
                {
                    sb.Append('^');
                    Write(sb, e.Children[1], Atom, false);
                }

                return;
            case ExprKind.Max:
            case ExprKind.Min:
                sb.Append(e.Kind == ExprKind.Max ? "max(" : "min(");
                Write(sb, a, 0, false);
                sb.Append(", ");
                Write(sb, e.Children[1], 0, false);
                sb.Append(')');
                return;
            default:
                throw new InvalidOperationException($"Cannot print {e.Kind}.");
        }
    }

    private static void Binary(StringBuilder sb, Expr a, string op, Expr b, int leftMin, int rightMin)
    {
        Write(sb, a, leftMin, false);
        sb.Append(op);
        Write(sb, b, rightMin, true);
    }

    private static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "\u221E" : "\u2212\u221E";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.StartsWith("-", StringComparison.Ordinal) ? Minus + text.Substring(1) : text;
    }
}
