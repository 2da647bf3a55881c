using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>Property tests over random expression trees (see <see cref="SymbolicTestKit.RandomExpr"/>).</summary>
public class RandomExpressionTests
{
    private static readonly string[] Symbols = { "x", "y", "z" };

    [Fact]
    public void Derivatives_of_random_expressions_match_central_differences()
    {
        var checkedExpressions = 0;
        var checkedPoints = 0;
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var f = RandomExpr(random, 4, Symbols);
            foreach (var wrt in Symbols)
            {
                var d = Differentiation.Derivative(f, wrt);
                var accepted = 0;
                for (var attempt = 0; attempt < 20 && accepted < 3; attempt++)
                {
                    var point = RandomPoint(random, Symbols, -2, 2);
                    if (!IsWellBehaved(f, d, wrt, point))
                    {
                        continue;
                    }

                    Assert.True(DerivativeMatches(f, d, wrt, point, out var detail), $"seed {seed}: {detail}");
                    accepted++;
                }

                checkedPoints += accepted;
                checkedExpressions += accepted > 0 ? 1 : 0;
            }
        }

        Assert.True(checkedExpressions >= 600, $"only {checkedExpressions} (expression, symbol) pairs were checkable");
        Assert.True(checkedPoints >= 1500, $"only {checkedPoints} points were checkable");
    }

    [Fact]
    public void Cse_program_of_random_expressions_and_their_gradients_evaluates_identically()
    {
        for (var seed = 1000; seed < 1150; seed++)
        {
            var random = new Random(seed);
            var f = RandomExpr(random, 4, Symbols);
            var g = RandomExpr(random, 3, Symbols);
            var outputs = new[] { f, g }.Concat(Symbols.Select(s => Differentiation.Derivative(f, s))).ToArray();
            var program = CseProgram.Build(outputs);

            // Every temp is used at least twice (a power printed as n factors uses its base n times).
            var uses = new int[program.Temps.Count];
            foreach (var e in program.Temps.Select(t => t.Value).Concat(program.Outputs))
            {
                CountTempUses(e, uses, 1);
            }

            Assert.All(uses, u => Assert.True(u >= 2));

            for (var i = 0; i < 5; i++)
            {
                var point = RandomPoint(random, Symbols, -2, 2);
                var viaProgram = Run(program, s => point[s]);
                for (var k = 0; k < outputs.Length; k++)
                {
                    // The program rebuilds nodes exactly (no re-simplification), so the arithmetic is identical.
                    Assert.True(SameDouble(outputs[k].Evaluate(s => point[s]), viaProgram[k]), $"seed {seed}, output {k}: {outputs[k]}");
                }
            }
        }
    }

    [Fact]
    public void Simplified_random_expressions_equal_the_unsimplified_tree()
    {
        // Evaluate the simplified expression and a raw evaluation of the operations the generator requested.
        var checkedPoints = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var raw = RawRandom(random, 4);
            var simplified = raw.Build();
            for (var i = 0; i < 5; i++)
            {
                var point = RandomPoint(random, Symbols, -2, 2);
                var scale = 0.0;
                var expected = raw.Eval(point, ref scale);
                if (!double.IsFinite(expected) || scale > 1e6)
                {
                    continue;
                }

                var actual = simplified.Evaluate(s => point[s]);
                // Rewrites such as x·x → x² and (a^m)^n → a^(m·n) may change rounding, so compare relative to the largest intermediate.
                Assert.True(Math.Abs(actual - expected) <= 1e-12 * (1 + scale), $"seed {seed}: {simplified}: {actual:R} vs {expected:R}");
                checkedPoints++;
            }
        }

        Assert.True(checkedPoints >= 500);
    }

    private static void CountTempUses(Expr e, int[] uses, int weight)
    {
        if (e is TempExpr t)
        {
            uses[t.Index] += weight;
            return;
        }

        var power = e.Kind == ExprKind.Power && e.Children[1].IsConstant(out var c) && c is 2 or 3 or 4 ? (int)c : 1;
        for (var i = 0; i < e.Children.Count; i++)
        {
            CountTempUses(e.Children[i], uses, i == 0 ? power : 1);
        }
    }

    /// <summary>A naive tree that evaluates the requested operations directly, and builds the simplified Expr.</summary>
    private sealed record RawNode(string Op, double Value, RawNode[] Args)
    {
        /// <summary>The value, or NaN when any intermediate is not finite; <paramref name="scale"/> collects the largest |intermediate|.</summary>
        public double Eval(IReadOnlyDictionary<string, double> p, ref double scale)
        {
            var a = new double[Args.Length];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = Args[i].Eval(p, ref scale);
                if (!double.IsFinite(a[i]))
                {
                    return double.NaN;
                }

                scale = Math.Max(scale, Math.Abs(a[i]));
            }

            return Op switch
            {
                "c" => Value,
                "x" or "y" or "z" => p[Op],
                "+" => a[0] + a[1],
                "-" => a[0] - a[1],
                "*" => a[0] * a[1],
                "/" => a[0] / a[1],
                "neg" => -a[0],
                "pow" => Math.Pow(a[0], a[1]),
                "max" => Math.Max(a[0], a[1]),
                "min" => Math.Min(a[0], a[1]),
                "tanh" => Math.Tanh(a[0]),
                "abs" => Math.Abs(a[0]),
                _ => a[0] > a[1] ? a[2] : a[3],
            };
        }

        public Expr Build()
        {
            var a = Args.Select(x => x.Build()).ToArray();
            return Op switch
            {
                "c" => Expr.Constant(Value),
                "x" or "y" or "z" => Expr.Symbol(Op),
                "+" => a[0] + a[1],
                "-" => a[0] - a[1],
                "*" => a[0] * a[1],
                "/" => a[0] / a[1],
                "neg" => -a[0],
                "pow" => Expr.Pow(a[0], a[1]),
                "max" => Expr.Max(a[0], a[1]),
                "min" => Expr.Min(a[0], a[1]),
                "tanh" => Expr.Call(MathFunction.Tanh, a[0]),
                "abs" => Expr.Call(MathFunction.Abs, a[0]),
                _ => Expr.Conditional(Comparison.Greater, a[0], a[1], a[2], a[3]),
            };
        }
    }

    private static RawNode RawRandom(Random r, int depth)
    {
        if (depth == 0 || r.NextDouble() < 0.2)
        {
            // Constants 0, 1, −1, 2, 0.5 often, so that the identities fire.
            double[] special = { 0, 1, -1, 2, 0.5, -2.5 };
            return r.NextDouble() < 0.6
                ? new RawNode(Symbols[r.Next(3)], 0, Array.Empty<RawNode>())
                : new RawNode("c", special[r.Next(special.Length)], Array.Empty<RawNode>());
        }

        RawNode Sub() => RawRandom(r, depth - 1);
        string[] ops = { "+", "-", "*", "/", "neg", "pow", "max", "min", "tanh", "abs", "?" };
        var op = ops[r.Next(ops.Length)];
        return op switch
        {
            "neg" or "tanh" or "abs" => new RawNode(op, 0, new[] { Sub() }),
            "?" => new RawNode(op, 0, new[] { Sub(), Sub(), Sub(), Sub() }),
            "pow" => new RawNode(op, 0, new[] { Sub(), new RawNode("c", new[] { 0, 1, 2, 3, 4, -1, 0.5, -2.0 }[r.Next(8)], Array.Empty<RawNode>()) }),
            "/" => new RawNode(op, 0, new[] { Sub(), r.NextDouble() < 0.5 ? Sub() : new RawNode("c", r.Next(2) == 0 ? 1 : -1, Array.Empty<RawNode>()) }),
            _ => new RawNode(op, 0, new[] { Sub(), Sub() }),
        };
    }
}
