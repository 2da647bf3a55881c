using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

public class InternerTests
{
    private static Expr Build() =>
        (Expr.Symbol("c") * Expr.Call(MathFunction.Tanh, (Expr.Symbol("w") * Expr.Symbol("x")) + Expr.Symbol("b")))
        + Expr.Pow(Expr.Call(MathFunction.Tanh, (Expr.Symbol("w") * Expr.Symbol("x")) + Expr.Symbol("b")), 2.0);

    [Fact]
    public void Structurally_equal_trees_intern_to_the_same_reference()
    {
        var interner = new ExprInterner();
        var a = Build();
        var b = Build();
        Assert.NotSame(a, b);
        var ia = interner.Intern(a);
        var ib = interner.Intern(b);
        Assert.Same(ia, ib);
        Assert.Equal(a, ia);
        Assert.Same(ia, interner.Intern(ia));
        Assert.NotSame(ia, interner.Intern(Build() + 1.0));
    }

    [Fact]
    public void Equal_children_are_shared()
    {
        var interner = new ExprInterner();
        var e = interner.Intern(Build());

        // Both tanh(w·x + b) nodes (built separately) are now one instance.
        var tanhInProduct = e.Children.First(c => c.Kind == ExprKind.Multiply).Children[1];
        var tanhInPower = e.Children.First(c => c.Kind == ExprKind.Power).Children[0];
        Assert.Equal(ExprKind.Function, tanhInProduct.Kind);
        Assert.Same(tanhInProduct, tanhInPower);
        Assert.Same(interner.Intern(Expr.Symbol("x")), tanhInPower.Children[0].Children[0].Children[1]);

        // Distinct nodes: c, w, x, b, w·x, w·x + b, tanh, c·tanh, 2, tanh², sum = 11.
        Assert.Equal(11, interner.Count);
    }

    [Fact]
    public void Interning_keeps_node_shapes_and_values()
    {
        var interner = new ExprInterner();
        var random = new Random(3);
        for (var seed = 0; seed < 100; seed++)
        {
            var e = RandomExpr(new Random(seed), 4, new[] { "x", "y" });
            var i = interner.Intern(e);
            Assert.Equal(e, i);
            var point = RandomPoint(random, new[] { "x", "y" }, -2, 2);
            Assert.True(SameDouble(e.Evaluate(s => point[s]), i.Evaluate(s => point[s])));
        }
    }
}
