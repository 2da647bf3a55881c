using System;
using System.Collections.Generic;
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

        return Print(e, null);
    }

    /// <summary>Prints the formula, writing each node that has a name in <paramref name="names"/> (other than the root) as that name.</summary>
    /// <param name="e">The expression.</param>
    /// <param name="names">Names of shared subexpressions, by reference, or null.</param>
    /// <returns>The formula text.</returns>
    internal static string Print(Expr e, IReadOnlyDictionary<Expr, string>? names)
    {
        var sb = new StringBuilder();
        new Writer(sb, names, e).Write(e, 0, false, 0);
        return sb.ToString();
    }

    /// <summary>The lower-case names of the functions, by value (computed once, not per printed call).</summary>
    private static readonly string[] FunctionNames = BuildFunctionNames();

    private static string[] BuildFunctionNames()
    {
        var values = (MathFunction[])Enum.GetValues(typeof(MathFunction));
        int count = 0;
        foreach (var value in values)
        {
            count = Math.Max(count, (int)value + 1);
        }

        var names = new string[count];
        foreach (var value in values)
        {
            names[(int)value] = value.ToString().ToLowerInvariant();
        }

        return names;
    }

    private static string FunctionName(MathFunction function)
    {
        int index = (int)function;
        return index >= 0 && index < FunctionNames.Length && FunctionNames[index] is { } name
            ? name
            : function.ToString().ToLowerInvariant();
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

    private sealed class Writer
    {
        private readonly StringBuilder sb;
        private readonly IReadOnlyDictionary<Expr, string>? names;
        private readonly Expr root;

        public Writer(StringBuilder sb, IReadOnlyDictionary<Expr, string>? names, Expr root)
        {
            this.sb = sb;
            this.names = names;
            this.root = root;
        }

        public void Write(Expr e, int min, bool rightOperand, int depth)
        {
            StackGuard.Check("print", depth);
            if (names is not null && !ReferenceEquals(e, root) && names.TryGetValue(e, out var name))
            {
                sb.Append(name);
                return;
            }

            var precedence = Precedence(e);
            var parenthesise = precedence < min || (rightOperand && precedence == Unary);
            if (parenthesise)
            {
                sb.Append('(');
            }

            WriteBare(e, depth);
            if (parenthesise)
            {
                sb.Append(')');
            }
        }

        private void WriteBare(Expr e, int depth)
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
                    Write(f.Argument, 0, false, depth + 1);
                    sb.Append('|');
                    return;
                case FunctionExpr f:
                    sb.Append(FunctionName(f.Function)).Append('(');
                    Write(f.Argument, 0, false, depth + 1);
                    sb.Append(')');
                    return;
                case ConditionalExpr q:
                    sb.Append('(');
                    Write(q.Left, Additive, false, depth + 1);
                    sb.Append(q.Comparison switch
                    {
                        Comparison.Less => " < ",
                        Comparison.LessOrEqual => " \u2264 ",
                        Comparison.Greater => " > ",
                        _ => " \u2265 ",
                    });
                    Write(q.Right, Additive, false, depth + 1);
                    sb.Append(" ? ");
                    Write(q.WhenTrue, 0, false, depth + 1);
                    sb.Append(" : ");
                    Write(q.WhenFalse, 0, false, depth + 1);
                    sb.Append(')');
                    return;
            }

            var a = e.Children[0];
            switch (e.Kind)
            {
                case ExprKind.Negate:
                    sb.Append(Minus);
                    Write(a, Multiplicative, true, depth + 1);
                    return;
                case ExprKind.Add:
                    Binary(a, " + ", e.Children[1], Additive, Additive, depth);
                    return;
                case ExprKind.Subtract:
                    Binary(a, " \u2212 ", e.Children[1], Additive, Multiplicative, depth);
                    return;
                case ExprKind.Multiply:
                    Binary(a, "\u00B7", e.Children[1], Multiplicative, Unary, depth);
                    return;
                case ExprKind.Divide:
                    Binary(a, " / ", e.Children[1], Multiplicative, Unary, depth);
                    return;
                case ExprKind.Power:
                    Write(a, Atom, false, depth + 1);
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
                        Write(e.Children[1], Atom, false, depth + 1);
                    }

                    return;
                case ExprKind.Max:
                case ExprKind.Min:
                    sb.Append(e.Kind == ExprKind.Max ? "max(" : "min(");
                    Write(a, 0, false, depth + 1);
                    sb.Append(", ");
                    Write(e.Children[1], 0, false, depth + 1);
                    sb.Append(')');
                    return;
                default:
                    throw new InvalidOperationException($"Cannot print {e.Kind}.");
            }
        }

        private void Binary(Expr a, string op, Expr b, int leftMin, int rightMin, int depth)
        {
            Write(a, leftMin, false, depth + 1);
            sb.Append(op);
            Write(b, rightMin, true, depth + 1);
        }
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
