using System.Text;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// Deep formulas (specs/networks.md §6.1): on a compiler-sized stack, a formula nested up to 1,000 levels either
/// builds or gets MF0018 at a span in the source — never a crash, never MF0099. Flat sums and products of any
/// length are not deep: they build.
/// </summary>
public sealed class DepthLimitTests
{
    private const string Cost = "[Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y);";

    internal static string Model(string activationBody, string helpers = "")
        => "namespace Deep; [MeanFieldNetwork] public partial struct Net { " + helpers + " [Activation] public static double S(double z) => " + activationBody + "; " + Cost + " }";

    internal static string Nest(int depth, string open, string close, string inner = "z")
    {
        var builder = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            builder.Append(open);
        }

        builder.Append(inner);
        for (int i = 0; i < depth; i++)
        {
            builder.Append(close);
        }

        return builder.ToString();
    }

    internal static string Chain(int operands, string op) => string.Join(op, Enumerable.Repeat("z", operands));

    /// <summary>Helpers H0(t) => Math.Tanh(t), H1(t) => H0(t) + 1, … H{n-1}: a chain n deep.</summary>
    internal static string HelperChain(int n)
    {
        var builder = new StringBuilder("static double H0(double t) => Math.Tanh(t); ");
        for (int k = 1; k < n; k++)
        {
            builder.Append("static double H").Append(k).Append("(double t) => H").Append(k - 1).Append("(t) + 1; ");
        }

        return builder.ToString();
    }

    public static TheoryData<string, string> DeepCases() => new()
    {
        { "1000-level nested sum", Nest(1000, "(z + ", ")") },
        { "1000-level nested product", Nest(1000, "(z * ", ")") },
        { "1000 nested Abs", Nest(1000, "Math.Abs(", ")") },
        { "1000 nested Exp(-…)", Nest(1000, "Math.Exp(-", ")") },
        { "1000 nested Tanh", Nest(1000, "Math.Tanh(", ")") },
        { "1000 unary minus", Nest(1000, "-(", ")") },
        { "1000 nested ?:", Nest(1000, "z > 0 ? 1 + ", " : z") },
        { "1000 nested parentheses", Nest(1000, "(", ")") },
        { "300 nested Abs", Nest(300, "Math.Abs(", ")") },
        { "500 nested ?:", Nest(500, "z < 1 ? z * (", ") : 1") },
        { "1000 nested Max", Nest(1000, "Math.Max(0, ", ")") },
    };

    [Theory]
    [MemberData(nameof(DeepCases))]
    public void DeepFormulaGetsMF0018AtItsSpan(string label, string body)
    {
        string source = Model(body);
        var outcome = StackCheckedRun.Run(source).AssertSound(label);

        var deep = outcome.Result.Diagnostics.Where(d => d.Id == "MF0018").ToList();
        Assert.True(deep.Count == 1, $"{label}: expected one MF0018, got {outcome.Describe()}; input errors {string.Join("; ", outcome.InputErrors.Take(3).Select(d => d.ToString()))}; generated {outcome.Result.GeneratedSources.Length}");
        string text = outcome.TextAt(deep[0])!;
        Assert.True(body.Contains(text, StringComparison.Ordinal), $"{label}: MF0018 at '{text}', outside the formula");
        Assert.Contains("256", deep[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    [Fact]
    public void HelperChainOf300GetsMF0018AtTheCallIntoTheChain()
    {
        var outcome = StackCheckedRun.Run(Model("H299(z)", HelperChain(300))).AssertSound("helper chain of 300");

        var deep = Assert.Single(outcome.Result.Diagnostics);
        Assert.Equal("MF0018", deep.Id);
        Assert.Equal("H299(z)", outcome.TextAt(deep));
    }

    [Fact]
    public void HelperChainOf100Builds() => StackCheckedRun.Run(Model("H99(z)", HelperChain(100))).AssertBuilds("helper chain of 100");

    [Fact]
    public void NestingWithinTheLimitBuilds() => StackCheckedRun.Run(Model(Nest(80, "(1 + ", ") * z"))).AssertBuilds("80 nested (1 + …) * z: 240 levels");

    [Theory]
    [InlineData(600, " + ")]
    [InlineData(600, " - ")]
    [InlineData(800, " * ")]
    [InlineData(1000, " + ")]
    public void LongFlatChainBuilds(int operands, string op)
        => StackCheckedRun.Run(Model(Chain(operands, op))).AssertBuilds($"{operands} operands of '{op.Trim()}'");

    [Fact]
    public void LongSumOfDistinctTermsBuilds()
    {
        // Terms that do not simplify into one: the balanced tree must reach the generated code intact.
        string body = string.Join(" + ", Enumerable.Range(1, 48).Select(k => $"Math.Exp(z / {k})"));
        StackCheckedRun.Run(Model(body)).AssertBuilds("48 distinct terms");
    }

    [Fact]
    public void BalancedChainKeepsSignsAndInverses()
    {
        // 40 operands of + and − (above the threshold of 32): z − z + z − … must still be exactly 0 or z.
        string sum = "z" + string.Concat(Enumerable.Range(1, 39).Select(k => k % 2 == 1 ? " - z" : " + z"));
        var outcome = StackCheckedRun.Run(Model(sum)).AssertBuilds("alternating sum");
        string generated = outcome.Result.GeneratedSources.Single().SourceText.ToString();

        // 20 plus and 20 minus: the sum is 0, so σ' = 0 and the generated unit is constant.
        Assert.Contains("φ = 0", generated, StringComparison.Ordinal);
    }
}
