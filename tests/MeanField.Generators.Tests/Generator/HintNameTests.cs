using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;

namespace MeanField.Generators.Tests.Generator;

/// <summary>Hint names are portable and unique ignoring case; flat chains have the depth of their balanced tree.</summary>
public sealed class HintNameTests
{
    [Theory]
    [InlineData("Demo.Net", "Demo.Net")]
    [InlineData("class.struct", "class.struct")]
    [InlineData("Modèles.Réseau", "Mod_les.R_seau")]
    [InlineData("A-b_c.9", "A-b_c.9")]
    [InlineData("", "_")]
    public void StemKeepsOnlyPortableCharacters(string fullName, string stem) => Assert.Equal(stem, HintNames.Stem(fullName));

    [Fact]
    public void NamesAreUniqueIgnoringCaseInTheGivenOrder()
    {
        var names = HintNames.Assign(new[] { "Demo.NET", "Demo.Net", "demo.net", "Demo.Net.2", "Other" });

        Assert.Equal(new[] { "Demo.NET.g.cs", "Demo.Net.2.g.cs", "demo.net.3.g.cs", "Demo.Net.2.2.g.cs", "Other.g.cs" }, names);
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(32, 31)]
    [InlineData(33, 6)]
    [InlineData(64, 6)]
    [InlineData(65, 7)]
    [InlineData(600, 10)]
    public void FlatChainDepthIsLinearUpToTheThresholdThenLogarithmic(int operands, int depth)
        => Assert.Equal(depth, ExpressionDepth.ChainDepth(operands));
}
