using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Parsing;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Games;

/// <summary>
/// Reads a <c>[MeanFieldGame]</c> type into a <see cref="GameSpec"/>: the shared type checks
/// (<see cref="ModelFrontEnd"/>), the viscosity from the attribute, the roles [Hamiltonian] or [Lagrangian] (exactly one),
/// [InitialDensity] and [TerminalCost] (at most one each), their signatures (the dimension read off the first), each
/// formula through <see cref="FormulaParser"/> with every argument a scalar symbol, then the scheme's checks and
/// constructions (<see cref="GameScheme"/>), each failure a diagnostic at the method.
/// </summary>
internal static class GameParser
{
    public const string GameAttribute = ModelFrontEnd.GameAttribute;
    private const string HamiltonianAttribute = "MeanField.HamiltonianAttribute";
    private const string LagrangianAttribute = "MeanField.LagrangianAttribute";
    private const string InitialDensityAttribute = "MeanField.InitialDensityAttribute";
    private const string TerminalCostAttribute = "MeanField.TerminalCostAttribute";
    /// <summary>The accepted signatures, with <paramref name="g"/> the name of the gradient (p) or velocity (v) argument.</summary>
    private static string Signature(string g) =>
        $"static double Name(double x, double {g}, double m) or, with the mean control μ, static double Name(double x, double {g}, double m, double mu) in 1-D, or static double Name(double x, double y, double {g}x, double {g}y, double m) or static double Name(double x, double y, ReadOnlySpan<double> {g}, double m) in 2-D, or static double Name(ReadOnlySpan<double> x, ReadOnlySpan<double> {g}, double m) with [MeanFieldGame(Dimension = d)]";

    /// <summary>The largest dimension of the vector form (the generated code is written out per component).</summary>
    public const int MaxDimension = 64;

