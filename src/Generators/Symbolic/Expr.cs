using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// An immutable symbolic expression over <c>double</c>s. Equality is structural (constants compare by bit pattern,
/// so <c>0.0</c> and <c>-0.0</c> differ); the hash is computed once at construction and is deterministic across runs.
/// Build expressions with the static factories or operators: they simplify as they build (see <see cref="Simplifier"/>).
/// </summary>
public abstract class Expr : IEquatable<Expr>
{
    private readonly int hash;

    private protected Expr(ExprKind kind, Expr[] children, int payloadHash)
    {
        Children = children.Length == 0 ? Array.Empty<Expr>() : new ReadOnlyCollection<Expr>(children);
        var h = StableHash.Combine((int)kind + 0x3C6EF372, payloadHash);
        var height = 0;
        foreach (var child in children)
        {
            h = StableHash.Combine(h, child.hash);
            height = Math.Max(height, child.Height + 1);
        }

        hash = h;
        Height = height;
    }

    /// <summary>The nesting depth: 0 for leaves, else 1 + the greatest child height (computed once, at construction).</summary>
    internal int Height { get; }

    /// <summary>The kind of this node.</summary>
    public abstract ExprKind Kind { get; }

    /// <summary>The operands in order (empty for leaves).</summary>
    public IReadOnlyList<Expr> Children { get; }

    /// <summary>The constant <c>0</c>.</summary>
    public static Expr Zero { get; } = new ConstantExpr(0.0);

    /// <summary>The constant <c>1</c>.</summary>
    public static Expr One { get; } = new ConstantExpr(1.0);

    /// <summary>A numeric constant.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The constant node.</returns>
    public static Expr Constant(double value) => new ConstantExpr(value);

    /// <summary>A free variable, compared by name.</summary>
    /// <param name="name">The symbol's name.</param>
    /// <returns>The symbol node.</returns>
    public static Expr Symbol(string name) => new SymbolExpr(name);

    /// <summary>A reference to temporary <c>t{index}</c>; only produced by <see cref="CseProgram"/>.</summary>
    /// <param name="index">The temporary's number.</param>
    /// <returns>The temp node.</returns>
    public static Expr Temp(int index) => new TempExpr(index);

    /// <summary>Simplified <c>a + b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>The sum.</returns>
    public static Expr Add(Expr a, Expr b) => Simplifier.Add(a, b);

    /// <summary>Simplified <c>a − b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>The difference.</returns>
    public static Expr Subtract(Expr a, Expr b) => Simplifier.Subtract(a, b);

    /// <summary>Simplified <c>a · b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    /// <returns>The product.</returns>
    public static Expr Multiply(Expr a, Expr b) => Simplifier.Multiply(a, b);

    /// <summary>Simplified <c>a / b</c>.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    /// <returns>The quotient.</returns>
    public static Expr Divide(Expr a, Expr b) => Simplifier.Divide(a, b);

    /// <summary>Simplified <c>−a</c>.</summary>
    /// <param name="a">Operand.</param>
    /// <returns>The negation.</returns>
    public static Expr Negate(Expr a) => Simplifier.Negate(a);

    /// <summary>Simplified <c>Math.Pow(a, b)</c>.</summary>
    /// <param name="a">Base.</param>
    /// <param name="b">Exponent.</param>
    /// <returns>The power.</returns>
    public static Expr Pow(Expr a, Expr b) => Simplifier.Pow(a, b);

    /// <summary>Simplified call of a <see cref="MathFunction"/>.</summary>
    /// <param name="function">The function.</param>
    /// <param name="argument">Its argument.</param>
    /// <returns>The call.</returns>
    public static Expr Call(MathFunction function, Expr argument) => Simplifier.Call(function, argument);

    /// <summary>Simplified <c>Math.Max(a, b)</c>.</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    /// <returns>The maximum.</returns>
    public static Expr Max(Expr a, Expr b) => Simplifier.MaxMin(ExprKind.Max, a, b);

    /// <summary>Simplified <c>Math.Min(a, b)</c>.</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    /// <returns>The minimum.</returns>
    public static Expr Min(Expr a, Expr b) => Simplifier.MaxMin(ExprKind.Min, a, b);

    /// <summary>Simplified <c>(left OP right) ? whenTrue : whenFalse</c>.</summary>
    /// <param name="comparison">The comparison OP.</param>
    /// <param name="left">Left side of the comparison.</param>
    /// <param name="right">Right side of the comparison.</param>
    /// <param name="whenTrue">Value when the comparison holds.</param>
    /// <param name="whenFalse">Value otherwise (also when either side is NaN).</param>
    /// <returns>The conditional.</returns>
    public static Expr Conditional(Comparison comparison, Expr left, Expr right, Expr whenTrue, Expr whenFalse) =>
        Simplifier.Conditional(comparison, left, right, whenTrue, whenFalse);

