using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// Issue 7, differential test: random expressions that compose singular functions (sqrt, log, pow with exponent
/// &lt; 1, acos, division) with kinks (max, min, |·|, ?:), differentiated symbolically and compared with central
/// finite differences. Asserts (1) the derivative is never NaN where the function is finite at the point and
/// around it; (2) away from kinks (no comparison in the expression changes outcome within ±h) and where the
/// function is smooth enough for differences to be meaningful, it agrees with them. Both where every
/// subexpression on the active path (selected branches of ?:) is finite: the scope of the guarantee in
/// specs/networks.md §5.
/// </summary>
public sealed class KinkedRandomExpressionTests
{
    private const int Seeds = 1_500;
    private static readonly string[] Symbols = { "x", "y" };

    [Fact]
    public void Derivatives_of_kinked_compositions_are_finite_and_match_finite_differences_away_from_kinks()
    {
        int compared = 0, finiteChecked = 0;
        var failures = new List<string>();
        for (int seed = 0; seed < Seeds; seed++)
        {
            var r = new Random(seed);
            var f = Kinked(r, 3);
            var d = Differentiation.Derivative(f, "x");
            for (int p = 0; p < 3; p++)
            {
                var point = RandomPoint(r, Symbols, -2, 2);
                if (r.NextDouble() < 0.2)
                {
                    point["x"] = 0.0; // right on many kinks and clamps
                }

                var v = point["x"];
                var h = 1e-6 * Math.Max(1.0, Math.Abs(v));
                double at = f.Evaluate(s => point[s]), plus = f.Evaluate(Shift(point, "x", v + h)), minus = f.Evaluate(Shift(point, "x", v - h));
                if (!double.IsFinite(at) || !double.IsFinite(plus) || !double.IsFinite(minus))
                {
                    continue;
                }

                // The guarantee is for points where every subexpression on the active path is finite: an infinite
                // intermediate (1/0 inside a finite tanh, say) has no finite chain rule.
                if (!ActivePathFinite(f, s => point[s]))
                {
                    continue;
                }

                finiteChecked++;
                var slope = d.Evaluate(s => point[s]);
                if (double.IsNaN(slope))
                {
                    failures.Add($"seed {seed}: NaN derivative of finite f = {f} at x = {v:R}, y = {point["y"]:R}");
                    continue;
                }

                if (!SameBranches(f, point, v, h) || !Smooth(f, point, v, h) || !IsWellBehaved(f, d, "x", point))
                {
                    continue;
                }

                compared++;
                if (!DerivativeMatches(f, d, "x", point, out var detail))
                {
                    failures.Add($"seed {seed}: {detail}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(10)));

        // The sample must be meaningful: most points checked for finiteness, a large share compared with differences.
        Assert.True(finiteChecked > Seeds, $"only {finiteChecked} finite points");
        Assert.True(compared > Seeds / 2, $"only {compared} points compared with finite differences");
    }

    /// <summary>A random expression composing singular functions with kinks.</summary>
    private static Expr Kinked(Random r, int depth)
    {
        if (depth == 0 || r.NextDouble() < 0.15)
        {
            return r.NextDouble() < 0.8 ? Expr.Symbol(Symbols[r.Next(Symbols.Length)]) : Expr.Constant(Math.Round((r.NextDouble() * 4) - 2, 1));
        }

        Expr Sub() => Kinked(r, depth - 1);
        Expr Clamped() => r.Next(3) switch
        {
            0 => Expr.Max(Sub(), 0.0),
            1 => -Expr.Min(Sub(), 0.0),
            _ => Expr.Conditional(Comparison.Greater, Sub(), 0.0, Sub(), 0.0),
        };
        return r.Next(16) switch
        {
            0 => Sub() + Sub(),
            1 => Sub() * Sub(),
            2 => Sub() - Sub(),
            3 => Expr.Call(MathFunction.Tanh, Sub()),
            4 => Expr.Call(MathFunction.Sqrt, Clamped()),
            5 => Expr.Pow(Clamped(), new[] { 0.3, 0.5, 1.5, 2.0 }[r.Next(4)]),
            6 => Expr.Call(MathFunction.Log, Clamped()),
            7 => Expr.Call(MathFunction.Acos, Expr.Min(Expr.Max(Sub(), -1.0), 1.0)),
            8 => Expr.Max(Expr.Call(MathFunction.Sqrt, Sub() * Sub()), 1.0),
            9 => Expr.Call(MathFunction.Sqrt, Expr.Max((Sub() * Sub()) - 1.0, 0.0)),
            10 => Expr.Divide(1.0, Clamped()),
            11 => Expr.Call(MathFunction.Abs, Sub()),
            12 => Expr.Conditional((Comparison)r.Next(4), Sub(), Sub(), Sub(), Sub()),
            13 => Expr.Pow(Clamped(), 1.0 + (Sub() * Sub())),
            14 => Expr.Call(MathFunction.Exp, Expr.Call(MathFunction.Sin, Sub())),
            _ => Expr.Call(MathFunction.Acos, Expr.Call(MathFunction.Tanh, Sub())),
        };
    }

    /// <summary>Whether every node the value depends on at the point (selected branches only) is finite.</summary>
    private static bool ActivePathFinite(Expr f, Func<string, double> at)
    {
        var stack = new Stack<Expr>();
        stack.Push(f);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!double.IsFinite(node.Evaluate(at)))
            {
                return false;
            }

            if (node is ConditionalExpr q)
            {
                stack.Push(q.Left);
                stack.Push(q.Right);
                stack.Push(ConditionalExpr.Holds(q.Comparison, q.Left.Evaluate(at), q.Right.Evaluate(at)) ? q.WhenTrue : q.WhenFalse);
                continue;
            }

            foreach (var child in node.Children)
            {
                stack.Push(child);
            }
        }

        return true;
    }

    /// <summary>Whether every comparison (max, min, |·|, ?:) has the same outcome, strictly, at v − h, v and v + h.</summary>
    private static bool SameBranches(Expr f, Dictionary<string, double> point, double v, double h)
    {
        var pieces = new List<(Expr Left, Expr Right)>();
        foreach (var node in Dag.PostOrder(f))
        {
            switch (node)
            {
                case ConditionalExpr q:
                    pieces.Add((q.Left, q.Right));
                    break;
                case FunctionExpr { Function: MathFunction.Abs } a:
                    pieces.Add((a.Argument, Expr.Zero));
                    break;
                case OperationExpr { Kind: ExprKind.Max or ExprKind.Min } m:
                    pieces.Add((m.Children[0], m.Children[1]));
                    break;
            }
        }

        foreach (var (left, right) in pieces)
        {
            var signs = new[] { v - h, v, v + h }.Select(x =>
            {
                Func<string, double> at = Shift(point, "x", x);
                double l = left.Evaluate(at), r = right.Evaluate(at);
                return l > r ? 1 : l < r ? -1 : 0; // a tie or a NaN side counts as "on the kink"
            }).ToArray();
            if (signs.Any(s => s == 0) || signs.Distinct().Count() > 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether differences with steps h and h/2 agree (to the tolerance DerivativeMatches uses): otherwise the point is
    /// too close to a singularity (e.g. sqrt just above 0) for a finite difference to be a reference.
    /// </summary>
    private static bool Smooth(Expr f, Dictionary<string, double> point, double v, double h)
    {
        double Fd(double step) => (f.Evaluate(Shift(point, "x", v + step)) - f.Evaluate(Shift(point, "x", v - step))) / (2 * step);
        double a = Fd(h), b = Fd(h / 2);
        return double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= 1e-7 * (1 + Math.Abs(a) + Math.Abs(f.Evaluate(s => point[s])));
    }
}
