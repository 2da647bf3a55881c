using MeanField.Generators.Games;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Tests.Games;

/// <summary>
/// <see cref="GameScheme"/> on random Hamiltonians built directly in the IR (no Roslyn): H = ½a(x)(p − b(x, m))² ·k +
/// V(x, m) with a &gt; 0 a random positive function of x, b a random drift and V a random source and coupling, in 1-D
/// and (separable, per axis) 2-D. For each, the generated Ĥ must be consistent (Ĥ(x, p, p, m) = H(x, p, m)), monotone
/// (∂Ĥ/∂p⁻_k ≥ 0 ≥ ∂Ĥ/∂p⁺_k, exact signs at random points), and the minimiser p* must zero ∂H/∂p_k.
/// Tolerances: Ĥ and H are evaluated by the same double arithmetic in a different order; their terms are O(10), so
/// 10⁻¹² relative + 10⁻¹² absolute is ~50 ulps of the largest term.
/// </summary>
public sealed class GameSchemeTests
{
    private static readonly string[] X1 = ["x"], P1 = ["p"], X2 = ["x", "y"], P2 = ["px", "py"];

    private static Expr S(string name) => Expr.Symbol(name);

    /// <summary>A random smooth function of one position coordinate and m: sums of c·sin/cos(2πk·x), c·m, c·log(m), c·m².</summary>
    private static Expr RandomFunction(Random random, string x, string m, bool positive)
    {
        Expr f = Expr.Constant(positive ? 2 + random.NextDouble() : (2 * random.NextDouble()) - 1);
        for (int t = 0; t < 3; t++)
        {
            double c = positive ? 0.5 * random.NextDouble() : (2 * random.NextDouble()) - 1;
            var arg = Expr.Constant(2 * Math.PI * (1 + random.Next(3))) * S(x);
            f += Expr.Constant(c) * Expr.Call(random.Next(2) == 0 ? MathFunction.Sin : MathFunction.Cos, arg);
        }

        if (!positive)
        {
            f += random.Next(3) switch
            {
                0 => Expr.Constant(random.NextDouble()) * S(m),
                1 => Expr.Constant(random.NextDouble()) * Expr.Call(MathFunction.Log, S(m)),
                _ => Expr.Constant(random.NextDouble()) * S(m) * S(m),
            };
        }

        return f;
    }

    private static Expr RandomHamiltonian(Random random, string[] x, string[] p, out Expr[] drift)
    {
        Expr h = RandomFunction(random, x[0], "m", positive: false);
        drift = new Expr[p.Length];
        for (int k = 0; k < p.Length; k++)
        {
            var a = RandomFunction(random, x[k], "m", positive: true);        // ≥ 2 − 1.5 > 0
            drift[k] = RandomFunction(random, x[k], "m", positive: false);
            var shifted = S(p[k]) - drift[k];
            h += Expr.Constant(0.5) * a * shifted * shifted;
        }

        return h;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomQuadraticHamiltoniansGiveConsistentMonotoneSchemes(int d)
    {
        var random = new Random(100 + d);
        string[] x = d == 1 ? X1 : X2, p = d == 1 ? P1 : P2;
        string[] pm = p.Select(n => n + "⁻").ToArray(), pp = p.Select(n => n + "⁺").ToArray();
        for (int model = 0; model < 40; model++)
        {
            var h = RandomHamiltonian(random, x, p, out var drift);
            Assert.Null(GameScheme.Separable(h, p));
            var minimisers = GameScheme.Minimisers(h, x, p, "m", out string? problem);
            Assert.True(minimisers is not null, problem);
            var numerical = GameScheme.NumericalHamiltonian(h, p, minimisers!, pm, pp);
            var slopes = pm.Concat(pp).Select(v => Differentiation.Derivative(numerical, v)).ToArray();
            for (int point = 0; point < 25; point++)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["m"] = 0.05 + (3 * random.NextDouble()) };
                foreach (string a in x)
                {
                    values[a] = random.NextDouble();
                }

                for (int k = 0; k < d; k++)
                {
                    values[p[k]] = (8 * random.NextDouble()) - 4;
                    values[pm[k]] = (8 * random.NextDouble()) - 4;
                    values[pp[k]] = (8 * random.NextDouble()) - 4;
                }

                // p* is the drift (where ∂H/∂p_k = 0).
                for (int k = 0; k < d; k++)
                {
                    Assert.True(Math.Abs(minimisers![k].Evaluate(v => values[v]) - drift[k].Evaluate(v => values[v])) <= 1e-12 * 10, $"model {model}: p*_{k}");
                }

                // Consistency: Ĥ(p, p) = H(p).
                var same = new Dictionary<string, double>(values);
                for (int k = 0; k < d; k++)
                {
                    same[pm[k]] = same[pp[k]] = values[p[k]];
                }

                double hValue = h.Evaluate(v => values[v]);
                double consistent = numerical.Evaluate(v => same[v]);
                Assert.True(Math.Abs(consistent - hValue) <= 1e-12 * (1 + Math.Abs(hValue)), $"model {model}: Ĥ(p, p) = {consistent}, H(p) = {hValue}");

                // Monotone: non-decreasing in p⁻, non-increasing in p⁺.
                for (int k = 0; k < d; k++)
                {
                    Assert.True(slopes[k].Evaluate(v => values[v]) >= 0, $"model {model}: ∂Ĥ/∂{pm[k]} < 0");
                    Assert.True(slopes[d + k].Evaluate(v => values[v]) <= 0, $"model {model}: ∂Ĥ/∂{pp[k]} > 0");
                }
            }
        }
    }

    /// <summary>The Legendre transform of L = c + b v + ½ a v² is (p + b)²/(2a) − c: checked at random points for random a &gt; 0, b, c.</summary>
    [Fact]
    public void LegendreTransformOfRandomQuadraticLagrangians()
    {
        var random = new Random(7);
        for (int model = 0; model < 40; model++)
        {
            var a = RandomFunction(random, "x", "m", positive: true);
            var b = RandomFunction(random, "x", "m", positive: false);
            var c = RandomFunction(random, "x", "m", positive: false);
            var lagrangian = c + (b * S("v")) + (Expr.Constant(0.5) * a * S("v") * S("v"));
            var h = GameScheme.Legendre(lagrangian, ["v"], ["p"], X1, "m", out string? problem);
            Assert.True(h is not null, problem);
            for (int point = 0; point < 20; point++)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal) { ["x"] = random.NextDouble(), ["m"] = 0.1 + random.NextDouble(), ["p"] = (6 * random.NextDouble()) - 3 };
                double av = a.Evaluate(v => values[v]), bv = b.Evaluate(v => values[v]), cv = c.Evaluate(v => values[v]);
                double expected = ((values["p"] + bv) * (values["p"] + bv) / (2 * av)) - cv;
                double actual = h!.Evaluate(v => values[v]);
                Assert.True(Math.Abs(actual - expected) <= 1e-12 * (1 + Math.Abs(expected)), $"model {model}: H = {actual}, expected {expected}");

                // sup_v [−pv − L] is attained at v* = −(p + b)/a: a brute-force check that no nearby v does better.
                double vStar = -(values["p"] + bv) / av;
                foreach (double dv in new[] { -1e-3, 1e-3, -0.5, 0.5 })
                {
                    double v = vStar + dv;
                    double payoff = (-values["p"] * v) - (cv + (bv * v) + (0.5 * av * v * v));
                    Assert.True(payoff <= expected + 1e-12, $"model {model}: v = {v} beats the supremum");
                }
            }
        }
    }
}
