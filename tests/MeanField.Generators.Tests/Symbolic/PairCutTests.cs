using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The cut of a unit's gradient (specs/performance.md §5, "What the cache keeps"): the function calls of the pair
/// channels the cached schedule keeps per pair, found where they pay, refused where the gradient still needs the
/// pair channels, and the gradient from them bit-identical to the gradient from the pair channels.
/// </summary>
public class PairCutTests
{
    private static readonly Expr C = Expr.Symbol("c");
    private static readonly Expr B = Expr.Symbol("b");
    private static readonly Expr W = Expr.Symbol("w·x");
    private static readonly Expr V = Expr.Symbol("v·x");

    [Fact]
    public void A_tanh_unit_keeps_its_tanh()
    {
        var cut = Find(C * Expr.Call(MathFunction.Tanh, B + W), ["c", "b", "w·x"], ["w·x"]);

        Assert.NotNull(cut);
        Assert.Equal(Expr.Call(MathFunction.Tanh, B + W), Assert.Single(cut!.Values));
        Assert.DoesNotContain(cut.Gradient, g => ContainsFunction(g));
    }

    [Fact]
    public void A_relu_unit_has_no_call_to_keep()
    {
        Assert.Null(Find(C * Expr.Max(Expr.Zero, B + W), ["c", "b", "w·x"], ["w·x"]));
    }

    [Fact]
    public void Softplus_needs_two_calls_of_one_channel_and_keeps_the_channel()
    {
        // ∂/∂c = softplus(b + z), ∂/∂z = c·logistic(b + z): two values for one cache slot.
        Assert.Null(Find(C * Expr.Call(MathFunction.Log, 1.0 + Expr.Call(MathFunction.Exp, B + W)), ["c", "b", "w·x"], ["w·x"]));
    }

    [Fact]
    public void A_gradient_that_reads_the_channel_outside_the_call_keeps_the_channel()
    {
        // ∂(z·tanh z)/∂z = tanh z + z(1 − tanh² z) reads z itself.
        Assert.Null(Find(W * Expr.Call(MathFunction.Tanh, W), ["w·x"], ["w·x"]));
    }

    [Fact]
    public void Two_channels_keep_one_call_each()
    {
        var cut = Find(C * Expr.Call(MathFunction.Tanh, W) * Expr.Call(MathFunction.Exp, V), ["c", "w·x", "v·x"], ["w·x", "v·x"]);

        Assert.NotNull(cut);
        Assert.Equal(2, cut!.Values.Count);
    }

    [Fact]
    public void A_call_of_the_parameters_alone_is_not_kept()
    {
        // exp(b) does not depend on the pair: it is computed from the inputs, and the cut is tanh(w·x) alone.
        var cut = Find(Expr.Call(MathFunction.Exp, B) * Expr.Call(MathFunction.Tanh, W), ["b", "w·x"], ["w·x"]);

        Assert.Equal(Expr.Call(MathFunction.Tanh, W), Assert.Single(cut!.Values));
    }

    /// <summary>
    /// Random units over (a, b, z) — plain random expressions, and ridge-like ones P·f(Q + z) + R with P, Q, R random in
    /// (a, b) and f a random call, most of which have a cut: wherever a cut is found, the gradient from the kept values equals the gradient from
    /// the pair channel bit for bit (NaN included), and the forward program's value equals the unit's program's.
    /// </summary>
    [Fact]
    public void Gradient_from_the_cut_has_the_bits_of_the_gradient_from_the_channels()
    {
        var random = new Random(2026);
        string[] symbols = ["a", "b", "z"];
        int found = 0;
        MathFunction[] calls = [MathFunction.Tanh, MathFunction.Exp, MathFunction.Atan, MathFunction.Sin];
        for (int k = 0; k < 600; k++)
        {
            var unit = k % 2 == 0 ? RandomExpr(random, 4, symbols)
                : (RandomExpr(random, 2, ["a", "b"]) * Expr.Call(calls[random.Next(calls.Length)], RandomExpr(random, 2, ["a", "b"]) + Z))
                    + RandomExpr(random, 2, ["a", "b"]);
            var gradient = DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols));
            var cut = PairCut.Find(gradient, ["z"]);
            if (cut is null)
            {
                continue;
            }

            found++;
            var full = CseProgram.Build(gradient);
            var fromCut = CseProgram.Build(cut.Gradient);
            var forward = CseProgram.Build(DivisionReduction.Apply([unit]).Concat(cut.Values).ToArray());
            var value = CseProgram.BuildForCode([unit]);
            for (int p = 0; p < 5; p++)
            {
                var point = RandomPoint(random, symbols, -2, 2);
                var kept = Run(forward, s => point[s]);
                double[] expected = Run(full, s => point[s]);
                double[] actual = Run(fromCut, s => s == "z" ? kept[1] : point[s]);
                Assert.True(SameDouble(Run(value, s => point[s])[0], kept[0]), $"value of {unit}");
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(SameDouble(expected[i], actual[i]), $"∂/∂{symbols[i]} of {unit} at {string.Join(", ", point)}: {expected[i]} vs {actual[i]}");
                }
            }
        }

        Assert.True(found >= 100, $"only {found} of 600 random units had a cut: the property was hardly exercised");
    }

    private static PairCut? Find(Expr unit, string[] symbols, string[] pairs) =>
        PairCut.Find(DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols)), pairs);

    private static bool ContainsFunction(Expr e) => e.Kind == ExprKind.Function || e.Children.Any(ContainsFunction);
}
