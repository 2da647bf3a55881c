using System.Linq;
using MeanField.Generators.Helpers;

namespace MeanField.Generators.Pipeline;

/// <summary>
/// What every kind's spec holds and tells the shared pipeline and writers: the model's names and its input layout.
/// Each kind's spec (NetworkSpec, InteractionSpec) derives from it and adds its formulas; all of it is equatable data
/// (strings, numbers, structurally-compared symbolic expressions), never symbols, syntax nodes or locations.
/// </summary>
/// <param name="Namespace">The namespace's names joined by dots, without <c>@</c> (empty: the global namespace).</param>
/// <param name="TypeName">The type's name as written, without <c>@</c>.</param>
/// <param name="TypeKeyword"><c>struct</c> or <c>record struct</c>.</param>
/// <param name="Layout">The input order of the model's operators (<see cref="InputLayout"/>).</param>
internal abstract record ModelSpec(string Namespace, string TypeName, string TypeKeyword, InputLayout Layout)
{
    /// <summary>The scalar parameters of θ, in declaration order (the first inputs).</summary>
    public EquatableArray<string> ScalarParameters => new(Layout.Symbols.Take(Layout.ScalarCount).ToArray());

    /// <summary>The vector parameters of θ, in declaration order.</summary>
    public EquatableArray<string> VectorParameters => Layout.SideAVectors;

    /// <summary>The full name without escapes (<c>Demo.Net</c>): models are told apart, and files named, by it.</summary>
    public string FullName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;

    /// <summary>The fully qualified name as C# code, with <c>global::</c> and verbatim identifiers escaped (<c>global::@class.@struct</c>).</summary>
    public string FullyQualifiedName => "global::" + (Namespace.Length == 0 ? string.Empty : NamespaceIdentifier + ".") + TypeIdentifier;

    /// <summary>The type's name as C# code (<c>@class</c> for a type named <c>class</c>).</summary>
    public string TypeIdentifier => Identifiers.Escape(TypeName);

    /// <summary>The namespace as C# code, each part escaped.</summary>
    public string NamespaceIdentifier => Identifiers.EscapeDotted(Namespace);
}

/// <summary>
/// What the parse step produces for one annotated type: the spec and its diagnostics, the model's full name and
/// where its name is declared (the site of diagnostics about the model as a whole, such as a failure while emitting).
/// </summary>
/// <typeparam name="TSpec">The kind's spec.</typeparam>
internal sealed record ParsedModel<TSpec>(Result<TSpec> Result, string FullName, LocationInfo? Site)
    where TSpec : ModelSpec;

/// <summary>Where a model's name is declared, by its full name (joined with <see cref="EmittedModel"/> for failures).</summary>
internal sealed record ModelSite(string FullName, LocationInfo? Site);

/// <summary>
/// What the emit step produces for one spec: the generated source and the hint-name stem, or the diagnostic that
/// replaces it (<see cref="FailureId"/> with <see cref="FailureMessage"/> as its second argument) when emitting threw.
/// </summary>
internal sealed record EmittedModel(string FullName, string TypeName, string HintStem, string? Source, string? FailureId, string? FailureMessage);
