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
    public const string InteractionAttribute = "MeanField.InteractionEnergyAttribute";
    private const string NetworkAttribute = "MeanField.MeanFieldNetworkAttribute";
    private const string KernelAttribute = "MeanField.KernelAttribute";
    private const string PotentialAttribute = "MeanField.PotentialAttribute";
    private const string ConfinementAttribute = "MeanField.ConfinementAttribute";

    private static readonly string[] NetworkMemberAttributes =
    {
        "MeanField.ActivationAttribute", "MeanField.UnitAttribute", "MeanField.CostAttribute", "MeanField.RegularizerAttribute",
    };

    /// <summary>Names of the members the generated part declares (see <see cref="InteractionEmitter"/>), and what each is.</summary>
    private static readonly Dictionary<string, string> ReservedNames = new()
    {
        ["Derivation"] = "the derived formulas as text",
        ["Formulas"] = "the derived formulas, one per quantity",
        ["MeanFieldGeneratedFormulas"] = "a generated field",
        ["MeanFieldGeneratedLayout"] = "a generated field",
    };

    public static Result<InteractionSpec> Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, CancellationToken token)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var spec = ParseCore(type, syntax, compilation, diagnostics, token);
        return new Result<InteractionSpec>(diagnostics.Count == 0 ? spec : null, new EquatableArray<DiagnosticInfo>(diagnostics.Distinct().ToArray()));
    }

    private static InteractionSpec? ParseCore(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        var identifier = syntax.Identifier.GetLocation();
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttribute))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, identifier, type.Name, "it carries both [MeanFieldNetwork] and [InteractionEnergy]"));
            return null;
        }

        if (!ModelFrontEnd.CheckType(type, syntax, diagnostics)
            || !ModelFrontEnd.CheckSupported(type, syntax, compilation, "IInteractionModel<T>", ReservedNames, diagnostics))
        {
            return null;
        }

        ModelFrontEnd.CheckReservedNames(type, ReservedNames, diagnostics);

        var roles = new Dictionary<string, IMethodSymbol>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var attribute in method.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (NetworkMemberAttributes.Contains(name))
                {
                    string shortName = attribute.AttributeClass!.Name.Replace("Attribute", string.Empty);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, ModelFrontEnd.FirstLocation(method), type.Name, $"its method '{method.Name}' carries the network attribute [{shortName}]"));
                    continue;
                }

                string? role = name switch
                {
                    KernelAttribute => "Kernel",
                    PotentialAttribute => "Potential",
                    ConfinementAttribute => "Confinement",
                    _ => null,
                };
                if (role is null)
                {
                    continue;
                }

                if (roles.TryGetValue(role, out var previous))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateInteractionMember, ModelFrontEnd.FirstLocation(method), type.Name, role, previous.Name, method.Name));
                    continue;
                }

                roles[role] = method;
            }
        }

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
        string onceSignature = "static double Name(" + string.Join(", ", theta.Select(p => (p.IsVector ? "ReadOnlySpan<double> " : "double ") + p.Name)) + ")";
        bool OneHalf(IParameterSymbol[] p) => p.Length == theta.Count && p.Select((q, i) => theta[i].IsVector ? ModelFrontEnd.IsVector(q) : ModelFrontEnd.IsScalar(q)).All(ok => ok);
        bool ok = true;
        if (potentialMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(potentialMethod, "Potential", onceSignature, OneHalf, diagnostics);
        }

        if (confinementMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(confinementMethod, "Confinement", onceSignature, OneHalf, diagnostics);
        }

        if (!ok)
        {
            return null;
        }

        var channels = ChannelSet.ForInteraction(vectors);
        var parser = new FormulaParser(compilation, type, channels, diagnostics, token);
        var kernel = parser.ParseMethod(kernelMethod, BindSides(parameters, half, scalars));
        token.ThrowIfCancellationRequested();
        var potential = potentialMethod is null ? null : parser.ParseMethod(potentialMethod, BindSides(potentialMethod.Parameters, potentialMethod.Parameters.Length, scalars));
        var confinement = confinementMethod is null ? null : parser.ParseMethod(confinementMethod, BindSides(confinementMethod.Parameters, confinementMethod.Parameters.Length, scalars));
        if (kernel is null || (potentialMethod is not null && potential is null) || (confinementMethod is not null && confinement is null) || diagnostics.Count > 0)
        {
            return null;
        }

        var particleChannels = channels.ParticleChannels.ToArray();
        var pairChannels = channels.PairChannelKeys.ToArray();
        var symbols = new List<string>(scalars);
        symbols.AddRange(particleChannels.Select(c => channels.ParticleSymbol(Side.A, c.First, c.Second)));
        symbols.AddRange(scalars.Select(ChannelSet.Prime));
        symbols.AddRange(particleChannels.Select(c => channels.ParticleSymbol(Side.B, c.First, c.Second)));
        symbols.AddRange(pairChannels.Select(channels.PairSymbol));
        var layout = new InputLayout(new EquatableArray<string>(symbols.ToArray()), scalars.Length, particleChannels.Length, pairChannels.Length);

        return new InteractionSpec(
            Namespace: ModelFrontEnd.NamespaceOf(type),
            TypeName: type.Name,
            TypeKeyword: ModelFrontEnd.TypeKeyword(syntax),
            KernelName: kernelMethod.Name,
            ScalarParameters: new EquatableArray<string>(scalars),
            VectorParameters: new EquatableArray<string>(vectors),
            ParticleChannels: new EquatableArray<SideChannelSpec>(particleChannels.Select(c => new SideChannelSpec(c.First, c.Second)).ToArray()),
            PairChannels: new EquatableArray<PairChannelSpec>(pairChannels.Select(c => new PairChannelSpec(c.First, c.Second, c.IsSquaredDistance)).ToArray()),
            Layout: layout,
            Kernel: kernel,
            Potential: potential,
            Confinement: confinement);
    }

    /// <summary>Binds parameters by position: the first <paramref name="half"/> to θ (side A), the rest to θ′ (side B).</summary>
    private static Dictionary<IParameterSymbol, FormulaParser.Binding> BindSides(IEnumerable<IParameterSymbol> parameters, int half, string[] scalars)
    {
        int scalarIndex = 0, vectorIndex = 0;
        return ModelFrontEnd.Bind(parameters, p =>
        {
            if (p.Ordinal == half)
            {
                scalarIndex = 0;
                vectorIndex = 0;
            }

            var side = p.Ordinal < half ? Side.A : Side.B;
            if (ModelFrontEnd.IsVector(p))
            {
                return FormulaParser.Binding.ForVector(ChannelSet.Id(side, vectorIndex++));
            }

            string name = scalars[scalarIndex++];
            return FormulaParser.Binding.ForScalar(Expr.Symbol(side == Side.A ? name : ChannelSet.Prime(name)));
        });
    }

    private static string Describe(IParameterSymbol parameter) => ModelFrontEnd.IsVector(parameter) ? "a vector (ReadOnlySpan<double>)" : "a scalar (double)";
}
