using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// An interaction kernel's side values (specs/interactions.md, "Side values"): <see cref="SideFactoring"/> splits
/// two-sided roots and divisors into one-sided factors (within the two forms' rounding bounds of the written value, never across a factor of
/// unknown sign, a pair channel or both sides), and <see cref="SideValues"/> reads the one-sided subexpressions that hold
/// a division or a call from one list of per-particle values — θ′'s by the mirror of θ's — with the same bits as the
/// outputs computed whole.
/// </summary>
public class SideValuesTests
{
    // θ = (c, n = |w|²), θ′ = (c′, n′ = |w′|²), pair channel z = w·w′ (the arc-cosine kernel's inputs).
    private static readonly string[] SideA = ["c", "n"];
    private static readonly string[] SideB = ["c'", "n'"];
    private static readonly string[] Symbols = ["c", "n", "c'", "n'", "z"];
    private static readonly Expr C = Expr.Symbol("c");
    private static readonly Expr CB = Expr.Symbol("c'");
    private static readonly Expr N = Expr.Symbol("n");
    private static readonly Expr NB = Expr.Symbol("n'");
    private static readonly HashSet<string> SquaredNorms = ["n", "n'"];

    private static SideFactoring.InputSide SideOf(string symbol) => symbol switch
    {
        "c" or "n" => SideFactoring.InputSide.A,
        "c'" or "n'" => SideFactoring.InputSide.B,
        _ => SideFactoring.InputSide.Neither,
    };

    private static Expr Split(Expr e) => SideFactoring.Apply(new[] { e }, SideOf, SquaredNorms)[0];

    private static Expr Sqrt(Expr e) => Expr.Call(MathFunction.Sqrt, e);

    [Fact]
    public void The_root_of_a_product_of_squared_norms_splits_by_side()
    {
        var split = Split(Sqrt(N * NB));
        Assert.Equal(ExprKind.Multiply, split.Kind);
        Assert.Contains(split.Children, f => f.Equals(Sqrt(N)));
        Assert.Contains(split.Children, f => f.Equals(Sqrt(NB)));
    }

    /// <summary>√((1 + n)(1 + n′)): sums of non-negative terms are non-negative, so the root splits.</summary>
    [Fact]
    public void A_root_over_sums_of_squared_norms_and_positive_constants_splits()
    {
        var split = Split(Sqrt((Expr.One + N) * (Expr.One + NB)));
        Assert.Equal(ExprKind.Multiply, split.Kind);
        Assert.All(split.Children, f => Assert.True(f is FunctionExpr { Function: MathFunction.Sqrt } && f.Symbols().Count() == 1, $"{f}"));
    }

    [Fact]
    public void A_root_over_a_factor_of_unknown_sign_a_pair_channel_or_both_sides_is_left_as_written()
    {
        foreach (var e in new[] { Sqrt(C * CB), Sqrt(N * Z), Sqrt((N + NB) * NB), Sqrt(N * N) })
        {
            Assert.Same(e, Split(e));
        }
    }

    [Fact]
    public void A_divisor_of_one_sided_factors_becomes_two_one_sided_reciprocals()
    {
        // z/(c·c′): c and c′ may be negative, a divisor needs no sign.
        var split = Split(Z / (C * CB));
        Assert.DoesNotContain(Dag.PostOrder(split), e => e.Kind == ExprKind.Divide && e.Children[1].Symbols().Count() > 1);
        Assert.Contains(Dag.PostOrder(split), e => e.Equals(Expr.One / C));
        Assert.Contains(Dag.PostOrder(split), e => e.Equals(Expr.One / CB));

        // 1/(c·c′) is the product of the reciprocals alone.
        var reciprocal = Split(Expr.One / (C * CB));
        Assert.Equal(ExprKind.Multiply, reciprocal.Kind);
        Assert.All(reciprocal.Children, f => Assert.Equal(ExprKind.Divide, f.Kind));
    }

