using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MeanField.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the MeanField generator reports. Each message says what is wrong and what to
/// write instead. specs/networks.md lists them; AnalyzerReleases.Unshipped.md tracks them.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "MeanField";

    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        "MF0001", "Model type must be partial",
        "Model type '{0}' must be declared 'partial' so the generator can add its implementation");

    public static readonly DiagnosticDescriptor TypeNotStruct = Error(
        "MF0002", "Model type must be a struct",
        "Model type '{0}' must be a struct: declare it 'public partial struct {0}' (its members stay static); the solvers are generic over the model (GradientFlow<{0}>), and .NET compiles specialised code, with the generated operators inlined, only for struct type arguments");

    public static readonly DiagnosticDescriptor TypeNestedOrGeneric = Error(
        "MF0003", "Model type must be a non-generic top-level type",
        "Model type '{0}' is {1}: declare network models as non-generic types directly in a namespace");

    public static readonly DiagnosticDescriptor MissingUnit = Error(
        "MF0004", "Network has no activation or unit",
        "Network '{0}' declares no [Activation] or [Unit] method: add one, for example [Activation] static double Sigma(double z) => Math.Tanh(z);");

    public static readonly DiagnosticDescriptor DuplicateMember = Error(
        "MF0005", "Duplicate model member",
        "Network '{0}' declares more than one {1} ('{2}' and '{3}'): keep exactly one");

    public static readonly DiagnosticDescriptor MissingCost = Error(
        "MF0006", "Network has no cost",
        "Network '{0}' declares no [Cost] method: add one, for example [Cost] static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);");

    public static readonly DiagnosticDescriptor WrongSignature = Error(
        "MF0007", "Model member has the wrong signature",
        "[{0}] method '{1}' must have the signature {2}");

    public static readonly DiagnosticDescriptor NotStatic = Error(
        "MF0008", "Model member must be static",
        "'{0}' must be static: model formulas are static methods");

    public static readonly DiagnosticDescriptor NotExpressionBodied = Error(
        "MF0009", "Model member must be a single expression",
        "'{0}' must be expression-bodied ('=> expression') or contain only 'return expression;': move reused parts into static helper methods of the model");

    public static readonly DiagnosticDescriptor UnsupportedSyntax = Error(
        "MF0010", "Unsupported construct in a model formula",
        "{0} is not supported in a model formula: {1}");

    public static readonly DiagnosticDescriptor UnsupportedCall = Error(
        "MF0011", "Unsupported call in a model formula",
        "Call to '{0}' is not supported: use System.Math functions, Dot/SquaredNorm/SquaredDistance/Sum from MeanField.Channels, or static expression-bodied methods of the model itself");

    public static readonly DiagnosticDescriptor UnknownMathFunction = Error(
        "MF0012", "Unsupported Math function",
        "Math.{0} is not supported: use Exp, Log, Sqrt, Pow, Tanh, Sin, Cos, Abs, Max, Min, Acos or Atan, or write {0} in terms of them in a helper method");

    public static readonly DiagnosticDescriptor Recursion = Error(
        "MF0013", "Recursive helper method",
        "'{0}' calls itself through '{1}': helpers are inlined, so recursion cannot be expanded; write the formula without recursion");

    public static readonly DiagnosticDescriptor NonDoubleType = Error(
        "MF0014", "Model formulas compute in double",
        "'{0}' has type '{1}': model formulas compute in double; use double values (integer constants are fine)");

    public static readonly DiagnosticDescriptor UnsupportedCondition = Error(
        "MF0015", "Unsupported condition",
        "Condition '{0}' is not supported: use a single comparison (<, <=, > or >=) between two double expressions");

    public static readonly DiagnosticDescriptor VectorOutsideChannel = Error(
        "MF0016", "Vector used outside a channel",
        "Vector '{0}' can only be used through Dot, SquaredNorm or SquaredDistance (MeanField.Channels)");

    public static readonly DiagnosticDescriptor ReservedMemberName = Error(
        "MF0017", "Member name reserved by the generator",
        "'{0}' is a name the generator gives to a member of '{1}' ({2}): rename your member");

    public static readonly DiagnosticDescriptor ExpressionTooDeep = Error(
        "MF0018", "Expression too deep",
        "An expression of '{0}' is too deep for the generator: {1}. Nest it less deeply: at most 256 levels are supported, counting the bodies of the helpers it inlines (a flat sum or product of any length is fine); name intermediate results as parameters of shallower helpers or split the formula");

    public static readonly DiagnosticDescriptor UnsupportedModelType = Error(
        "MF0019", "Unsupported model type",
        "Model type '{0}' cannot be generated: {1}");

    // MF01xx: interaction energies ([InteractionEnergy], specs/interactions.md).
    public static readonly DiagnosticDescriptor MissingKernel = Error(
        "MF0101", "Interaction energy has no kernel",
        "Interaction energy '{0}' declares no [Kernel] method: add one, for example [Kernel] static double K(double c, ReadOnlySpan<double> w, double c2, ReadOnlySpan<double> w2) => c * c2 * Math.Exp(-SquaredDistance(w, w2));");

    public static readonly DiagnosticDescriptor DuplicateInteractionMember = Error(
        "MF0102", "Duplicate interaction member",
        "Interaction energy '{0}' declares more than one [{1}] method ('{2}' and '{3}'): keep exactly one");

    public static readonly DiagnosticDescriptor KernelHalvesDiffer = Error(
        "MF0103", "Kernel halves differ",
        "[Kernel] method '{0}' must take the particle's parameters twice, θ then θ′, with the same types in the same order (each a double or a ReadOnlySpan<double>): {1}");

    public static readonly DiagnosticDescriptor MixedModelKinds = Error(
        "MF0104", "Network and interaction attributes mixed",
        "'{0}' mixes a network and an interaction energy: {1}. A type is one kind of model; move the other members to a model of their own");

    // MF02xx: mean-field games ([MeanFieldGame], specs/mfg.md).
    public static readonly DiagnosticDescriptor MissingHamiltonian = Error(
        "MF0201", "Game has no Hamiltonian",
        "Game '{0}' declares neither a [Hamiltonian] nor a [Lagrangian] method: add one, for example [Hamiltonian] static double H(double x, double p, double m) => 0.5 * p * p - Math.Log(m);");

    public static readonly DiagnosticDescriptor DuplicateGameMember = Error(
        "MF0202", "Duplicate game member",
        "Game '{0}' declares more than one {1} ('{2}' and '{3}'): keep exactly one");

    public static readonly DiagnosticDescriptor InvalidViscosity = Error(
        "MF0203", "Game viscosity missing or invalid",
        "Game '{0}' needs a positive, finite viscosity: write [MeanFieldGame(Viscosity = 0.5)]; {1}");

    public static readonly DiagnosticDescriptor HamiltonianNotUpwindable = Error(
        "MF0204", "Hamiltonian unsuitable for the monotone scheme",
        "[Hamiltonian] '{0}' of game '{1}' cannot be discretised by the monotone upwind scheme: {2}");

    public static readonly DiagnosticDescriptor LagrangianNotTransformable = Error(
        "MF0205", "Lagrangian has no closed-form Legendre transform",
        "[Lagrangian] '{0}' of game '{1}' cannot be turned into a Hamiltonian: {2}");

    public static readonly DiagnosticDescriptor InvalidGameDimension = Error(
        "MF0206", "Game dimension missing or invalid",
        "Game '{0}' needs a consistent dimension: write [MeanFieldGame(Viscosity = 0.5, Dimension = 10)] for H(ReadOnlySpan<double> x, ReadOnlySpan<double> p, double m); {1}");

    public static readonly DiagnosticDescriptor MeanControlNotAffine = Error(
        "MF0207", "Mean control must enter as μ·c(x)",
        "'{0}' of game '{1}' must depend on its mean-control parameter '{2}' as {2}·c(x), with c depending on the position only: {3}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "MF0099", "MeanField generator failure",
        "The MeanField generator failed on '{0}': {1}. No code was generated for it; please report this.");

    private static readonly Dictionary<string, DiagnosticDescriptor> ByIdTable = Build();

    /// <summary>All descriptors, in ID order.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => ByIdTable.Values;

    /// <summary>The descriptor with the given ID.</summary>
    public static DiagnosticDescriptor ById(string id) => ByIdTable[id];

    /// <summary>
    /// The compiled-in help link of a diagnostic: its page docs/diagnostics/{ID}.md on the web. A project's
    /// <c>MeanFieldDiagnosticsDocs</c> property replaces it per compilation (<see cref="HelpLinks"/>).
    /// </summary>
    public static string HelpLink(string id) => HelpLinks.Default(id);

    /// <summary>The descriptor of <paramref name="id"/> with the help link the project asked for.</summary>
    public static DiagnosticDescriptor ById(string id, string? docs)
    {
        var descriptor = ById(id);
        string link = HelpLinks.For(id, docs);
        return link == descriptor.HelpLinkUri
            ? descriptor
            : new DiagnosticDescriptor(descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity, descriptor.IsEnabledByDefault, descriptor.Description, link, System.Linq.Enumerable.ToArray(descriptor.CustomTags));
    }

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var table = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var field in typeof(DiagnosticDescriptors).GetFields())
        {
            if (field.GetValue(null) is DiagnosticDescriptor descriptor)
            {
                table.Add(descriptor.Id, descriptor);
            }
        }

        return table;
    }
}
