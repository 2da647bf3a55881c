using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Interactions;

/// <summary>A pair channel: vector <see cref="First"/> of θ with vector <see cref="Second"/> of θ′, a·b or |a − b|².</summary>
internal readonly record struct PairChannelSpec(int First, int Second, bool IsSquaredDistance);

/// <summary>A per-particle channel v_First·v_Second (equal indices: |v|²), the same on both sides.</summary>
internal readonly record struct SideChannelSpec(int First, int Second);

/// <summary>
/// Everything the emitter needs to write one interaction model, as equatable data. <see cref="Kernel"/> is over all
/// of <see cref="Layout"/>'s symbols; <see cref="Potential"/> and <see cref="Confinement"/> over the first S + Q.
/// </summary>
internal sealed record InteractionSpec(
    string Namespace,
    string TypeName,
    string TypeKeyword,
    string KernelName,
    EquatableArray<string> ScalarParameters,
    EquatableArray<string> VectorParameters,
    EquatableArray<SideChannelSpec> ParticleChannels,
    EquatableArray<PairChannelSpec> PairChannels,
    InputLayout Layout,
    Expr Kernel,
    Expr? Potential,
    Expr? Confinement) : IModelSpec
{
    /// <summary>The fully qualified name as C# code (<c>global::@class.@struct</c>).</summary>
    public string FullyQualifiedName => "global::" + (Namespace.Length == 0 ? string.Empty : Identifiers.EscapeDotted(Namespace) + ".") + TypeIdentifier;

    /// <summary>The type's name as C# code.</summary>
    public string TypeIdentifier => Identifiers.Escape(TypeName);

    /// <summary>The namespace as C# code.</summary>
    public string NamespaceIdentifier => Identifiers.EscapeDotted(Namespace);

    /// <inheritdoc/>
    public string FullName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
}