    /// <summary>The front end (<see cref="ModelPipeline.FrontEnd{TSpec}"/>): the spec, or null with the diagnostics added.</summary>
    public static GameSpec? Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        var identifier = syntax.Identifier.GetLocation();
        if (ModelFrontEnd.HasAttribute(type, ModelFrontEnd.NetworkAttribute) || ModelFrontEnd.HasAttribute(type, ModelFrontEnd.InteractionAttribute))
        {
            string other = ModelFrontEnd.HasAttribute(type, ModelFrontEnd.NetworkAttribute) ? "[MeanFieldNetwork]" : "[InteractionEnergy]";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, identifier, type.Name, $"it carries both [MeanFieldGame] and {other}"));
            return null;
        }

        if (!ModelFrontEnd.CheckModelType(type, syntax, compilation, "IGameModel<T>", diagnostics))
        {
            return null;
        }

        double viscosity = ReadGameAttribute(type, identifier, diagnostics, out int statedDimension, out var dimensionAt);
        var roles = ModelFrontEnd.CollectRoles(
            type,
            (method, attribute) =>
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (ModelFrontEnd.NetworkMemberAttributes.Contains(name) || ModelFrontEnd.InteractionMemberAttributes.Contains(name))
                {
                    string shortName = attribute.AttributeClass!.Name.Replace("Attribute", string.Empty);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedModelKinds, ModelFrontEnd.FirstLocation(method), type.Name, $"its method '{method.Name}' carries the attribute [{shortName}] of another kind of model"));
                    return null;
                }

                return name switch
                {
                    HamiltonianAttribute or LagrangianAttribute => "[Hamiltonian] or [Lagrangian] method",
                    InitialDensityAttribute => "[InitialDensity] method",
                    TerminalCostAttribute => "[TerminalCost] method",
                    _ => null,
                };
            },
            (role, previous, method) => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateGameMember, ModelFrontEnd.FirstLocation(method), type.Name, role, previous.Name, method.Name)));

        if (!roles.TryGetValue("[Hamiltonian] or [Lagrangian] method", out var method))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingHamiltonian, identifier, type.Name));
        }

        roles.TryGetValue("[InitialDensity] method", out var initialMethod);
        roles.TryGetValue("[TerminalCost] method", out var terminalMethod);
        if (method is null || diagnostics.Count > 0)
        {
            return null;
        }

        bool isLagrangian = ModelFrontEnd.HasAttribute(method, LagrangianAttribute);
        string role = isLagrangian ? "Lagrangian" : "Hamiltonian";
        if (!ModelFrontEnd.CheckSignature(method, role, Signature(isLagrangian ? "v" : "p"), IsGameSignature, diagnostics))
        {
            return null;
        }

        // Scalar form: d positions, d components, m. Mixed form (2-D): 2 positions, one vector of components, m; the
        // vector enters through SquaredNorm/Dot (a channel), expanded below into its components, named after the axes.
        // Vector form (any d, stated by the attribute): x and p are vectors whose components are symbols x[k], p[k].
        var parameters = method.Parameters;
        bool vectorPosition = ModelFrontEnd.IsVector(parameters[0]);
        bool vectorForm = !vectorPosition && parameters.Any(ModelFrontEnd.IsVector);
        bool meanControl = !vectorPosition && !vectorForm && parameters.Length == 4;
        int d = vectorPosition ? statedDimension : vectorForm ? parameters.Length - 2 : meanControl ? 1 : (parameters.Length - 1) / 2;
        if (!CheckDimension(type, method, vectorPosition, d, statedDimension, dimensionAt, diagnostics))
        {
            return null;
        }

        string Component(IParameterSymbol vector, int k) => vector.Name + "[" + k.ToString(CultureInfo.InvariantCulture) + "]";
        var position = vectorPosition
            ? Enumerable.Range(0, d).Select(k => Component(parameters[0], k)).ToArray()
            : parameters.Take(d).Select(p => p.Name).ToArray();
        string vectorName = vectorForm ? parameters[d].Name : string.Empty;
        var second = vectorPosition ? Enumerable.Range(0, d).Select(k => Component(parameters[1], k)).ToArray()
            : vectorForm ? position.Select(axis => vectorName + "_" + axis).ToArray()
            : parameters.Skip(d).Take(d).Select(p => p.Name).ToArray();
        string density = parameters[meanControl ? 2 : parameters.Length - 1].Name;
        string? meanControlName = meanControl ? parameters[3].Name : null;
        string positionList = vectorPosition ? "ReadOnlySpan<double> " + parameters[0].Name : string.Join(", ", position.Select(x => "double " + x));
        bool PositionArguments(IParameterSymbol[] p, int count)
            => p.Length == count && (vectorPosition ? ModelFrontEnd.IsVector(p[0]) : ModelFrontEnd.IsScalar(p[0])) && p.Skip(vectorPosition ? 1 : 0).All(ModelFrontEnd.IsScalar);
        int positionCount = vectorPosition ? 1 : d;
        bool ok = true;
        if (initialMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(initialMethod, "InitialDensity", $"static double Name({positionList})", p => PositionArguments(p, positionCount), diagnostics);
        }

        if (terminalMethod is not null)
        {
            ok &= ModelFrontEnd.CheckSignature(terminalMethod, "TerminalCost", $"static double Name({positionList}, double {density})", p => PositionArguments(p, positionCount + 1), diagnostics);
        }

        if (!ok)
        {
            return null;
        }

        // Every argument is a scalar symbol named after the declared method's parameters (or a vector of such symbols);
        // the optional methods bind theirs by position to the same symbols.
        var positionBinding = FormulaParser.Binding.ForComponents(position.Select(Expr.Symbol).ToArray());
        var channels = ChannelSet.ForNetwork(vectorForm ? new[] { vectorName } : Array.Empty<string>(), "x");
        var parser = new FormulaParser(compilation, type, channels, diagnostics, token);
        var formula = parser.ParseMethod(method, ModelFrontEnd.Bind(parameters, p =>
            vectorPosition ? (p.Ordinal == 0 ? positionBinding : p.Ordinal == 1 ? FormulaParser.Binding.ForComponents(second.Select(Expr.Symbol).ToArray()) : FormulaParser.Binding.ForScalar(Expr.Symbol(density)))
            : meanControl ? FormulaParser.Binding.ForScalar(Expr.Symbol(p.Ordinal switch { 0 => position[0], 1 => second[0], 2 => density, _ => meanControlName! }))
            : ModelFrontEnd.IsVector(p) ? FormulaParser.Binding.ForVector(0) : FormulaParser.Binding.ForScalar(Expr.Symbol(p.Name))));
        // The mean control μ enters as μ·c(x): c = ∂H/∂μ may depend on x only; the scheme is built from H at μ = 0.
        Expr? coupling = null;
        if (formula is not null && meanControlName is not null)
        {
            coupling = Differentiation.Derivative(formula, meanControlName);
            string? offending = second.Append(density).Append(meanControlName).FirstOrDefault(s => !GameScheme.IsZero(Differentiation.Derivative(coupling, s)));
            if (offending is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MeanControlNotAffine, ModelFrontEnd.FirstLocation(method), method.Name, type.Name, meanControlName, $"∂{(isLagrangian ? "L" : "H")}/∂{meanControlName} = {coupling} depends on {offending}"));
                return null;
            }

            formula = formula.Substitute(symbol => symbol == meanControlName ? Expr.Zero : null);
            coupling = isLagrangian ? -coupling : coupling;
        }

        if (formula is not null && vectorForm)
        {
            // |p|² = Σ_k p_k² (the only channel a single vector has).
            string norm = ChannelSet.DotSymbol(vectorName, vectorName);
            var squares = second.Select(c => Expr.Symbol(c) * Expr.Symbol(c)).Aggregate((a, b) => a + b);
            formula = formula.Substitute(symbol => symbol == norm ? squares : null);
        }

        FormulaParser.Binding BindPoint(IParameterSymbol p)
            => vectorPosition ? (p.Ordinal == 0 ? positionBinding : FormulaParser.Binding.ForScalar(Expr.Symbol(density)))
            : FormulaParser.Binding.ForScalar(Expr.Symbol(p.Ordinal < d ? position[p.Ordinal] : density));
        var initial = initialMethod is null ? null : parser.ParseMethod(initialMethod, ModelFrontEnd.Bind(initialMethod.Parameters, BindPoint));
        var terminal = terminalMethod is null ? null : parser.ParseMethod(terminalMethod, ModelFrontEnd.Bind(terminalMethod.Parameters, BindPoint));
        token.ThrowIfCancellationRequested();
        if (formula is null || (initialMethod is not null && initial is null) || (terminalMethod is not null && terminal is null) || diagnostics.Count > 0)
        {
            return null;
        }

        var at = ModelFrontEnd.FirstLocation(method);
        string[] gradient = second;
        Expr hamiltonian = formula;
        if (isLagrangian)
        {
            var taken = new HashSet<string>(parameters.Select(p => p.Name), StringComparer.Ordinal);
            gradient = vectorPosition
                ? Enumerable.Range(0, d).Select(k => FreshName("p", taken) + "[" + k.ToString(CultureInfo.InvariantCulture) + "]").ToArray()
                : second.Select(v => FreshName(v.StartsWith("v", StringComparison.Ordinal) && v.Length > 1 ? "p" + v.Substring(1) : v == "v" ? "p" : "p_" + v, taken)).ToArray();
            var transformed = GameScheme.Legendre(formula, second, gradient, position, density, out string? problem);
            if (transformed is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LagrangianNotTransformable, at, method.Name, type.Name, problem ?? "unknown"));
                return null;
            }

            hamiltonian = transformed;
        }

        string? schemeProblem = GameScheme.Separable(hamiltonian, gradient);
        var minimisers = schemeProblem is null ? GameScheme.Minimisers(hamiltonian, position, gradient, density, out schemeProblem) : null;
        if (minimisers is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HamiltonianNotUpwindable, at, method.Name, type.Name, schemeProblem ?? "unknown"));
            return null;
        }

        var pMinus = gradient.Select(p => p + "⁻").ToArray();
        var pPlus = gradient.Select(p => p + "⁺").ToArray();
        var numerical = GameScheme.NumericalHamiltonian(hamiltonian, gradient, minimisers, pMinus, pPlus);
        var scalars = position.Concat(gradient).Append(density).ToArray();
        return new GameSpec(
            Namespace: ModelFrontEnd.NamespaceOf(type),
            TypeName: type.Name,
            TypeKeyword: ModelFrontEnd.TypeKeyword(syntax),
            Layout: ChannelSet.ForNetwork(Array.Empty<string>(), "x").Layout(scalars),
            Dimension: d,
            Viscosity: viscosity,
            Position: new EquatableArray<string>(position),
            Gradient: new EquatableArray<string>(gradient),
            Density: density,
            PMinus: new EquatableArray<string>(pMinus),
            PPlus: new EquatableArray<string>(pPlus),
            MethodName: method.Name,
            Lagrangian: isLagrangian ? formula : null,
            Velocity: isLagrangian ? new EquatableArray<string>(second) : EquatableArray<string>.Empty,
            Hamiltonian: hamiltonian,
            Minimisers: new EquatableArray<Expr>(minimisers),
            Numerical: numerical,
            InitialDensity: initial,
            TerminalCost: terminal,
            MeanControl: meanControlName,
            MeanControlCoupling: coupling);
    }

    /// <summary>
    /// 2d + 1 doubles (d = 1, 2), or in 2-D two doubles, one <c>ReadOnlySpan&lt;double&gt;</c> and a double (the vector
    /// form of p or v).
    /// </summary>
    private static bool IsGameSignature(IParameterSymbol[] parameters)
        => (parameters.Length is 3 or 4 or 5 && parameters.All(ModelFrontEnd.IsScalar))
           || (parameters.Length == 4 && ModelFrontEnd.IsScalar(parameters[0]) && ModelFrontEnd.IsScalar(parameters[1])
               && ModelFrontEnd.IsVector(parameters[2]) && ModelFrontEnd.IsScalar(parameters[3]))
           || (parameters.Length == 3 && ModelFrontEnd.IsVector(parameters[0]) && ModelFrontEnd.IsVector(parameters[1]) && ModelFrontEnd.IsScalar(parameters[2]));

    /// <summary>
    /// MF0206 at the attribute when the vector form states no dimension or one outside 1 … <see cref="MaxDimension"/>,
    /// or a scalar form states one its signature contradicts.
    /// </summary>
    private static bool CheckDimension(INamedTypeSymbol type, IMethodSymbol method, bool vectorPosition, int d, int stated, Location at, List<DiagnosticInfo> diagnostics)
    {
        string? problem = vectorPosition
            ? stated == 0 ? $"'{method.Name}' takes the position as a ReadOnlySpan<double>, so the dimension must be stated"
            : stated < 1 || stated > MaxDimension ? $"got {stated.ToString(CultureInfo.InvariantCulture)}; it must be 1 to {MaxDimension.ToString(CultureInfo.InvariantCulture)}" : null
            : stated != 0 && stated != d ? $"got {stated.ToString(CultureInfo.InvariantCulture)}, but '{method.Name}' has the signature of a {d.ToString(CultureInfo.InvariantCulture)}-D game" : null;
        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidGameDimension, at, type.Name, problem));
        return false;
    }

    /// <summary>ν (and d) from <c>[MeanFieldGame(Viscosity = …, Dimension = …)]</c>; MF0203 at the attribute when it is missing, not positive or not finite.</summary>
    /// <remarks>Also reads the stated dimension (0 when absent) and the attribute's location for MF0206.</remarks>
    private static double ReadGameAttribute(INamedTypeSymbol type, Location identifier, List<DiagnosticInfo> diagnostics, out int dimension, out Location at)
    {
        var attribute = type.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == GameAttribute);
        at = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? identifier;
        dimension = 0;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Dimension" && argument.Value.Value is int stated)
            {
                dimension = stated;
            }
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Viscosity" && argument.Value.Value is double value)
            {
                if (value > 0 && !double.IsInfinity(value))
                {
                    return value;
                }

                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidViscosity, at, type.Name, "got " + value.ToString("R", CultureInfo.InvariantCulture)));
                return double.NaN;
            }
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidViscosity, at, type.Name, "it is not set"));
        return double.NaN;
    }

    private static string FreshName(string name, HashSet<string> taken)
    {
        string candidate = name;
        while (!taken.Add(candidate))
        {
            candidate = "_" + candidate;
        }

        return candidate;
    }
}
