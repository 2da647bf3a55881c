using MeanField.Generators.Symbolic;
using static MeanField.Generators.Tests.Symbolic.SymbolicTestKit;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>The display form reads better and is algebraically equal to the expression it comes from.</summary>
public sealed class DisplayFormTests
{
    [Fact]
    public void MergesConstantsAndPowersAndCancels()
    {
        var s = Expr.Symbol("s");
        var c = Expr.Symbol("c");
        var d = Expr.Symbol("q");
        var twoSs = s * (Expr.Constant(2) * s);
        var derivative = c * Expr.Constant(2) * Expr.Constant(2) * s * d / twoSs / twoSs;

        Assert.Equal("c·q / s³", FormulaPrinter.Print(DisplayForm.Normalize(derivative)));
        Assert.Equal("−q / (2·s²)", FormulaPrinter.Print(DisplayForm.Normalize(-d / twoSs)));
        Assert.Equal("ŷ − y", FormulaPrinter.Print(DisplayForm.Normalize(Expr.Constant(2) * (Expr.Constant(0.5) * (Expr.Symbol("ŷ") - Expr.Symbol("y"))))));
        Assert.Equal("0.0005·c", FormulaPrinter.Print(DisplayForm.Normalize(Expr.Constant(0.0005) * c)));
    }

    /// <summary>
    /// At random points of random expressions the display form has the value of the original, to
    /// 1e-9 relative (merging and cancelling reassociates, which changes rounding by a few ulp per
    /// operation; points where a value is not finite or tiny denominators make it ill-conditioned are skipped).
    /// </summary>
    [Fact]
    public void HasTheSameValueAtRandomPoints()
    {
        var random = new Random(77);
        var symbols = new[] { "x", "y", "z" };
        int compared = 0;
        for (int round = 0; round < 300; round++)
        {
            var e = RandomExpr(random, 4, symbols);
            var shown = DisplayForm.Normalize(e);
            for (int k = 0; k < 5; k++)
            {
                var point = RandomPoint(random, symbols, 0.5, 2.0);
                double original = e.Evaluate(name => point[name]);
                double display = shown.Evaluate(name => point[name]);
                if (!double.IsFinite(original) || Math.Abs(original) > 1e8)
                {
                    continue;
                }

                Assert.True(Math.Abs(display - original) <= 1e-9 * Math.Max(1, Math.Abs(original)), $"{e} → {shown} at ({point["x"]}, {point["y"]}, {point["z"]}): {original} vs {display}");
                compared++;
            }
        }

        Assert.True(compared > 1000, $"only {compared} points compared");
    }
}
