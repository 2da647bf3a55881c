using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Interactions;

/// <summary>
/// Reads an <c>[InteractionEnergy]</c> type into an <see cref="InteractionSpec"/>: the shared type checks
/// (<see cref="ModelFrontEnd"/>), the roles [Kernel] (one), [Potential] and [Confinement] (at most one each), their
/// signatures, then each formula through <see cref="FormulaParser"/> over a two-sided <see cref="ChannelSet"/>.
/// </summary>
internal static class InteractionParser
{
    public const string InteractionAttribute = ModelFrontEnd.InteractionAttribute;
    private const string KernelAttribute = "MeanField.KernelAttribute";
    private const string PotentialAttribute = "MeanField.PotentialAttribute";
    private const string ConfinementAttribute = "MeanField.ConfinementAttribute";

    /// <summary>The front end (<see cref="ModelPipeline.FrontEnd{TSpec}"/>): the spec, or null with the diagnostics added.</summary>
    public static InteractionSpec? Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        var identifier = syntax.Identifier.GetLocation();
        if (ModelFrontEnd.HasAttribute(type, ModelFrontEnd.GameAttribute))
        {
            return null; // MF0104 from the game kind
        }

        if (ModelFrontEnd.HasAttribute(type, ModelFrontEnd.NetworkAttribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, identifier, type.Name, "it carries both [MeanFieldNetwork] and [InteractionEnergy]"));
            return null;
        }

        if (!ModelFrontEnd.CheckModelType(type, syntax, compilation, "IInteractionModel<T>", diagnostics))
        {
            return null;
        }

        var roles = ModelFrontEnd.CollectRoles(
            type,
            (method, attribute) =>
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (ModelFrontEnd.NetworkMemberAttributes.Contains(name))
                {
                    string shortName = attribute.AttributeClass!.Name.Replace("Attribute", string.Empty);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, ModelFrontEnd.FirstLocation(method), type.Name, $"its method '{method.Name}' carries the network attribute [{shortName}]"));
                    return null;
                }

                return name switch
                {
                    KernelAttribute => "Kernel",
                    PotentialAttribute => "Potential",
                    ConfinementAttribute => "Confinement",
                    _ => null,
                };
            },
            (role, previous, method) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateInteractionMember, ModelFrontEnd.FirstLocation(method), type.Name, role, previous.Name, method.Name)));

        if (!roles.TryGetValue("Kernel", out var kernelMethod))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingKernel, identifier, type.Name));
        }

        roles.TryGetValue("Potential", out var potentialMethod);
        roles.TryGetValue("Confinement", out var confinementMethod);
        if (kernelMethod is null || diagnostics.Count > 0)
        {
            return null;
        }

        // The kernel: the particle's parameters twice, θ then θ′.
        if (!ModelFrontEnd.CheckSignature(kernelMethod, "Kernel", "static double Name(θ parameters, θ′ parameters)", p => p.All(q => ModelFrontEnd.IsScalar(q) || ModelFrontEnd.IsVector(q)), diagnostics))
        {
            return null;
        }

        var parameters = kernelMethod.Parameters;
        int half = parameters.Length / 2;
        string? halvesProblem = null;
        if (parameters.Length == 0)
        {
            halvesProblem = "it has no parameters";
        }
        else if (parameters.Length % 2 != 0)
        {
            halvesProblem = $"it has {parameters.Length} parameters, an odd number";
        }
        else
        {
            for (int i = 0; i < half; i++)
            {
                if (ModelFrontEnd.IsVector(parameters[i]) != ModelFrontEnd.IsVector(parameters[half + i]))
                {
                    halvesProblem = $"parameter '{parameters[i].Name}' of θ is {Describe(parameters[i])} but its counterpart '{parameters[half + i].Name}' of θ′ is {Describe(parameters[half + i])}";
                    break;
                }
            }
        }

        if (halvesProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.KernelHalvesDiffer, ModelFrontEnd.FirstLocation(kernelMethod), kernelMethod.Name, halvesProblem));
            return null;
        }

        var theta = parameters.Take(half).Select(p => (p.Name, IsVector: ModelFrontEnd.IsVector(p))).ToList();
        var scalars = theta.Where(p => !p.IsVector).Select(p => p.Name).ToArray();
        var vectors = theta.Where(p => p.IsVector).Select(p => p.Name).ToArray();
        string onceSignature = ModelFrontEnd.OnceSignature(theta);
        bool ok = true;
        if (potentialMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(potentialMethod, "Potential", onceSignature, p => ModelFrontEnd.TakesThetaOnce(p, theta), diagnostics);
        }

        if (confinementMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(confinementMethod, "Confinement", onceSignature, p => ModelFrontEnd.TakesThetaOnce(p, theta), diagnostics);
        }

        if (!ok)
        {
            return null;
        }

        var channels = ChannelSet.ForInteraction(vectors);
        var parser = new FormulaParser(compilation, type, channels, diagnostics, token);
        var kernel = parser.ParseMethod(kernelMethod, ModelFrontEnd.BindSides(parameters, half, scalars));
        token.ThrowIfCancellationRequested();
        var potential = potentialMethod is null ? null : parser.ParseMethod(potentialMethod, ModelFrontEnd.BindSides(potentialMethod.Parameters, potentialMethod.Parameters.Length, scalars));
        var confinement = confinementMethod is null ? null : parser.ParseMethod(confinementMethod, ModelFrontEnd.BindSides(confinementMethod.Parameters, confinementMethod.Parameters.Length, scalars));
        if (kernel is null || (potentialMethod is not null && potential is null) || (confinementMethod is not null && confinement is null) || diagnostics.Count > 0)
        {
            return null;
        }

        return new InteractionSpec(
            Namespace: ModelFrontEnd.NamespaceOf(type),
            TypeName: type.Name,
            TypeKeyword: ModelFrontEnd.TypeKeyword(syntax),
            Layout: channels.Layout(scalars),
            KernelName: kernelMethod.Name,
            Kernel: kernel,
            Potential: potential,
            Confinement: confinement);
    }

    private static string Describe(IParameterSymbol parameter) => ModelFrontEnd.IsVector(parameter) ? "a vector (ReadOnlySpan<double>)" : "a scalar (double)";
}
