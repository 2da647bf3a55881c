using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>Finite-difference checking, random expressions and a CSE-program evaluator shared by the symbolic tests.</summary>
internal static class SymbolicTestKit
{
    public static readonly Expr X = Expr.Symbol("x");
    public static readonly Expr Y = Expr.Symbol("y");
    public static readonly Expr Z = Expr.Symbol("z");

    /// <summary>
    /// Central difference (f(v+h) − f(v−h)) / 2h with h = 1e-6·max(1, |v|). Its error is about h²/6·|f'''| (truncation)
    /// + eps·|f|/h ≈ 2e-10·|f| (rounding), so we accept |d − fd| ≤ 1e-6·(1 + |d| + |f|), far above both for the
    /// moderate values sampled, and far below any wrong rule (which is off by O(1)·|d|).
    /// </summary>
    public static bool DerivativeMatches(Expr f, Expr derivative, string wrt, IReadOnlyDictionary<string, double> point, out string detail)
    {
        var v = point[wrt];
        var h = 1e-6 * Math.Max(1.0, Math.Abs(v));
        var plus = f.Evaluate(Shift(point, wrt, v + h));
        var minus = f.Evaluate(Shift(point, wrt, v - h));
        var fd = (plus - minus) / (2 * h);
        var d = derivative.Evaluate(s => point[s]);
        var fx = f.Evaluate(s => point[s]);
        var tolerance = 1e-6 * (1 + Math.Abs(d) + Math.Abs(fx));
        var ok = Math.Abs(d - fd) <= tolerance;
        detail = ok ? "" : $"f = {f}, d/d{wrt} = {derivative}, at {string.Join(", ", point.Select(p => $"{p.Key}={p.Value:R}"))}: symbolic {d:R}, FD {fd:R}";
        return ok;
    }

    /// <summary>Whether f and its derivative are finite and moderate at the point and at ±h (so FD is meaningful).</summary>
    public static bool IsWellBehaved(Expr f, Expr derivative, string wrt, IReadOnlyDictionary<string, double> point)
    {
        var v = point[wrt];
        var h = 1e-6 * Math.Max(1.0, Math.Abs(v));
        double[] values =
        {
            f.Evaluate(s => point[s]), f.Evaluate(Shift(point, wrt, v + h)), f.Evaluate(Shift(point, wrt, v - h)),
            derivative.Evaluate(s => point[s]),
        };
        return values.All(x => double.IsFinite(x) && Math.Abs(x) < 1e6);
    }

    public static Func<string, double> Shift(IReadOnlyDictionary<string, double> point, string wrt, double value) =>
        s => s == wrt ? value : point[s];

    /// <summary>Runs a CSE program the way generated code would: temps in order, each seeing only earlier temps.</summary>
    public static double[] Run(CseProgram program, Func<string, double> symbols)
    {
        var temps = new double[program.Temps.Count];
        for (var i = 0; i < temps.Length; i++)
        {
            Assert.Equal(i, program.Temps[i].Index);
            var limit = i;
            temps[i] = program.Temps[i].Value.Evaluate(symbols, k => k < limit ? temps[k] : throw new InvalidOperationException($"t{limit} uses t{k}"));
        }

        return program.Outputs.Select(o => o.Evaluate(symbols, k => temps[k])).ToArray();
    }

    /// <summary>
    /// A random expression over the given symbols using every operation, with safe domains: logs, square roots and
    /// general powers get positive arguments (u² + 0.5), acos gets 0.8·tanh(u), divisors are u² + 0.5.
    /// </summary>
    public static Expr RandomExpr(Random r, int depth, string[] symbols)
    {
        if (depth == 0 || r.NextDouble() < 0.15)
        {
            return r.NextDouble() < 0.75 ? Expr.Symbol(symbols[r.Next(symbols.Length)]) : Expr.Constant(Math.Round((r.NextDouble() * 6) - 3, 1));
        }

        Expr Sub() => RandomExpr(r, depth - 1, symbols);
        Expr Positive() => Expr.Add(Expr.Pow(Sub(), 2.0), 0.5);
        return r.Next(22) switch
        {
            0 => Sub() + Sub(),
            1 => Sub() - Sub(),
            2 => Sub() * Sub(),
            3 => Sub() / Positive(),
            4 => -Sub(),
            5 => Expr.Call(MathFunction.Exp, Expr.Call(MathFunction.Sin, Sub()) * 2.0),
            6 => Expr.Call(MathFunction.Log, Positive()),
            7 => Expr.Call(MathFunction.Sqrt, Positive()),
            8 => Expr.Call(MathFunction.Tanh, Sub()),
            9 => Expr.Call(MathFunction.Sin, Sub()),
            10 => Expr.Call(MathFunction.Cos, Sub()),
            11 => Expr.Call(MathFunction.Abs, Sub()),
            12 => Expr.Call(MathFunction.Acos, 0.8 * Expr.Call(MathFunction.Tanh, Sub())),
            13 => Expr.Call(MathFunction.Atan, Sub()),
            14 => Expr.Pow(Sub(), (double)r.Next(2, 5)),
            15 => Expr.Pow(Positive(), 1.5),
            16 => Expr.Pow(Positive(), Expr.Call(MathFunction.Sin, Sub())),
            17 => Expr.Max(Sub(), Sub()),
            18 => Expr.Min(Sub(), Sub()),
            19 => Expr.Conditional((Comparison)r.Next(4), Sub(), Sub(), Sub(), Sub()),
            20 => Expr.Call(MathFunction.Exp, Sub()),
            _ => Expr.Pow(Positive(), -2.0),
        };
    }

    public static Dictionary<string, double> RandomPoint(Random r, IEnumerable<string> symbols, double lo, double hi) =>
        symbols.ToDictionary(s => s, _ => lo + ((hi - lo) * r.NextDouble()));

    public static bool SameDouble(double a, double b) => a.Equals(b);
}