    /// <summary>
    /// u = z/√(n·n′), the arc-cosine kernel's cosine: the written form rounds within 2.5·2⁻⁵³ of u (product, root,
    /// quotient; the root halves the product's error), the split u = z·(1/√n)·(1/√n′) within 6·2⁻⁵³ (two roots, two
    /// reciprocals, two products), so they differ by at most 8.5·2⁻⁵³ relative — checked at 5000 random points over 20
    /// orders of magnitude of the norms.
    /// </summary>
    [Fact]
    public void The_split_cosine_is_within_its_rounding_bound_of_the_written_one()
    {
        var written = Z / Sqrt(N * NB);
        var split = Split(written);
        Assert.DoesNotContain(Dag.PostOrder(split), e => e is FunctionExpr && e.Symbols().Count() > 1);
        var random = new Random(31);
        for (int k = 0; k < 5000; k++)
        {
            var point = new Dictionary<string, double>
            {
                ["n"] = Math.Pow(10, (20 * random.NextDouble()) - 10),
                ["n'"] = Math.Pow(10, (20 * random.NextDouble()) - 10),
            };
            point["z"] = ((2 * random.NextDouble()) - 1) * Math.Sqrt(point["n"] * point["n'"]);
            double expected = written.Evaluate(x => point[x], null);
            double actual = split.Evaluate(x => point[x], null);
            Assert.True(Math.Abs(actual - expected) <= 8.5 * Math.Pow(2, -53) * Math.Abs(expected), $"n = {point["n"]:R}, n′ = {point["n'"]:R}, z = {point["z"]:R}: {actual:R} against {expected:R}");
        }
    }

    /// <summary>Where n·n′ overflows (|w|² = 10²⁰⁰ on both sides) the written |w||w′| is ∞ and the split one the true 10²⁰⁰.</summary>
    [Fact]
    public void Where_the_product_overflows_the_split_root_is_finite()
    {
        var written = Sqrt(N * NB);
        var point = new Dictionary<string, double> { ["n"] = 1e200, ["n'"] = 1e200 };
        Assert.True(double.IsPositiveInfinity(written.Evaluate(x => point[x], null)));
        Assert.Equal(1e200, Split(written).Evaluate(x => point[x], null), 1e186);
    }

    /// <summary>
    /// The arc-cosine kernel K = c c′ √(n n′) J(z/√(n n′)) (closed form, the series' branch aside) and its gradient, split:
    /// its side values are √n and 1/√n, read for both sides (θ′'s from the mirror: the same list), and no square root or
    /// division of a norm is left in the outputs.
    /// </summary>
    [Fact]
    public void The_arc_cosine_kernels_side_values_are_the_norm_and_its_reciprocal()
    {
        var programs = ArcCosinePrograms();
        var values = SideValues.Find(programs, SideA, SideB);

        Assert.NotNull(values);
        Assert.Equal(2, values!.Values.Count);
        Assert.Contains(values.Values, v => v.Equals(Sqrt(N)));
        Assert.Contains(values.Values, v => v.Equals(Expr.One / Sqrt(N)));
        Assert.All(values.Values, v => Assert.True(v.Symbols().All(SideA.Contains), $"{v} reads more than θ's block"));
        foreach (var outputs in values.Outputs)
        {
            Assert.DoesNotContain(Dag.PostOrder(outputs), e => e is FunctionExpr { Function: MathFunction.Sqrt } f && f.Argument.Symbols().All(s => s is "n" or "n'"));
            Assert.Contains(Dag.PostOrder(outputs), e => e is SymbolExpr s && values.SymbolsB.Contains(s.Name));
        }
    }

    [Fact]
    public void Nothing_pair_dependent_or_cheap_becomes_a_side_value()
    {
        // c c′ exp(−z): exp reads the pair channel; c·c′ has no call.
        var kernel = C * CB * Expr.Call(MathFunction.Exp, -Z);
        var programs = new[] { new[] { kernel }, Differentiation.Derivatives(kernel, Symbols) };
        Assert.Null(SideValues.Find(programs, SideA, SideB));
    }

    /// <summary>
    /// Random kernels over θ, θ′ and z, reduced and split as the generator does: wherever side values are found, the
    /// outputs read from them — each computed by its own program from one particle's block alone (θ′'s by the same
    /// program from θ′'s block) — have the bits of the outputs computed whole, for the value and every gradient entry.
    /// </summary>
    [Fact]
    public void Outputs_from_the_side_values_have_the_bits_of_the_whole_outputs()
    {
        var random = new Random(2031);
        int found = 0;
        for (int k = 0; k < 600; k++)
        {
            var kernel = k % 3 == 0 ? RandomExpr(random, 4, Symbols)
                : (RandomExpr(random, 3, SideA) * Expr.Call(MathFunction.Tanh, RandomExpr(random, 2, SideB) + Z)) + (RandomExpr(random, 2, SideB) / (Expr.Constant(2.0) + (N * N)));
            var programs = Prepare(new[] { new[] { kernel }, Differentiation.Derivatives(kernel, Symbols) });
            var values = SideValues.Find(programs, SideA, SideB);
            if (values is null)
            {
                continue;
            }

            found++;
            var sideProgram = CseProgram.Build(values.Values);
            for (int p = 0; p < 5; p++)
            {
                var point = RandomPoint(random, Symbols, -2, 2);
                point["n"] = Math.Abs(point["n"]);
                point["n'"] = Math.Abs(point["n'"]);
                double[] ofA = Run(sideProgram, x => SideA.Contains(x) ? point[x] : double.NaN);
                double[] ofB = Run(sideProgram, x => SideA.Contains(x) ? point[SideB[Array.IndexOf(SideA, x)]] : double.NaN);
                double Read(string x) => values.SymbolsA.ToList().IndexOf(x) is >= 0 and var a ? ofA[a]
                    : values.SymbolsB.ToList().IndexOf(x) is >= 0 and var b ? ofB[b] : point[x];
                for (int q = 0; q < programs.Length; q++)
                {
                    double[] expected = Run(CseProgram.Build(programs[q]), x => point[x]);
                    double[] actual = Run(CseProgram.Build(values.Outputs[q]), Read);
                    for (int i = 0; i < expected.Length; i++)
                    {
                        Assert.True(SameDouble(expected[i], actual[i]), $"output {i} of {kernel} at {string.Join(", ", point)}: {expected[i]} vs {actual[i]}");
                    }
                }
            }
        }

        Assert.True(found >= 100, $"only {found} of 600 random kernels had side values: the property was hardly exercised");
    }

    /// <summary>The generator's pipeline for a kernel's operators, before the side values: cancelled, reduced, split.</summary>
    private static IReadOnlyList<Expr>[] Prepare(IReadOnlyList<Expr>[] programs) =>
        programs.Select(p => SideFactoring.Apply(DivisionReduction.Apply(TermCancellation.Apply(p)), SideOf, SquaredNorms)).ToArray();

    private static IReadOnlyList<Expr>[] ArcCosinePrograms()
    {
        var s = Sqrt(N * NB);
        var u = Z / s;
        var v = Expr.Max(Expr.Constant(-1.0), u);
        var j = Sqrt(Expr.One - (v * v)) + ((Expr.Constant(Math.PI) - Expr.Call(MathFunction.Acos, v)) * u);
        var kernel = C * CB * s * j;
        var gradient = Differentiation.Derivatives(kernel, Symbols);
        return Prepare(new[] { new[] { kernel }, gradient, new[] { kernel }.Concat(gradient).ToArray() });
    }
}
