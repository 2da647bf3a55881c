using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Networks;

/// <summary>
/// Everything the emitter needs to write one network model, as equatable data: the shared <see cref="ModelSpec"/>
/// (names and input layout) and the network's formulas.
/// </summary>
/// <remarks>
/// <see cref="Unit"/> is an expression over the symbols of <see cref="ModelSpec.Layout"/> (scalar parameter names,
/// then channel symbols), in the runtime's input order [scalars][particle channels][sample channel |x|²][pair
/// channels v_j·x]. <see cref="Cost"/> is over the symbols <see cref="NetworkSymbols.Target"/> and
/// <see cref="NetworkSymbols.Prediction"/>; <see cref="Regularizer"/> over the first S + Q input symbols.
/// </remarks>
internal sealed record NetworkSpec(
    string Namespace,
    string TypeName,
    string TypeKeyword,
    InputLayout Layout,
    string UnitDescription,
    string InputName,
    Expr Unit,
    Expr Cost,
    Expr? Regularizer) : ModelSpec(Namespace, TypeName, TypeKeyword, Layout)
{
    /// <summary>Whether the unit reads |x|² (side B's one per-particle channel).</summary>
    public bool UsesSquaredNormOfInput => Layout.SideBChannels.Count > 0;
}

/// <summary>Names of the symbols the parser gives to the cost's arguments.</summary>
internal static class NetworkSymbols
{
    /// <summary>The target y in the cost ℓ(y, ŷ).</summary>
    public const string Target = "y";

    /// <summary>The prediction ŷ in the cost ℓ(y, ŷ).</summary>
    public const string Prediction = "ŷ";
}
