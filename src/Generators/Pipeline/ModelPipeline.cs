using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Pipeline;

/// <summary>
/// The registration every model kind shares: find the types with the kind's attribute, parse each into an equatable
/// spec plus diagnostics (cached step), emit each spec (cached step), and hand the kind's diagnostics, files and
/// sites to <see cref="Report"/> and <see cref="AddSources"/>, which the generator calls once for all kinds together
/// (so hint names are unique across kinds and each diagnostic is reported once per ID, span and message).
/// </summary>
/// <remarks>
/// Parse and emit each catch their own failures: an expression too deep to process
/// (<see cref="ExpressionTooComplexException"/>, <see cref="InsufficientExecutionStackException"/>) becomes MF0018,
/// anything else MF0099, both at the model's name.
/// </remarks>
internal static class ModelPipeline
{
    /// <summary>Tracking names of one kind's steps (asserted by the incrementality tests).</summary>
    /// <param name="Parse">Model type → spec and diagnostics.</param>
    /// <param name="Specs">The specs of valid models.</param>
    /// <param name="Emit">Spec → generated source (or the failure that replaces it).</param>
    /// <param name="Diagnostics">The diagnostics.</param>
    public sealed record StepNames(string Parse, string Specs, string Emit, string Diagnostics);

    /// <summary>A kind's front end: reads the model type into its spec, adding its diagnostics to the list (the spec
    /// is used only when none was added).</summary>
    /// <typeparam name="TSpec">The kind's spec.</typeparam>
    public delegate TSpec? FrontEnd<TSpec>(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
        where TSpec : ModelSpec;

    /// <summary>One kind's outputs, for the generator to join with the other kinds'.</summary>
    public sealed record KindOutputs(
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> Diagnostics,
        IncrementalValuesProvider<EmittedModel> Emitted,
        IncrementalValuesProvider<ModelSite> Sites);

    /// <summary>Registers one kind's parse and emit steps.</summary>
    /// <typeparam name="TSpec">The kind's spec.</typeparam>
    public static KindOutputs Register<TSpec>(
        IncrementalGeneratorInitializationContext context,
        string attribute,
        StepNames steps,
        FrontEnd<TSpec> parse,
        Func<TSpec, string> emit)
        where TSpec : ModelSpec
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: (ctx, token) => Parse(ctx, parse, token))
            .WithTrackingName(steps.Parse);

        var diagnostics = parsed
            .Select(static (model, _) => model.Result.Errors)
            .WithTrackingName(steps.Diagnostics);

        var specs = parsed
            .Where(static model => model.Result.Value is not null)
            .Select(static (model, _) => model.Result.Value!)
            .WithTrackingName(steps.Specs);
        var emitted = specs
            .Select((spec, token) => Emit(spec, emit, token))
            .WithTrackingName(steps.Emit);
        var sites = parsed.Select(static (model, _) => new ModelSite(model.FullName, model.Site));
        return new KindOutputs(diagnostics, emitted, sites);
    }

    private static ParsedModel<TSpec> Parse<TSpec>(
        GeneratorAttributeSyntaxContext context,
        FrontEnd<TSpec> parse,
        CancellationToken token)
        where TSpec : ModelSpec
    {
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var site = LocationInfo.From(syntax.Identifier.GetLocation());
        string fullName = syntax.Identifier.ValueText;
        try
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            fullName = ModelFrontEnd.FullName(type);
            if (TestHooks.ParsingFails(syntax.Identifier.ValueText))
            {
                throw new InvalidOperationException("failure injected by a test");
            }

            var diagnostics = new List<DiagnosticInfo>();
            var spec = parse(type, syntax, context.SemanticModel.Compilation, diagnostics, token);

            // Each diagnostic once per ID, span and message (a helper inlined twice reports its problem once).
            var result = new Result<TSpec>(diagnostics.Count == 0 ? spec : null, new EquatableArray<DiagnosticInfo>(diagnostics.Distinct().ToArray()));
            return new ParsedModel<TSpec>(result, fullName, site);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var (id, message) = Failure(exception);
            var error = new DiagnosticInfo(id, site, new EquatableArray<string>(new[] { syntax.Identifier.ValueText, message }));
            return new ParsedModel<TSpec>(new Result<TSpec>(null, new EquatableArray<DiagnosticInfo>(new[] { error })), fullName, site);
        }
    }

    private static EmittedModel Emit<TSpec>(TSpec spec, Func<TSpec, string> emit, CancellationToken token)
        where TSpec : ModelSpec
    {
        string stem = HintNames.Stem(spec.FullName);
        try
        {
            if (TestHooks.EmitFailure(spec.TypeName) is { } injected)
            {
                throw injected;
            }

            string source = emit(spec);
            token.ThrowIfCancellationRequested();
            return new EmittedModel(spec.FullName, spec.TypeName, stem, source, null, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var (id, message) = Failure(exception);
            return new EmittedModel(spec.FullName, spec.TypeName, stem, null, id, message);
        }
    }

    /// <summary>Reports every diagnostic once per ID, location and message (two declarations of one model, one
    /// helper inlined twice, or one type carrying two kinds' attributes would otherwise repeat it).</summary>
    public static void Report(SourceProductionContext context, IEnumerable<EquatableArray<DiagnosticInfo>> errors, string? docs)
    {
        var seen = new HashSet<DiagnosticInfo>();
        foreach (var list in errors)
        {
            foreach (var error in list)
            {
                if (seen.Add(error))
                {
                    context.ReportDiagnostic(error.ToDiagnostic(docs));
                }
            }
        }
    }

    /// <summary>Adds every generated file of every kind at once, with unique, portable hint names
    /// (<see cref="HintNames"/>), in the order of the models' full names; a model whose emission failed gets its
    /// diagnostic at its name.</summary>
    public static void AddSources(SourceProductionContext context, IEnumerable<EmittedModel> models, IReadOnlyCollection<ModelSite> sites, string? docs)
    {
        var ordered = models
            .GroupBy(static m => m.FullName, StringComparer.Ordinal)
            .Select(static g => g.First())
            .OrderBy(static m => m.FullName, StringComparer.Ordinal)
            .ToList();

        foreach (var failed in ordered.Where(static m => m.Source is null))
        {
            var site = sites.FirstOrDefault(s => s.FullName == failed.FullName)?.Site;
            var error = new DiagnosticInfo(failed.FailureId ?? DiagnosticDescriptors.InternalError.Id, site, new EquatableArray<string>(new[] { failed.TypeName, failed.FailureMessage ?? string.Empty }));
            context.ReportDiagnostic(error.ToDiagnostic(docs));
        }

        var succeeded = ordered.Where(static m => m.Source is not null).ToList();
        var hints = HintNames.Assign(succeeded.Select(static m => m.HintStem).ToList());
        for (int i = 0; i < succeeded.Count; i++)
        {
            context.AddSource(hints[i], succeeded[i].Source!);
        }
    }

    /// <summary>The diagnostic an exception becomes: MF0018 for an expression too deep to process, else MF0099.</summary>
    private static (string Id, string Message) Failure(Exception exception) => exception switch
    {
        ExpressionTooComplexException tooComplex => (DiagnosticDescriptors.ExpressionTooDeep.Id, tooComplex.Message),
        InsufficientExecutionStackException => (DiagnosticDescriptors.ExpressionTooDeep.Id, $"the expression is nested too deeply to process (the stack ran low); at most {ExpressionDepth.Limit} levels are supported"),
        _ => (DiagnosticDescriptors.InternalError.Id, exception.GetType().Name + ": " + exception.Message),
    };
}
