using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Networks;

/// <summary>
/// Reads a <c>[MeanFieldNetwork]</c> type into a <see cref="NetworkSpec"/>: checks the type and its
/// annotated members, then parses each formula with <see cref="FormulaParser"/>.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttribute = ModelFrontEnd.NetworkAttribute;
    private const string ActivationAttribute = "MeanField.ActivationAttribute";
    private const string UnitAttribute = "MeanField.UnitAttribute";
    private const string CostAttribute = "MeanField.CostAttribute";
    private const string RegularizerAttribute = "MeanField.RegularizerAttribute";

    private const string ActivationSignature = "static double Name(double z)";
    private const string CostSignature = "static double Name(double y, double prediction)";
    private const string UnitSignature = "static double Name(<double or ReadOnlySpan<double> parameters>, ReadOnlySpan<double> x)";

    /// <summary>The front end (<see cref="ModelPipeline.FrontEnd{TSpec}"/>): the spec, or null with the diagnostics added.</summary>
    public static NetworkSpec? Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        // A type that is also an [InteractionEnergy] or a [MeanFieldGame] gets MF0104 from that kind, and nothing from this one.
        if (ModelFrontEnd.HasAttribute(type, ModelFrontEnd.InteractionAttribute)
            || ModelFrontEnd.HasAttribute(type, ModelFrontEnd.GameAttribute)
            || !ModelFrontEnd.CheckModelType(type, syntax, compilation, "INetworkModel<T>", diagnostics))
        {
            return null;
        }

        // [Activation] and [Unit] are the same role: the network has exactly one unit.
        var roles = ModelFrontEnd.CollectRoles(
            type,
            static (_, attribute) => attribute.AttributeClass?.ToDisplayString() switch
            {
                ActivationAttribute or UnitAttribute => "Unit",
                CostAttribute => "Cost",
                RegularizerAttribute => "Regularizer",
                _ => null,
            },
            (slot, previous, method) => diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.DuplicateMember,
                ModelFrontEnd.FirstLocation(method),
                type.Name,
                slot == "Unit" ? "[Activation] or [Unit] method" : $"[{slot}] method",
                previous.Name,
                method.Name)));

        var identifier = syntax.Identifier.GetLocation();
        if (!roles.TryGetValue("Unit", out var unitMethod))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingUnit, identifier, type.Name));
        }

        if (!roles.TryGetValue("Cost", out var costMethod))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingCost, identifier, type.Name));
        }

        roles.TryGetValue("Regularizer", out var regularizerMethod);
        if (unitMethod is null || costMethod is null || diagnostics.Count > 0)
        {
            return null;
        }

        bool isRidge = ModelFrontEnd.HasAttribute(unitMethod, ActivationAttribute);
        bool signaturesOk = isRidge
            ? ModelFrontEnd.CheckSignature(unitMethod, "Activation", ActivationSignature, p => p.Length == 1 && ModelFrontEnd.IsScalar(p[0]), diagnostics)
            : ModelFrontEnd.CheckSignature(unitMethod, "Unit", UnitSignature, p => p.Length >= 1 && p.All(q => ModelFrontEnd.IsScalar(q) || ModelFrontEnd.IsVector(q)) && ModelFrontEnd.IsVector(p[p.Length - 1]), diagnostics);
        signaturesOk &= ModelFrontEnd.CheckSignature(costMethod, "Cost", CostSignature, p => p.Length == 2 && ModelFrontEnd.IsScalar(p[0]) && ModelFrontEnd.IsScalar(p[1]), diagnostics);
        if (!signaturesOk)
        {
            return null;
        }

        // The unit's parameters θ (name, is vector) and the input's name.
        var theta = isRidge
            ? new List<(string Name, bool IsVector)> { ("c", false), ("w", true), ("b", false) }
            : unitMethod.Parameters.Take(unitMethod.Parameters.Length - 1).Select(p => (p.Name, IsVector: ModelFrontEnd.IsVector(p))).ToList();
        string inputName = isRidge ? "x" : unitMethod.Parameters[unitMethod.Parameters.Length - 1].Name;
        var scalars = theta.Where(p => !p.IsVector).Select(p => p.Name).ToArray();
        var vectors = theta.Where(p => p.IsVector).Select(p => p.Name).ToArray();

        if (regularizerMethod is not null
            && !ModelFrontEnd.CheckSignature(regularizerMethod, "Regularizer", ModelFrontEnd.OnceSignature(theta), p => ModelFrontEnd.TakesThetaOnce(p, theta), diagnostics))
        {
            return null;
        }

        var channels = ChannelSet.ForNetwork(vectors, inputName);
        var parser = new FormulaParser(compilation, type, channels, diagnostics, token);

        Expr? unit;
        string unitDescription;
        if (isRidge)
        {
            // φ(x; c, w, b) = c·σ(w·x + b): the activation's argument is bound to w·x + b.
            var z = channels.Dot(0, ChannelSet.Input) + Expr.Symbol("b");
            var sigma = parser.ParseMethod(unitMethod, ModelFrontEnd.Bind(unitMethod.Parameters, p => FormulaParser.Binding.ForScalar(z)));
            unit = sigma is null ? null : Expr.Symbol("c") * sigma;
            unitDescription = $"ridge unit φ(x; c, w, b) = c·σ(w·x + b), σ = {unitMethod.Name}";
        }
        else
        {
            int scalarIndex = 0, vectorIndex = 0;
            unit = parser.ParseMethod(unitMethod, ModelFrontEnd.Bind(unitMethod.Parameters, p =>
                p.Ordinal == unitMethod.Parameters.Length - 1 ? FormulaParser.Binding.ForVector(ChannelSet.Input)
                : ModelFrontEnd.IsVector(p) ? FormulaParser.Binding.ForVector(vectorIndex++)
                : FormulaParser.Binding.ForScalar(Expr.Symbol(scalars[scalarIndex++]))));
            unitDescription = $"unit φ = {unitMethod.Name}({string.Join(", ", unitMethod.Parameters.Select(p => p.Name))})";
        }

        token.ThrowIfCancellationRequested();
        var cost = parser.ParseMethod(costMethod, ModelFrontEnd.Bind(costMethod.Parameters, p =>
            FormulaParser.Binding.ForScalar(Expr.Symbol(p.Ordinal == 0 ? NetworkSymbols.Target : NetworkSymbols.Prediction))));

        Expr? regularizer = null;
        if (regularizerMethod is not null)
        {
            regularizer = parser.ParseMethod(regularizerMethod, ModelFrontEnd.BindSides(regularizerMethod.Parameters, regularizerMethod.Parameters.Length, scalars));
        }

        if (unit is null || cost is null || (regularizerMethod is not null && regularizer is null) || diagnostics.Count > 0)
        {
            return null;
        }

        return new NetworkSpec(
            Namespace: ModelFrontEnd.NamespaceOf(type),
            TypeName: type.Name,
            TypeKeyword: ModelFrontEnd.TypeKeyword(syntax),
            Layout: channels.Layout(scalars),
            UnitDescription: unitDescription,
            InputName: inputName,
            Unit: unit,
            Cost: cost,
            Regularizer: regularizer);
    }
}
