using MeanField.Generators.Emit;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// Issue 7: every symbolic pass on a 5,000-deep expression, run on a thread with a 1 MB stack (what a compiler
/// thread may have), either succeeds or throws <see cref="ExpressionTooComplexException"/> — never a stack overflow,
/// which would take the whole test process (and, in a build, the compiler) down.
/// </summary>
public sealed class DepthSafetyTests
{
    private const int Depth = 5_000;
    private const int OneMegabyte = 1024 * 1024;

    public static IEnumerable<object[]> Shapes => new[] { "tanh", "sum", "product", "negate", "select", "max", "divide", "power" }
        .Select(s => new object[] { s });

    public static Expr Deep(string shape, int depth)
    {
        var x = Expr.Symbol("x");
        var y = Expr.Symbol("y");
        Expr e = x;
        for (int i = 0; i < depth; i++)
        {
            e = shape switch
            {
                "tanh" => Expr.Call(MathFunction.Tanh, e),
                "sum" => e + y,
                "product" => e * y,
                "negate" => -(e + 1.0),
                "select" => Expr.Conditional(Comparison.Greater, x, Expr.Constant(i), e, y),
                "max" => Expr.Max(e, Expr.Constant(i) * y),
                "divide" => y / (e + 1.0),
                "power" => Expr.Pow(e + 1.0, 1.5),
                _ => throw new ArgumentOutOfRangeException(nameof(shape)),
            };
        }

        return e;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPassSucceedsOrReportsTooComplexOnAOneMegabyteStack(string shape)
    {
        var passes = new Dictionary<string, Action<Expr, Expr>>
        {
            ["equality"] = (e, copy) => Assert.True(e.Equals(copy)),
            ["hash"] = (e, copy) => Assert.Equal(e.GetHashCode(), copy.GetHashCode()),
            ["order"] = (e, copy) => Assert.NotEqual(0, ExprOrder.Compare(e, Expr.Call(MathFunction.Exp, copy))),
            ["intern"] = (e, _) => new ExprInterner().Intern(e),
            ["substitute"] = (e, _) => e.Substitute(s => s == "y" ? Expr.Symbol("w") : null),
            ["symbols"] = (e, _) => Assert.Contains("x", e.Symbols()),
            ["evaluate"] = (e, _) => e.Evaluate(_ => 0.25),
            ["differentiate"] = (e, _) => Differentiation.Derivative(e, "x"),
            ["cse"] = (e, _) => CseProgram.Build(new[] { e, Differentiation.Derivative(e, "y") }),
            ["print"] = (e, _) => FormulaPrinter.Print(e),
            ["print C#"] = (e, _) => CSharpPrinter.Print(e, SimdWidth.Vector256, s => s),
            ["display"] = (e, _) => DisplayForm.Normalize(e),
            ["readable"] = (e, _) =>
            {
                // Never throws: a formula too deep to print is elided like an over-long one.
                var readable = new ReadableFormulas();
                Assert.True(readable.Format(readable.Display(e)).Length <= ReadableFormulas.FormulaLimit);
                Assert.True(readable.Format(readable.Display(Differentiation.Derivative(e, "x"))).Length <= ReadableFormulas.FormulaLimit);
            },
        };

        var outcomes = new List<string>();
        foreach (var pass in passes)
        {
            Exception? failure = null;
            var thread = new Thread(
                () =>
                {
                    try
                    {
                        pass.Value(Deep(shape, Depth), Deep(shape, Depth));
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                },
                OneMegabyte);
            thread.Start();
            thread.Join();
            Assert.True(failure is null or ExpressionTooComplexException, $"{shape}/{pass.Key}: {failure}");
            outcomes.Add($"{pass.Key}: {(failure is null ? "ok" : "too complex")}");
        }

        // Builders of generated code must cope: CSE never leaves an expression deeper than its limit.
        var program = CseProgram.Build(new[] { Deep(shape, Depth) });
        Assert.All(program.Temps.Select(t => t.Value).Concat(program.Outputs), v => Assert.True(Height(v) <= CseProgram.MaxInlineDepth));
    }

    [Fact]
    public void RecursivePassesStopAtTheDepthLimitWithTheDocumentedException()
    {
        // A chain deeper than StackGuard.MaxDepth makes the (recursive) readable printer give up cleanly whatever the stack.
        var e = Deep("tanh", StackGuard.MaxDepth + 10);
        Exception? failure = null;
        var thread = new Thread(() => failure = Record.Exception(() => FormulaPrinter.Print(e)), 256 * OneMegabyte);
        thread.Start();
        thread.Join();
        var tooComplex = Assert.IsType<ExpressionTooComplexException>(failure);
        Assert.Equal("print", tooComplex.Pass);
        Assert.Equal(StackGuard.MaxDepth, tooComplex.Limit);
    }

    private static int Height(Expr e)
    {
        var heights = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in Dag.PostOrder(e))
        {
            heights[node] = node.Children.Count == 0 ? 0 : 1 + node.Children.Max(c => heights[c]);
        }

        return heights[e];
    }
}
