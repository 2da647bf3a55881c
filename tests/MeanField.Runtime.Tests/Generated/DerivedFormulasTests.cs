using MeanField.Models;

namespace MeanField.Runtime.Tests.Generated;

/// <summary>
/// <c>Formulas</c>, the derived formulas one quantity at a time (specs/networks.md §5): for every generated model it lists
/// φ, ∂φ/∂(each scalar, each vector, the input), ℓ, ∂ℓ/∂ŷ and, with a regularizer, U and ∂U/∂(each of its inputs), in
/// that order, and its lines are exactly the formula lines of <c>Derivation</c>.
/// </summary>
public sealed class DerivedFormulasTests
{
    public static TheoryData<string> Models() => ["TanhNetwork", "ReluNetwork", "GaussianBumpNetwork", "FourierNetwork", "SoftplusLogCoshNetwork", "KitchenSinkNetwork", "EnvelopeNetwork"];

    [Theory]
    [MemberData(nameof(Models))]
    public void ListsEveryDerivedQuantityInOrderAndMatchesTheDerivationText(string model)
    {
        switch (model)
        {
            case "TanhNetwork": Check<TanhNetwork>(TanhNetwork.Formulas); break;
            case "ReluNetwork": Check<ReluNetwork>(ReluNetwork.Formulas); break;
            case "GaussianBumpNetwork": Check<GaussianBumpNetwork>(GaussianBumpNetwork.Formulas); break;
            case "FourierNetwork": Check<FourierNetwork>(FourierNetwork.Formulas); break;
            case "SoftplusLogCoshNetwork": Check<SoftplusLogCoshNetwork>(SoftplusLogCoshNetwork.Formulas); break;
            case "KitchenSinkNetwork": Check<KitchenSinkNetwork>(KitchenSinkNetwork.Formulas); break;
            case "EnvelopeNetwork": Check<EnvelopeNetwork>(EnvelopeNetwork.Formulas); break;
            default: throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model");
        }
    }

    [Fact]
    public void LooksUpOneQuantity()
    {
        // The line of the generated header (snapshot MeanField.Models.TanhNetwork.verified.cs), found by its quantity.
        Assert.Equal("tanh(b + w·x)", TanhNetwork.Formulas["∂φ/∂c"]);
        Assert.True(TanhNetwork.Formulas.TryGetFormula("∂ℓ/∂ŷ", out var cost));
        Assert.Equal("ŷ − y", cost);
        Assert.False(TanhNetwork.Formulas.TryGetFormula("∂φ/∂z", out _));
    }

    [Fact]
    public void UnknownQuantityNamesTheModelAndListsTheKnownOnes()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => TanhNetwork.Formulas["dphi/dc"]);
        Assert.Contains("TanhNetwork has no derived quantity 'dphi/dc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("φ, ∂φ/∂c, ∂φ/∂b, ∂φ/∂w, ∂φ/∂x, ℓ(y, ŷ), ∂ℓ/∂ŷ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorRejectsEmptyDuplicateAndNull()
    {
        Assert.Equal("formulas", Assert.Throws<ArgumentException>(() => new DerivedFormulas("M", [])).ParamName);
        var duplicate = Assert.Throws<ArgumentException>(() => new DerivedFormulas("M", [new("φ", "a"), new("φ", "b")]));
        Assert.Contains("'φ' twice", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new DerivedFormulas("M", null!));
        Assert.Throws<ArgumentException>(() => new DerivedFormulas(" ", [new("φ", "a")]));
    }

    private static void Check<TModel>(DerivedFormulas formulas) where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        Assert.Same(formulas, TModel.Formulas);
        Assert.Equal(layout.ModelName, formulas.ModelName);

        var quantities = formulas.Quantities.ToList();
        int s = layout.ScalarCount, v = layout.VectorParameters.Count;
        var expectedHead = new[] { "φ" }
            .Concat(layout.ScalarParameters.Select(p => "∂φ/∂" + p))
            .Concat(layout.VectorParameters.Select(p => "∂φ/∂" + p));
        Assert.Equal(expectedHead, quantities.Take(1 + s + v));
        Assert.StartsWith("∂φ/∂", quantities[1 + s + v], StringComparison.Ordinal);   // ∂φ/∂(input)
        Assert.Equal(new[] { "ℓ(y, ŷ)", "∂ℓ/∂ŷ" }, quantities.Skip(2 + s + v).Take(2));
        var rest = quantities.Skip(4 + s + v).ToList();
        if (layout.HasRegularizer)
        {
            Assert.Equal("U", rest[0]);
            Assert.Equal(s + layout.ParticleChannels.Count, rest.Count - 1);
            Assert.All(rest.Skip(1), q => Assert.StartsWith("∂U/∂", q, StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(rest);
        }

        // The formula lines of Derivation (after the header's first blank line, without the closing notes — the values
        // computed once per group of particles, the cached schedule's kept values — and the operation counts), in order.
        var lines = TModel.Derivation.Split('\n').SkipWhile(l => l.Length > 0)
            .Where(l => l.Length > 0 && !l.StartsWith("Operations", StringComparison.Ordinal) && !l.StartsWith("Cached schedule:", StringComparison.Ordinal)
                && !l.StartsWith("Per group of particles", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines, formulas.Select(f => f.ToString()));
        Assert.All(formulas, f => Assert.Equal(f.Formula, formulas[f.Quantity]));
    }
}
