using MeanField.Generators.Helpers;

namespace MeanField.Generators.Pipeline;

/// <summary>
/// What the parse step produces for one annotated type: the spec and its diagnostics, the model's full name and
/// where its name is declared (the site of diagnostics about the model as a whole, such as a failure while emitting).
/// </summary>
internal sealed record ParsedModel(Result<NetworkSpec> Result, string FullName, LocationInfo? Site);

/// <summary>Where a model's name is declared, by its full name (joined with <see cref="EmittedModel"/> for failures).</summary>
internal sealed record ModelSite(string FullName, LocationInfo? Site);

/// <summary>
/// What the emit step produces for one spec: the generated source and the hint-name stem, or the diagnostic that
/// replaces it (<see cref="FailureId"/> with <see cref="FailureMessage"/> as its second argument) when emitting threw.
/// </summary>
internal sealed record EmittedModel(string FullName, string TypeName, string HintStem, string? Source, string? FailureId, string? FailureMessage);
