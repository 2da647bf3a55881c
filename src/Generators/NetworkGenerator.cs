using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators;

/// <summary>
/// The incremental generator for <c>[MeanFieldNetwork]</c> types: one equatable
/// <see cref="NetworkSpec"/> per model, diagnostics in their own output, one
/// <c>{Namespace}.{Type}.g.cs</c> per model (see <see cref="HintNames"/>).
/// </summary>
/// <remarks>
/// Parse and emit are separate cached steps, and each catches its own failures: an expression too deep to
/// process (<see cref="ExpressionTooComplexException"/>, <see cref="InsufficientExecutionStackException"/>)
/// becomes MF0018, anything else MF0099, both at the model's name. All files are added in one final step, after
/// their hint names are made unique, so one model can never make <c>AddSource</c> throw away the others' code.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (asserted by the incrementality tests).</summary>
    public static class Steps
    {
        /// <summary>Model type → spec and diagnostics.</summary>
        public const string Parse = "MeanField.Parse";

        /// <summary>The specs of valid models.</summary>
        public const string Specs = "MeanField.Specs";

        /// <summary>Spec → generated source (or the failure that replaces it).</summary>
        public const string Emit = "MeanField.Emit";

        /// <summary>The diagnostics.</summary>
        public const string Diagnostics = "MeanField.Diagnostics";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (ctx, token) => Execute.Parse(ctx, token))
            .WithTrackingName(Steps.Parse);

        // The project's MeanFieldDiagnosticsDocs: where the help links of its diagnostics point (HelpLinks).
        var docs = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(HelpLinks.OptionKey, out var value) ? value : null);

        var diagnostics = parsed
            .Select(static (model, _) => model.Result.Errors)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Collect().Combine(docs), static (spc, pair) => Execute.Report(spc, pair.Left, pair.Right));

        var specs = parsed
            .Where(static model => model.Result.Value is not null)
            .Select(static (model, _) => model.Result.Value!)
            .WithTrackingName(Steps.Specs);
        var emitted = specs
            .Select(static (spec, token) => Execute.Emit(spec, token))
            .WithTrackingName(Steps.Emit);
        var sites = parsed.Select(static (model, _) => new ModelSite(model.FullName, model.Site));

        context.RegisterSourceOutput(
            emitted.Collect().Combine(sites.Collect()).Combine(docs),
            static (spc, input) => Execute.AddSources(spc, input.Left.Left, input.Left.Right, input.Right));
    }

    /// <summary>The work of each step; no exception escapes to the compiler.</summary>
    private static class Execute
    {
        public static ParsedModel Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken token)
        {
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var site = LocationInfo.From(syntax.Identifier.GetLocation());
            string fullName = syntax.Identifier.ValueText;
            try
            {
                var type = (INamedTypeSymbol)context.TargetSymbol;
                fullName = NetworkParser.FullName(type);
                if (TestHooks.ThrowWhileParsing?.Invoke(syntax.Identifier.ValueText) == true)
                {
                    throw new InvalidOperationException("failure injected by a test");
                }

                return new ParsedModel(NetworkParser.Parse(type, syntax, context.SemanticModel.Compilation, token), fullName, site);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var (id, message) = Failure(exception);
                var error = new DiagnosticInfo(id, site, new EquatableArray<string>(new[] { syntax.Identifier.ValueText, message }));
                return new ParsedModel(new Result<NetworkSpec>(null, new EquatableArray<DiagnosticInfo>(new[] { error })), fullName, site);
            }
        }

        public static EmittedModel Emit(NetworkSpec spec, System.Threading.CancellationToken token)
        {
            string stem = HintNames.Stem(spec.FullName);
            try
            {
                if (TestHooks.ThrowWhileEmitting?.Invoke(spec.TypeName) is { } injected)
                {
                    throw injected;
                }

                string source = NetworkEmitter.Emit(spec);
                token.ThrowIfCancellationRequested();
                return new EmittedModel(spec.FullName, spec.TypeName, stem, source, null, null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var (id, message) = Failure(exception);
                return new EmittedModel(spec.FullName, spec.TypeName, stem, null, id, message);
            }
        }

        /// <summary>Reports every diagnostic once per ID, location and message (two declarations of one model, or
        /// one helper inlined twice, would otherwise repeat it).</summary>
        public static void Report(Microsoft.CodeAnalysis.SourceProductionContext context, ImmutableArray<EquatableArray<DiagnosticInfo>> errors, string? docs)
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

        /// <summary>Adds every generated file at once, with unique, portable hint names (<see cref="HintNames"/>), in
        /// the order of the models' full names; a model whose emission failed gets its diagnostic at its name.</summary>
        public static void AddSources(Microsoft.CodeAnalysis.SourceProductionContext context, ImmutableArray<EmittedModel> models, ImmutableArray<ModelSite> sites, string? docs)
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
}
