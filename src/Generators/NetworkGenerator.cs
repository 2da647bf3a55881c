using System;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Emit;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators;

/// <summary>
/// The incremental generator for <c>[MeanFieldNetwork]</c> types: one equatable
/// <see cref="NetworkSpec"/> per model, diagnostics in their own output, one
/// <c>{Namespace}.{Type}.g.cs</c> per model.
/// </summary>
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

        /// <summary>The diagnostics.</summary>
        public const string Diagnostics = "MeanField.Diagnostics";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttribute,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (ctx, token) => Execute.Parse(ctx, token))
            .WithTrackingName(Steps.Parse);

        // The project's MeanFieldDiagnosticsDocs: where the help links of its diagnostics point (HelpLinks).
        var docs = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(HelpLinks.OptionKey, out var value) ? value : null);

        var diagnostics = results
            .Select(static (result, _) => result.Errors)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(docs), static (spc, pair) =>
        {
            foreach (var error in pair.Left)
            {
                spc.ReportDiagnostic(error.ToDiagnostic(pair.Right));
            }
        });

        var specs = results
            .Where(static result => result.Value is not null)
            .Select(static (result, _) => result.Value!)
            .WithTrackingName(Steps.Specs);
        context.RegisterSourceOutput(specs.Combine(docs), static (spc, pair) => Execute.Emit(spc, pair.Left, pair.Right));
    }

    /// <summary>The work of each step; no exception escapes to the compiler.</summary>
    private static class Execute
    {
        public static Result<NetworkSpec> Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken token)
        {
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            try
            {
                if (TestHooks.ThrowWhileParsing?.Invoke(syntax.Identifier.ValueText) == true)
                {
                    throw new InvalidOperationException("failure injected by a test");
                }

                return NetworkParser.Parse((INamedTypeSymbol)context.TargetSymbol, syntax, context.SemanticModel.Compilation, token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), syntax.Identifier.ValueText, exception.GetType().Name + ": " + exception.Message);
                return new Result<NetworkSpec>(null, new EquatableArray<DiagnosticInfo>(new[] { error }));
            }
        }

        public static void Emit(SourceProductionContext context, NetworkSpec spec, string? docs)
        {
            string source;
            try
            {
                source = NetworkEmitter.Emit(spec);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ById(DiagnosticDescriptors.InternalError.Id, docs), Location.None, spec.TypeName, exception.GetType().Name + ": " + exception.Message));
                return;
            }

            string hint = (spec.Namespace.Length == 0 ? spec.TypeName : spec.Namespace + "." + spec.TypeName) + ".g.cs";
            context.AddSource(hint, source);
        }
    }
}
