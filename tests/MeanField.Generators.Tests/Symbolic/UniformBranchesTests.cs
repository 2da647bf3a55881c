using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The lane-uniform branches of vector code (specs/networks.md §4, "Uniform branches"): the condition chosen, the
/// programs specialised to each outcome (the selects on it replaced by their side, nothing else rewritten, dead
/// temporaries dropped), and no split where it would save no expensive operation.
/// </summary>
public class UniformBranchesTests
{
    private static readonly Expr A = Expr.Symbol("a");
    private static readonly Expr B = Expr.Symbol("b");

    /// <summary>u = a·b; u &gt; 0.5 ? √(u + 1) : 1 / (u + 2), and u &gt; 0.5 ? e^u √(u + 1) : 3u, the way a series and
    /// a closed form share a kernel's value and gradient.</summary>
    private static CseProgram Piecewise()
    {
        var u = A * B;
        var root = Expr.Call(MathFunction.Sqrt, u + 1.0); // used by both outputs' true sides: a temporary of that side only
        var value = Expr.Conditional(Comparison.Greater, u, Expr.Constant(0.5), root, 1.0 / (u + 2.0));
        var other = Expr.Conditional(Comparison.Greater, u, Expr.Constant(0.5), Expr.Call(MathFunction.Exp, u) * root, u * 3.0);
        return CseProgram.Build(new[] { value * A, other + value });
    }

    [Fact]
    public void The_condition_guarding_expensive_sides_is_split_both_ways()
    {
        var program = Piecewise();
        var split = UniformBranches.Find(program);

        Assert.NotNull(split);
        Assert.Equal(Comparison.Greater, split!.Condition.Comparison);
        Assert.NotNull(split.WhenNone);
        Assert.NotNull(split.WhenAll);
        Assert.True(UniformBranches.Cost(split.WhenNone!) < UniformBranches.Cost(program));
        Assert.True(UniformBranches.Cost(split.WhenAll!) < UniformBranches.Cost(program));
        Assert.DoesNotContain(split.WhenNone!.Temps.Select(t => t.Value).Concat(split.WhenNone.Outputs), HasConditional);
        Assert.DoesNotContain(split.WhenAll!.Temps.Select(t => t.Value).Concat(split.WhenAll.Outputs), HasConditional);

        // The temporaries before the test are the ones the condition reads.
        var read = new HashSet<int>();
        foreach (var node in Dag.PostOrder(new[] { split.Condition.Left, split.Condition.Right }))
        {
            if (node is TempExpr t)
            {
                read.Add(t.Index);
            }
        }

        Assert.Equal(read.Count == 0 ? 0 : read.Max() + 1, split.Prefix);
    }

    /// <summary>Each specialised program computes, where its outcome holds, exactly the general program's values.</summary>
    [Fact]
    public void Each_specialised_program_gives_the_general_programs_bits_where_its_outcome_holds()
    {
        var program = Piecewise();
        var split = UniformBranches.Find(program)!;
        var random = new Random(11);
        for (int k = 0; k < 500; k++)
        {
            double a = (random.NextDouble() * 4) - 2, b = (random.NextDouble() * 4) - 2;
            double[] general = Evaluate(program, a, b);
            double[] special = Evaluate(a * b > 0.5 ? split.WhenAll! : split.WhenNone!, a, b);
            Assert.Equal(general.Select(BitConverter.DoubleToInt64Bits), special.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void Temporaries_only_the_other_side_needs_are_dropped_and_the_rest_keep_their_numbers()
    {
        var program = Piecewise();
        var split = UniformBranches.Find(program)!;
        var none = split.WhenNone!;

        Assert.True(none.Temps.Count < program.Temps.Count);
        foreach (var temp in none.Temps)
        {
            Assert.Contains(program.Temps, t => t.Index == temp.Index);
        }
    }

    [Fact]
    public void A_condition_whose_sides_are_cheap_is_not_split()
    {
        // A kink guard: (a > 0 ? b : 0) — no square root, call or division on either side.
        var program = CseProgram.Build(new[] { Expr.Conditional(Comparison.Greater, A, Expr.Constant(0.0), B * 2.0, Expr.Constant(0.0)) + (A * B) });
        Assert.Null(UniformBranches.Find(program));
    }

    [Fact]
    public void Only_the_outcome_that_saves_work_gets_a_branch()
    {
        // The true side is cheap, the false side a square root: only "no lane holds" is worth a branch.
        var program = CseProgram.Build(new[] { Expr.Conditional(Comparison.Less, A, B, A * 2.0, Expr.Call(MathFunction.Sqrt, B)) });
        var split = UniformBranches.Find(program)!;
        Assert.Null(split.WhenNone);
        Assert.NotNull(split.WhenAll);
    }

    /// <summary>Runs a program whose temporaries may skip numbers (a specialised one), in order.</summary>
    /// <summary>More distinct conditions than <see cref="UniformBranches.MaxConditions"/>: left general (each candidate
    /// costs two passes over the program, and compositions of kinked helpers have dozens).</summary>
    [Fact]
    public void A_program_of_many_conditions_is_left_general()
    {
        Expr sum = Expr.Constant(0.0);
        for (int k = 0; k <= UniformBranches.MaxConditions; k++)
        {
            sum += Expr.Conditional(Comparison.Greater, A, Expr.Constant(k), Expr.Call(MathFunction.Sqrt, B + k), B * k);
        }

        Assert.Null(UniformBranches.Find(CseProgram.Build(new[] { sum })));

        // One condition fewer is searched (and split).
        Expr fewer = Expr.Constant(0.0);
        for (int k = 0; k < UniformBranches.MaxConditions; k++)
        {
            fewer += Expr.Conditional(Comparison.Greater, A, Expr.Constant(k), Expr.Call(MathFunction.Sqrt, B + k), B * k);
        }

        Assert.NotNull(UniformBranches.Find(CseProgram.Build(new[] { fewer })));
    }

    private static double[] Evaluate(CseProgram program, double a, double b)
    {
        var temps = new Dictionary<int, double>();
        double Symbol(string s) => s == "a" ? a : b;
        foreach (var temp in program.Temps)
        {
            temps[temp.Index] = temp.Value.Evaluate(Symbol, k => temps[k]);
        }

        return program.Outputs.Select(o => o.Evaluate(Symbol, k => temps[k])).ToArray();
    }

    private static bool HasConditional(Expr e) => Dag.PostOrder(new[] { e }).Any(n => n.Kind == ExprKind.Conditional);
}
