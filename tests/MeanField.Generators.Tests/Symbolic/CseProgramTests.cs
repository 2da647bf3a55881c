using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

public class CseProgramTests
{
    private static readonly Expr C = Expr.Symbol("c");

    [Fact]
    public void Tanh_shared_by_two_outputs_is_computed_once()
    {
        var program = CseProgram.Build(new[]
        {
            Expr.Call(MathFunction.Tanh, Z) * C,
            1.0 - Expr.Pow(Expr.Call(MathFunction.Tanh, Z), 2.0),
        });

        var temp = Assert.Single(program.Temps);
        Assert.Equal(new CseTemp(0, Expr.Call(MathFunction.Tanh, Z)), temp);
        Assert.Equal(C * Expr.Temp(0), program.Outputs[0]);
        Assert.Equal(1.0 - Expr.Pow(Expr.Temp(0), 2.0), program.Outputs[1]);

        // t0 = tanh(z): 1 call; c·t0: 1 multiply; 1 − t0²: 1 multiply (t0 * t0) + 1 subtract. Total 1 + 1 + 2 = 4.
        Assert.Equal(4, program.OperationCount);
    }

    [Fact]
    public void Compound_base_of_a_square_becomes_a_temp_and_leaves_never_do()
    {
        var program = CseProgram.Build(new[] { Expr.Pow(X + Y, 2.0), X * Y, X - Y });
        var temp = Assert.Single(program.Temps);
        Assert.Equal(X + Y, temp.Value);

        // t0 = x + y (1); t0 * t0 (1); x * y (1); x − y (1) = 4.
        Assert.Equal(4, program.OperationCount);
        Assert.Equal(X * Y, program.Outputs[1]);
    }

    [Fact]
    public void Temps_are_numbered_in_dependency_order_and_shared_output_roots_become_temps()
    {
        var s = Expr.Call(MathFunction.Sin, X * Y);
        var e = Expr.Call(MathFunction.Exp, s);
        var program = CseProgram.Build(new[] { s + e, e * Z, e });

        // x·y is used once (by sin) so it is inlined; sin is used by the sum and by exp; exp by two outputs + 1 root.
        Assert.Equal(2, program.Temps.Count);
        Assert.Equal(s, program.Temps[0].Value);
        Assert.Equal(Expr.Call(MathFunction.Exp, Expr.Temp(0)), program.Temps[1].Value);
        Assert.Equal(Expr.Temp(1), program.Outputs[2]);

        // t0 = sin(x·y): 2; t1 = exp(t0): 1; t1 + t0: 1; z·t1: 1; t1: 0. Total 5.
        Assert.Equal(5, program.OperationCount);
    }

    [Fact]
    public void Outputs_that_are_leaves_stay_leaves()
    {
        var program = CseProgram.Build(new[] { X, Expr.Constant(2.0), X });
        Assert.Empty(program.Temps);
        Assert.Equal(new[] { X, Expr.Constant(2.0), X }, program.Outputs);
        Assert.Equal(0, program.OperationCount);
    }

    [Fact]
    public void Program_evaluates_like_the_outputs()
    {
        var outputs = new[]
        {
            Expr.Call(MathFunction.Tanh, Z) * C,
            1.0 - Expr.Pow(Expr.Call(MathFunction.Tanh, Z), 2.0),
            Differentiation.Derivative(C * Expr.Call(MathFunction.Tanh, (X * Z) + C), "z"),
            Differentiation.Derivative(C * Expr.Call(MathFunction.Tanh, (X * Z) + C), "x"),
        };
        var program = CseProgram.Build(outputs);
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var point = RandomPoint(random, new[] { "x", "z", "c" }, -3, 3);
            var viaProgram = Run(program, s => point[s]);
            for (var k = 0; k < outputs.Length; k++)
            {
                Assert.Equal(outputs[k].Evaluate(s => point[s]), viaProgram[k]);
            }
        }
    }
}
