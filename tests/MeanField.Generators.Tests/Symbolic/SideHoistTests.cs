using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The particle-side subexpressions the block operators read from the slots <c>PrepareA</c> fills
/// (specs/performance.md §4, "Particle-side subexpressions out of the pair loops"): found where a division, a call or a
/// general power depends on the particle's inputs alone, never where a pair or sample input enters, bounded by the free
/// slots, and the outputs from them bit-identical to the outputs computed whole.
/// </summary>
public class SideHoistTests
{
    private static readonly string[] Side = ["c", "s"];

    [Fact]
    public void The_bumps_reciprocal_width_is_hoisted_and_its_distance_is_not()
    {
        // φ = c·exp(−(a − 2z + b)/(2s²)) with a, c, s on the particle's side, b the sample's, z the pair's.
        var s = Expr.Symbol("s");
        var unit = Expr.Symbol("c") * Expr.Call(MathFunction.Exp, -(Expr.Symbol("a") - (2.0 * Z) + Expr.Symbol("b")) / (2.0 * s * s));
        string[] symbols = ["c", "s", "a", "b", "z"];
        var gradient = DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols));

        var hoist = SideHoist.Find([gradient], ["c", "s", "a"], firstSlot: 5, capacity: 8);

        Assert.NotNull(hoist);
        Assert.All(hoist!.Values, v => Assert.True(v.Symbols().All(x => x is "c" or "s" or "a"), $"{v} reads more than the particle's side"));
        Assert.Contains(hoist.Values, v => v.Symbols().SequenceEqual(["s"])); // 1/(2s²)
        Assert.Equal(SideHoist.SlotSymbol(5), hoist.Symbols[0]);
    }

    [Fact]
    public void Nothing_cheap_or_pair_dependent_is_hoisted()
    {
        // c·tanh(b + z): b + z reads the pair; c alone is an input already.
        string[] symbols = ["c", "b", "z"];
        var unit = Expr.Symbol("c") * Expr.Call(MathFunction.Tanh, Expr.Symbol("b") + Z);
        Assert.Null(SideHoist.Find([DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols))], ["c", "b"], 3, 8));
    }

    [Fact]
    public void No_free_slot_hoists_nothing_and_the_slots_bound_the_values()
    {
        var s = Expr.Symbol("s");
        var c = Expr.Symbol("c");
        var unit = (Expr.Call(MathFunction.Exp, s) * Z) + (Expr.Call(MathFunction.Log, (c * c) + 1.0) * Z * Z) + (Expr.Call(MathFunction.Sin, c * s) * Z * Z * Z);
        var outputs = new[] { new[] { unit } };

        Assert.Null(SideHoist.Find(outputs, Side, firstSlot: 8, capacity: 8));
        Assert.Equal(3, SideHoist.Find(outputs, Side, firstSlot: 3, capacity: 8)!.Values.Count);
        Assert.Equal(2, SideHoist.Find(outputs, Side, firstSlot: 6, capacity: 8)!.Values.Count);
    }

    /// <summary>
    /// Random units over a particle side (c, s) and a pair input z, and their gradients: wherever values are hoisted,
    /// the programs from the hoisted outputs, fed the hoisted values computed by their own program from the particle's
    /// inputs alone (z is NaN there), give the bits of the programs computed whole, for the value and every gradient entry.
    /// </summary>
    [Fact]
    public void Outputs_from_the_hoisted_values_have_the_bits_of_the_whole_outputs()
    {
        var random = new Random(2027);
        string[] symbols = ["c", "s", "z"];
        int found = 0;
        for (int k = 0; k < 600; k++)
        {
            var unit = k % 2 == 0 ? RandomExpr(random, 4, symbols)
                : (RandomExpr(random, 3, Side) * Expr.Call(MathFunction.Tanh, RandomExpr(random, 2, Side) + Z)) + RandomExpr(random, 3, Side);
            var reducedUnit = DivisionReduction.Apply(new[] { unit }.Concat(Differentiation.Derivatives(unit, symbols)).ToArray())[0];
            var gradient = DivisionReduction.Apply(Differentiation.Derivatives(unit, symbols));
            var hoist = SideHoist.Find([new[] { reducedUnit }, gradient], Side, firstSlot: 3, capacity: 8);
            if (hoist is null)
            {
                continue;
            }

            found++;
            Assert.True(hoist.Values.Count <= 5);
            var prepare = CseProgram.Build(hoist.Values);
            var programs = new[] { (CseProgram.Build([reducedUnit]), CseProgram.Build(hoist.Outputs[0])), (CseProgram.Build(gradient), CseProgram.Build(hoist.Outputs[1])) };
            for (int p = 0; p < 5; p++)
            {
                var point = RandomPoint(random, symbols, -2, 2);
                double[] prepared = Run(prepare, x => Side.Contains(x) ? point[x] : double.NaN); // the particle's inputs only
                double Read(string x) => hoist.Symbols.ToList().IndexOf(x) is >= 0 and var j ? prepared[j] : point[x];
                foreach (var (whole, fromSlots) in programs)
                {
                    double[] expected = Run(whole, x => point[x]);
                    double[] actual = Run(fromSlots, Read);
                    for (int i = 0; i < expected.Length; i++)
                    {
                        Assert.True(SameDouble(expected[i], actual[i]), $"output {i} of {unit} at {string.Join(", ", point)}: {expected[i]} vs {actual[i]}");
                    }
                }
            }
        }

        Assert.True(found >= 100, $"only {found} of 600 random units had a hoisted value: the property was hardly exercised");
    }
}