    /// <summary>Same as <see cref="Constant"/> (named alternative of the implicit conversion).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The constant node.</returns>
    public static Expr FromDouble(double value) => Constant(value);

    /// <summary>Simplified <c>a + b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Expr operator +(Expr a, Expr b) => Add(a, b);

    /// <summary>Simplified <c>a − b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Expr operator -(Expr a, Expr b) => Subtract(a, b);

    /// <summary>Simplified <c>a · b</c>.</summary>
    /// <param name="a">Left operand.</param>
    /// <param name="b">Right operand.</param>
    public static Expr operator *(Expr a, Expr b) => Multiply(a, b);

    /// <summary>Simplified <c>a / b</c>.</summary>
    /// <param name="a">Dividend.</param>
    /// <param name="b">Divisor.</param>
    public static Expr operator /(Expr a, Expr b) => Divide(a, b);

    /// <summary>Simplified <c>−a</c>.</summary>
    /// <param name="a">Operand.</param>
    public static Expr operator -(Expr a) => Negate(a);

    /// <summary>A constant.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Expr(double value) => Constant(value);

    /// <summary>Whether this is a constant, and its value.</summary>
    /// <param name="value">The constant's value, or 0 when this is not a constant.</param>
    /// <returns><c>true</c> for a <see cref="ExprKind.Constant"/> node.</returns>
    public bool IsConstant(out double value)
    {
        if (this is ConstantExpr c)
        {
            value = c.Value;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Replaces every <c>Symbol(name)</c> for which <paramref name="symbolMap"/> returns non-null, re-simplifying.</summary>
    /// <param name="symbolMap">The replacement of a symbol, or <c>null</c> to keep it.</param>
    /// <returns>The substituted expression (this instance when nothing changed).</returns>
    public Expr Substitute(Func<string, Expr?> symbolMap)
    {
        if (symbolMap is null)
        {
            throw new ArgumentNullException(nameof(symbolMap));
        }

        var memo = new Dictionary<Expr, Expr>(ReferenceComparer.Instance);
        foreach (var e in Dag.PostOrder(this))
        {
            Expr result;
            if (e is SymbolExpr s)
            {
                result = symbolMap(s.Name) ?? e;
            }
            else
            {
                var children = new Expr[e.Children.Count];
                var changed = false;
                for (var i = 0; i < children.Length; i++)
                {
                    children[i] = memo[e.Children[i]];
                    changed |= !ReferenceEquals(children[i], e.Children[i]);
                }

                result = changed ? e.Rebuild(children) : e;
            }

            memo[e] = result;
        }

        return memo[this];
    }

    /// <summary>The free symbol names, in order of first occurrence (depth first, left to right).</summary>
    /// <returns>The distinct names.</returns>
    public IReadOnlyCollection<string> Symbols()
    {
        var names = new List<string>();
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Expr>(ReferenceComparer.Instance);
        var stack = new Stack<Expr>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e))
            {
                continue;
            }

            if (e is SymbolExpr s && seenNames.Add(s.Name))
            {
                names.Add(s.Name);
            }

            for (var i = e.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(e.Children[i]);
            }
        }

