using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Pipeline;

/// <summary>A per-particle channel v_First·v_Second (equal indices: |v|²).</summary>
internal readonly record struct ParticleChannelSpec(int First, int Second);

/// <summary>
/// Everything the emitter needs to write one network model, as equatable data (strings, numbers,
/// structurally-compared symbolic expressions): never symbols, syntax nodes or locations.
/// </summary>
/// <remarks>
/// <see cref="Unit"/> is an expression over the symbols named by <see cref="InputSymbols"/> (scalar
/// parameter names, then channel symbols), in the runtime's input order
/// [scalars][particle channels][sample channel][pair channels]. <see cref="Cost"/> is over the
/// symbols <see cref="NetworkSymbols.Target"/> and <see cref="NetworkSymbols.Prediction"/>;
/// <see cref="Regularizer"/> over the first S + Q input symbols.
/// </remarks>
internal sealed record NetworkSpec(
    string Namespace,
    string TypeName,
    string TypeKeyword,
    string UnitDescription,
    string InputName,
    EquatableArray<string> ScalarParameters,
    EquatableArray<string> VectorParameters,
    EquatableArray<ParticleChannelSpec> ParticleChannels,
    bool UsesSquaredNormOfInput,
    EquatableArray<int> PairChannels,
    EquatableArray<string> InputSymbols,
    Expr Unit,
    Expr Cost,
    Expr? Regularizer) : IModelSpec
{
    /// <summary>S.</summary>
    public int ScalarCount => ScalarParameters.Count;

    /// <summary>S + Q.</summary>
    public int RegularizerInputCount => ScalarParameters.Count + ParticleChannels.Count;

    /// <summary>The fully qualified name as C# code, with <c>global::</c> and verbatim identifiers escaped (<c>global::@class.@struct</c>).</summary>
    public string FullyQualifiedName => "global::" + (Namespace.Length == 0 ? string.Empty : NamespaceIdentifier + ".") + TypeIdentifier;

    /// <summary>The type's name as C# code (<c>@class</c> for a type named <c>class</c>); <see cref="TypeName"/> is the name itself.</summary>
    public string TypeIdentifier => Identifiers.Escape(TypeName);

    /// <summary>The namespace as C# code, each part escaped; <see cref="Namespace"/> holds the names themselves.</summary>
    public string NamespaceIdentifier => Identifiers.EscapeDotted(Namespace);

    /// <summary>The full name without escapes (<c>Demo.Net</c>): models are told apart by it.</summary>
    public string FullName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
}

/// <summary>Names of the symbols the parser gives to channels and to the cost's arguments.</summary>
internal static class NetworkSymbols
{
    /// <summary>The target y in the cost ℓ(y, ŷ).</summary>
    public const string Target = "y";

    /// <summary>The prediction ŷ in the cost ℓ(y, ŷ).</summary>
    public const string Prediction = "ŷ";

    /// <summary>Symbol of the channel a·b (a = b: |a|²).</summary>
    public static string Dot(string a, string b) => a == b ? "|" + a + "|²" : a + "·" + b;
}
