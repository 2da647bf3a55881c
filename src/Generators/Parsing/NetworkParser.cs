using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Parsing;

/// <summary>
/// Reads a <c>[MeanFieldNetwork]</c> type into a <see cref="NetworkSpec"/>: checks the type and its
/// annotated members, then parses each formula with <see cref="FormulaParser"/>.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttribute = "MeanField.MeanFieldNetworkAttribute";
    private const string ActivationAttribute = "MeanField.ActivationAttribute";
    private const string UnitAttribute = "MeanField.UnitAttribute";
    private const string CostAttribute = "MeanField.CostAttribute";
    private const string RegularizerAttribute = "MeanField.RegularizerAttribute";

    private const string ActivationSignature = "static double Name(double z)";
    private const string CostSignature = "static double Name(double y, double prediction)";
    private const string UnitSignature = "static double Name(<double or ReadOnlySpan<double> parameters>, ReadOnlySpan<double> x)";

    public static Result<NetworkSpec> Parse(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, CancellationToken token)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var spec = ParseCore(type, syntax, compilation, diagnostics, token);

        // Once per ID, span and message: a helper inlined twice reports its problem once.
        return new Result<NetworkSpec>(diagnostics.Count == 0 ? spec : null, new EquatableArray<DiagnosticInfo>(diagnostics.Count <= 1 ? diagnostics.ToArray() : diagnostics.Distinct().ToArray()));
    }

    /// <summary>The model's full name as written, without <c>@</c> and without <c>global::</c> (<c>Demo.Net</c>).</summary>
    public static string FullName(INamedTypeSymbol type)
    {
        string ns = NamespaceOf(type);
        return ns.Length == 0 ? type.Name : ns + "." + type.Name;
    }

    /// <summary>The containing namespace's names joined by dots, without <c>@</c> (the emitter escapes them again).</summary>
    private static string NamespaceOf(INamedTypeSymbol type)
    {
        // No namespace, or one name (most models): no list.
        var containing = type.ContainingNamespace;
        if (containing is null || containing.IsGlobalNamespace)
        {
            return string.Empty;
        }

        if (containing.ContainingNamespace is null || containing.ContainingNamespace.IsGlobalNamespace)
        {
            return containing.Name;
        }

        var parts = new List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Add(ns.Name);
        }

        parts.Reverse();
        return string.Join(".", parts);
    }

    private static NetworkSpec? ParseCore(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        if (!CheckType(type, syntax, diagnostics) || !CheckSupported(type, syntax, compilation, diagnostics))
        {
            return null;
        }

        CheckReservedNames(type, diagnostics);

        var roles = new Dictionary<string, IMethodSymbol>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var attribute in method.GetAttributes())
            {
                string? role = attribute.AttributeClass?.ToDisplayString() switch
                {
                    ActivationAttribute => "Activation",
                    UnitAttribute => "Unit",
                    CostAttribute => "Cost",
                    RegularizerAttribute => "Regularizer",
                    _ => null,
                };

                if (role is null)
                {
                    continue;
                }

                // [Activation] and [Unit] are the same role: the network has exactly one unit.
                string slot = role == "Activation" ? "Unit" : role;
                if (roles.TryGetValue(slot, out var previous))
                {
                    string what = slot == "Unit" ? "[Activation] or [Unit] method" : $"[{role}] method";
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMember, FirstLocation(method), type.Name, what, previous.Name, method.Name));
                    continue;
                }

                roles[slot] = method;
            }
        }

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

        bool isRidge = HasAttribute(unitMethod, ActivationAttribute);
        bool signaturesOk = isRidge
            ? CheckSignature(unitMethod, "Activation", ActivationSignature, p => p.Length == 1 && IsScalar(p[0]), diagnostics)
            : CheckSignature(unitMethod, "Unit", UnitSignature, p => p.Length >= 1 && p.All(q => IsScalar(q) || IsVector(q)) && IsVector(p[p.Length - 1]), diagnostics);
        signaturesOk &= CheckSignature(costMethod, "Cost", CostSignature, p => p.Length == 2 && IsScalar(p[0]) && IsScalar(p[1]), diagnostics);
        if (!signaturesOk)
        {
            return null;
        }

        // The unit's parameters θ (name, is vector) and the input's name.
        var theta = isRidge
            ? new List<(string Name, bool IsVector)> { ("c", false), ("w", true), ("b", false) }
            : unitMethod.Parameters.Take(unitMethod.Parameters.Length - 1).Select(p => (p.Name, IsVector: IsVector(p))).ToList();
        string inputName = isRidge ? "x" : unitMethod.Parameters[unitMethod.Parameters.Length - 1].Name;
        var scalars = theta.Where(p => !p.IsVector).Select(p => p.Name).ToArray();
        var vectors = theta.Where(p => p.IsVector).Select(p => p.Name).ToArray();

        if (regularizerMethod is not null)
        {
            string expected = "static double Name(" + string.Join(", ", theta.Select(p => (p.IsVector ? "ReadOnlySpan<double> " : "double ") + p.Name)) + ")";
            if (!CheckSignature(
                    regularizerMethod,
                    "Regularizer",
                    expected,
                    p => p.Length == theta.Count && p.Select((q, i) => theta[i].IsVector ? IsVector(q) : IsScalar(q)).All(ok => ok),
                    diagnostics))
            {
                return null;
            }
        }

        var channels = new ChannelSet(vectors, inputName);
        var parser = new FormulaParser(compilation, type, channels, diagnostics, token);

        Expr? unit;
        string unitDescription;
        if (isRidge)
        {
            // φ(x; c, w, b) = c·σ(w·x + b): the activation's argument is bound to w·x + b.
            var z = channels.Dot(0, ChannelSet.Input) + Expr.Symbol("b");
            var sigma = parser.ParseMethod(unitMethod, Bind(unitMethod.Parameters, p => FormulaParser.Binding.ForScalar(z)));
            unit = sigma is null ? null : Expr.Symbol("c") * sigma;
            unitDescription = $"ridge unit φ(x; c, w, b) = c·σ(w·x + b), σ = {unitMethod.Name}";
        }
        else
        {
            int scalarIndex = 0, vectorIndex = 0;
            unit = parser.ParseMethod(unitMethod, Bind(unitMethod.Parameters, p =>
                p.Ordinal == unitMethod.Parameters.Length - 1 ? FormulaParser.Binding.ForVector(ChannelSet.Input)
                : IsVector(p) ? FormulaParser.Binding.ForVector(vectorIndex++)
                : FormulaParser.Binding.ForScalar(Expr.Symbol(scalars[scalarIndex++]))));
            unitDescription = $"unit φ = {unitMethod.Name}({string.Join(", ", unitMethod.Parameters.Select(p => p.Name))})";
        }

        token.ThrowIfCancellationRequested();
        var cost = parser.ParseMethod(costMethod, Bind(costMethod.Parameters, p =>
            FormulaParser.Binding.ForScalar(Expr.Symbol(p.Ordinal == 0 ? NetworkSymbols.Target : NetworkSymbols.Prediction))));

        Expr? regularizer = null;
        if (regularizerMethod is not null)
        {
            int scalarIndex = 0, vectorIndex = 0;
            regularizer = parser.ParseMethod(regularizerMethod, Bind(regularizerMethod.Parameters, p =>
                IsVector(p) ? FormulaParser.Binding.ForVector(vectorIndex++) : FormulaParser.Binding.ForScalar(Expr.Symbol(scalars[scalarIndex++]))));
        }

        if (unit is null || cost is null || (regularizerMethod is not null && regularizer is null) || diagnostics.Count > 0)
        {
            return null;
        }

        var particleChannels = channels.ParticleChannels.ToArray();
        var pairChannels = channels.PairChannels.ToArray();
        var inputSymbols = new List<string>(scalars);
        inputSymbols.AddRange(particleChannels.Select(c => channels.ParticleSymbol(c.First, c.Second)));
        if (channels.UsesSquaredNormOfInput)
        {
            inputSymbols.Add(channels.SampleSymbol);
        }

        inputSymbols.AddRange(pairChannels.Select(channels.PairSymbol));

        return new NetworkSpec(
            Namespace: NamespaceOf(type),
            TypeName: type.Name,
            TypeKeyword: TypeKeyword(syntax),
            UnitDescription: unitDescription,
            InputName: inputName,
            ScalarParameters: new EquatableArray<string>(scalars),
            VectorParameters: new EquatableArray<string>(vectors),
            ParticleChannels: new EquatableArray<ParticleChannelSpec>(particleChannels.Select(c => new ParticleChannelSpec(c.First, c.Second)).ToArray()),
            UsesSquaredNormOfInput: channels.UsesSquaredNormOfInput,
            PairChannels: new EquatableArray<int>(pairChannels),
            InputSymbols: new EquatableArray<string>(inputSymbols.ToArray()),
            Unit: unit,
            Cost: cost,
            Regularizer: regularizer);
    }

    private static bool CheckType(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        var at = syntax.Identifier.GetLocation();
        if (type.TypeKind != TypeKind.Struct)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotStruct, at, type.Name));
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, at, type.Name));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNestedOrGeneric, at, type.Name, $"nested in '{type.ContainingType.Name}'"));
        }
        else if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNestedOrGeneric, at, type.Name, "generic"));
        }

        return diagnostics.Count == 0;
    }

    /// <summary>
    /// MF0019 for a struct the generated part cannot complete: a <c>ref struct</c> (it cannot implement the model
    /// interface nor be a type argument), a type named like a member the generated part declares (a member may not
    /// have its type's name: CS0542), or a type with the full name of a type of the runtime (the generated code's
    /// <c>global::MeanField.…</c> references would mean the user's type).
    /// </summary>
    private static bool CheckSupported(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        var at = syntax.Identifier.GetLocation();
        string? reason = null;
        if (type.IsRefLikeType)
        {
            reason = "a ref struct cannot implement INetworkModel<T> nor be the type argument of the solvers; remove 'ref'";
        }
        else if (ReservedNames.TryGetValue(type.Name, out var what))
        {
            reason = $"the generated part declares a member named '{type.Name}' ({what}), and a member cannot have the name of its type; rename the type";
        }
        else
        {
            var runtime = compilation.GetTypeByMetadataName("MeanField.INetworkModel`1")?.ContainingAssembly;
            string metadataName = FullName(type);
            if (runtime is not null
                && !SymbolEqualityComparer.Default.Equals(runtime, compilation.Assembly)
                && runtime.GetTypeByMetadataName(metadataName) is not null)
            {
                reason = $"its full name '{metadataName}' is the name of a type of the MeanField runtime, which the generated code refers to; rename the type or move it to another namespace";
            }
        }

        if (reason is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelType, at, type.Name, reason));
            return false;
        }

        return true;
    }

    /// <summary>Names of the members the generated part declares (see NetworkEmitter), and what each is.</summary>
    private static readonly Dictionary<string, string> ReservedNames = new()
    {
        ["Derivation"] = "the derived formulas as text",
        ["Formulas"] = "the derived formulas, one per quantity",
        ["MeanFieldGeneratedFormulas"] = "a generated field",
        ["MeanFieldGeneratedLayout"] = "a generated field",
    };

    /// <summary>MF0017 for each member (method, field, property, nested type…) of the user's part whose name the generated part also declares (a clash
    /// would otherwise surface as CS0102 inside the generated file).</summary>
    private static void CheckReservedNames(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        foreach (var member in type.GetMembers())
        {
            if (!member.IsImplicitlyDeclared && ReservedNames.TryGetValue(member.Name, out var what) && member.Locations.Any(l => l.IsInSource))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedMemberName, FirstLocation(member), member.Name, type.Name, what));
            }
        }
    }

    private static bool CheckSignature(IMethodSymbol method, string role, string expected, System.Func<IParameterSymbol[], bool> parametersOk, List<DiagnosticInfo> diagnostics)
    {
        var at = FirstLocation(method);
        if (!method.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotStatic, at, method.Name));
            return false;
        }

        var parameters = method.Parameters.ToArray();
        bool ok = FormulaParser.IsDouble(method.ReturnType)
                  && !method.IsGenericMethod
                  && parameters.All(p => p.RefKind == RefKind.None && !p.IsParams)
                  && parametersOk(parameters);
        if (!ok)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongSignature, at, role, method.Name, expected));
        }

        return ok;
    }

    private static Dictionary<IParameterSymbol, FormulaParser.Binding> Bind(IEnumerable<IParameterSymbol> parameters, System.Func<IParameterSymbol, FormulaParser.Binding> bind)
    {
        var map = new Dictionary<IParameterSymbol, FormulaParser.Binding>(SymbolEqualityComparer.Default);
        foreach (var parameter in parameters)
        {
            map[parameter] = bind(parameter);
        }

        return map;
    }

    private static bool HasAttribute(IMethodSymbol method, string name)
        => method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static bool IsScalar(IParameterSymbol parameter) => FormulaParser.IsDouble(parameter.Type);

    private static bool IsVector(IParameterSymbol parameter) => FormulaParser.IsVector(parameter.Type);

    private static Location? FirstLocation(ISymbol symbol) => symbol.Locations.Length > 0 ? symbol.Locations[0] : null;

    private static string TypeKeyword(TypeDeclarationSyntax syntax) => syntax is RecordDeclarationSyntax ? "record struct" : "struct";
}