        return names;
    }

    /// <summary>
    /// Evaluates with the semantics of C# <c>double</c> code using <c>System.Math</c> and <c>?:</c>
    /// (a <see cref="ExprKind.Power"/> node is <c>Math.Pow</c>). Temporaries are not allowed.
    /// </summary>
    /// <param name="symbolValue">The value of each symbol.</param>
    /// <returns>The value.</returns>
    public double Evaluate(Func<string, double> symbolValue) => ExprEvaluator.Evaluate(this, symbolValue, null);

    /// <summary>Evaluates like <see cref="Evaluate(Func{string, double})"/>, giving values to temporaries too.</summary>
    /// <param name="symbolValue">The value of each symbol.</param>
    /// <param name="tempValue">The value of each temporary <c>t{index}</c>.</param>
    /// <returns>The value.</returns>
    public double Evaluate(Func<string, double> symbolValue, Func<int, double>? tempValue) =>
        ExprEvaluator.Evaluate(this, symbolValue, tempValue);

    /// <inheritdoc/>
    public bool Equals(Expr? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || !ShallowEquals(this, other))
        {
            return false;
        }

        if (Children.Count == 0)
        {
            return true;
        }

        // Small trees (every ordinary model's) are compared by a bounded recursion that allocates nothing; past
        // SmallCompareBudget pairs or SmallCompareDepth levels, the memoised iterative comparison takes over (linear
        // in the DAG size at any depth), so the fast path adds at most a constant.
        int budget = SmallCompareBudget;
        return SmallEquals(this, other, 0, ref budget) switch
        {
            1 => true,
            0 => false,
            _ => DeepEquals(this, other),
        };
    }

    /// <summary>The most node pairs the allocation-free comparison visits before giving up.</summary>
    private const int SmallCompareBudget = 512;

    /// <summary>The deepest the allocation-free comparison recurses before giving up.</summary>
    private const int SmallCompareDepth = 48;

    /// <summary>Structural equality of two shallow-equal nodes by recursion within a budget: 1 equal, 0 not, −1 gave up.</summary>
    private static int SmallEquals(Expr a, Expr b, int depth, ref int budget)
    {
        if (depth > SmallCompareDepth)
        {
            return -1;
        }

        for (var i = 0; i < a.Children.Count; i++)
        {
            var ca = a.Children[i];
            var cb = b.Children[i];
            if (ReferenceEquals(ca, cb))
            {
                continue;
            }

            if (--budget < 0)
            {
                return -1;
            }

            if (!ShallowEquals(ca, cb))
            {
                return 0;
            }

            if (ca.Children.Count != 0)
            {
                int inner = SmallEquals(ca, cb, depth + 1, ref budget);
                if (inner != 1)
                {
                    return inner;
                }
            }
        }

        return 1;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Expr e && Equals(e);

    /// <inheritdoc/>
    public override int GetHashCode() => hash;

    /// <summary>The readable formula, <see cref="FormulaPrinter.Print(Expr)"/>.</summary>
    /// <returns>The formula.</returns>
    public override string ToString() => FormulaPrinter.Print(this);

    /// <summary>Same hash, kind, arity and payload.</summary>
    private static bool ShallowEquals(Expr a, Expr b) =>
        a.hash == b.hash && a.Kind == b.Kind && a.Children.Count == b.Children.Count && a.PayloadEquals(b);

    /// <summary>
    /// Structural equality of two shallow-equal nodes, iteratively (no recursion, so any depth is safe) and
    /// memoised per pair of references, so shared subtrees of a DAG are compared once: linear in the DAG size.
    /// </summary>
    private static bool DeepEquals(Expr a, Expr b)
    {
        var stack = new Stack<KeyValuePair<Expr, Expr>>();
        HashSet<KeyValuePair<Expr, Expr>>? done = null;
        stack.Push(new KeyValuePair<Expr, Expr>(a, b));
        while (stack.Count > 0)
        {
            var pair = stack.Pop();
            var x = pair.Key;
            var y = pair.Value;
            for (var i = 0; i < x.Children.Count; i++)
            {
                var cx = x.Children[i];
                var cy = y.Children[i];
                if (ReferenceEquals(cx, cy))
                {
                    continue;
                }

                if (!ShallowEquals(cx, cy))
                {
                    return false;
                }

                if (cx.Children.Count == 0)
                {
                    continue;
                }

                done ??= new HashSet<KeyValuePair<Expr, Expr>>(PairComparer.Instance);
                var child = new KeyValuePair<Expr, Expr>(cx, cy);
                if (done.Add(child))
                {
                    stack.Push(child);
                }
            }
        }

        return true;
    }

    /// <summary>Whether the non-child data (value, name, index, function, comparison) equals <paramref name="other"/>'s.</summary>
    /// <param name="other">A node of the same kind.</param>
    /// <returns>Whether the payloads are equal.</returns>
    private protected abstract bool PayloadEquals(Expr other);

    /// <summary>The same node with new children, re-simplified through the smart constructors.</summary>
    /// <param name="children">The new children.</param>
    /// <returns>The rebuilt node.</returns>
    internal abstract Expr Rebuild(Expr[] children);

    /// <summary>The same node with new children, exactly as given (no simplification).</summary>
    /// <param name="children">The new children.</param>
    /// <returns>The rebuilt node.</returns>
    internal abstract Expr RebuildRaw(Expr[] children);

    /// <summary>Reference identity of pairs of nodes.</summary>
    private sealed class PairComparer : IEqualityComparer<KeyValuePair<Expr, Expr>>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(KeyValuePair<Expr, Expr> x, KeyValuePair<Expr, Expr> y) =>
            ReferenceEquals(x.Key, y.Key) && ReferenceEquals(x.Value, y.Value);

        public int GetHashCode(KeyValuePair<Expr, Expr> obj) =>
            (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Key) * 31) + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Value);
    }
}
