using MeanField.Generators.Helpers;

namespace MeanField.Generators.Pipeline;

/// <summary>What every kind's spec tells the shared pipeline: the names the generated file and its failures go by.</summary>
internal interface IModelSpec
{
    /// <summary>The full name without escapes (<c>Demo.Net</c>): models are told apart, and files named, by it.</summary>
    string FullName { get; }

    /// <summary>The type's name (the first argument of a failure's diagnostic).</summary>
    string TypeName { get; }
}

/// <summary>
/// What the parse step produces for one annotated type: the spec and its diagnostics, the model's full name and
/// where its name is declared (the site of diagnostics about the model as a whole, such as a failure while emitting).
/// </summary>
/// <typeparam name="TSpec">The kind's spec.</typeparam>
internal sealed record ParsedModel<TSpec>(Result<TSpec> Result, string FullName, LocationInfo? Site)
    where TSpec : class, IModelSpec;

/// <summary>Where a model's name is declared, by its full name (joined with <see cref="EmittedModel"/> for failures).</summary>
internal sealed record ModelSite(string FullName, LocationInfo? Site);

/// <summary>
/// What the emit step produces for one spec: the generated source and the hint-name stem, or the diagnostic that
/// replaces it (<see cref="FailureId"/> with <see cref="FailureMessage"/> as its second argument) when emitting threw.
/// </summary>
internal sealed record EmittedModel(string FullName, string TypeName, string HintStem, string? Source, string? FailureId, string? FailureMessage);
