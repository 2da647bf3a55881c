using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The cut of a unit's gradient (specs/performance.md §4, "What the cache keeps"): the function calls of the pair
/// channels the cached schedule keeps per pair, with the arithmetic of the pair channels the gradient reads beside them,
/// found where they pay (each plane beyond the P pair channels saves a call), refused where they do not, and the gradient
/// from them bit-identical to the gradient from the pair channels.
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
    public void Softplus_keeps_its_two_calls_in_two_planes()
    {
        // ∂/∂c = softplus(b + z), ∂/∂z = c·logistic(b + z): two values for one pair channel, each saving a call.
        var cut = Find(C * Expr.Call(MathFunction.Log, 1.0 + Expr.Call(MathFunction.Exp, B + W)), ["c", "b", "w·x"], ["w·x"]);

        Assert.NotNull(cut);
        Assert.Equal(2, cut!.Values.Count);
        Assert.All(cut.Values, v => Assert.Equal(ExprKind.Function, v.Kind));
        Assert.Equal([PairCut.ExtraSymbol(3)], cut.ExtraSymbols);
        Assert.DoesNotContain(cut.Gradient, g => ContainsFunction(g));
    }

    [Fact]
    public void A_gradient_that_reads_the_channel_outside_the_call_keeps_the_call_and_the_channel()
    {
        // ∂(z·tanh z)/∂z = tanh z + z(1 − tanh² z) reads z itself: tanh z and z are kept, two planes, one call saved.
        var cut = Find(W * Expr.Call(MathFunction.Tanh, W), ["w·x"], ["w·x"]);

        Assert.NotNull(cut);
        Assert.Equal(2, cut!.Values.Count);
        Assert.Contains(Expr.Call(MathFunction.Tanh, W), cut.Values);
        Assert.Contains(W, cut.Values);
        Assert.DoesNotContain(cut.Gradient, g => ContainsFunction(g));
    }

    [Fact]
    public void A_gaussian_bump_keeps_its_exp_and_the_distance_beside_it()
    {
        // φ = c·exp(−(a − 2z + b)/(2s²)) (a = |w|², b = |x|², z = w·x): ∂φ/∂s reads the scaled distance outside the exp.
        var s = Expr.Symbol("s");
        var distance = Expr.Symbol("a") - (2.0 * W) + B;
        var cut = Find(C * Expr.Call(MathFunction.Exp, -distance / (2.0 * s * s)), ["c", "s", "a", "b", "w·x"], ["w·x"]);

        Assert.NotNull(cut);
        Assert.Equal(2, cut!.Values.Count);
        Assert.Single(cut.Values, v => v.Kind == ExprKind.Function);
        Assert.DoesNotContain(cut.Gradient, g => ContainsFunction(g));
    }

    [Fact]
    public void Planes_beyond_the_channels_must_each_save_a_call()
    {
        // φ = tanh z + a z²: ∂/∂z = (1 − tanh² z) + 2az, ∂/∂a = z² — three values (tanh z, 2az, z²) for one channel
        // and one call: two extra planes for one call saved, refused.
        var a = Expr.Symbol("a");
        Assert.Null(Find(Expr.Call(MathFunction.Tanh, W) + (a * W * W), ["a", "w·x"], ["w·x"]));
    }

    [Fact]
    public void Extra_planes_must_fit_the_input_block()
    {
        // Softplus with 7 other inputs: its extra kept value would be input 9 of an 8-field block.
        string[] symbols = ["c", "b", "e1", "e2", "e3", "e4", "e5", "w·x"];
        var unit = C * Expr.Call(MathFunction.Log, 1.0 + Expr.Call(MathFunction.Exp, B + W));
        Assert.Null(PairCut.Find(DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols)), ["w·x"], PairCut.InputCapacity));
        Assert.NotNull(PairCut.Find(DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols)), ["w·x"], PairCut.InputCapacity - 1));
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
        int found = 0, withExtra = 0;
        MathFunction[] calls = [MathFunction.Tanh, MathFunction.Exp, MathFunction.Atan, MathFunction.Sin];
        for (int k = 0; k < 600; k++)
        {
            var unit = k % 2 == 0 ? RandomExpr(random, 4, symbols)
                : (RandomExpr(random, 2, ["a", "b"]) * Expr.Call(calls[random.Next(calls.Length)], RandomExpr(random, 2, ["a", "b"]) + Z))
                    + RandomExpr(random, 2, ["a", "b"]);
            var gradient = DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols));
            var cut = PairCut.Find(gradient, ["z"], symbols.Length);
            if (cut is null)
            {
                continue;
            }

            found++;
            withExtra += cut.ExtraSymbols.Count > 0 ? 1 : 0;
            var full = CseProgram.Build(gradient);
            var fromCut = CseProgram.Build(cut.Gradient);
            var forward = CseProgram.Build(DivisionReduction.Apply([unit]).Concat(cut.Values).ToArray());
            var value = CseProgram.BuildForCode([unit]);
            for (int p = 0; p < 5; p++)
            {
                var point = RandomPoint(random, symbols, -2, 2);
                var kept = Run(forward, s => point[s]);
                double[] expected = Run(full, s => point[s]);
                string[] slots = ["z", .. cut.ExtraSymbols]; // kept value j in slot j: the channel's, then those after the inputs
                double[] actual = Run(fromCut, s => Array.IndexOf(slots, s) is >= 0 and var j ? kept[1 + j] : point[s]);
                Assert.True(SameDouble(Run(value, s => point[s])[0], kept[0]), $"value of {unit}");
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(SameDouble(expected[i], actual[i]), $"∂/∂{symbols[i]} of {unit} at {string.Join(", ", point)}: {expected[i]} vs {actual[i]}");
                }
            }
        }

        Assert.True(found >= 100, $"only {found} of 600 random units had a cut: the property was hardly exercised");
        Assert.True(withExtra >= 20, $"only {withExtra} cuts kept values beyond the pair channel: their slots were hardly exercised");
    }

    private static PairCut? Find(Expr unit, string[] symbols, string[] pairs) =>
        PairCut.Find(DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols)), pairs, symbols.Length);

    private static bool ContainsFunction(Expr e) => e.Kind == ExprKind.Function || e.Children.Any(ContainsFunction);
}
