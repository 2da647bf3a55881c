using System.Collections.Generic;
using System.Linq;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Parsing;

/// <summary>
/// The front-end checks every model kind shares: the model type's shape (a non-generic, top-level partial struct the
/// generated part can complete), members that clash with generated names, member signatures, parameter bindings, and
/// the model's names. Each kind's parser (Networks, Interactions) adds its roles on top.
/// </summary>
internal static class ModelFrontEnd
{
    /// <summary>The model's full name as written, without <c>@</c> and without <c>global::</c> (<c>Demo.Net</c>).</summary>
    public static string FullName(INamedTypeSymbol type)
    {
        string ns = NamespaceOf(type);
        return ns.Length == 0 ? type.Name : ns + "." + type.Name;
    }

    /// <summary>The containing namespace's names joined by dots, without <c>@</c> (the emitter escapes them again).</summary>
    internal static string NamespaceOf(INamedTypeSymbol type)
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

    /// <summary>The attribute of a network type.</summary>
    internal const string NetworkAttribute = "MeanField.MeanFieldNetworkAttribute";

    /// <summary>The attribute of an interaction type.</summary>
    internal const string InteractionAttribute = "MeanField.InteractionEnergyAttribute";

    /// <summary>The attribute of a game type.</summary>
    internal const string GameAttribute = "MeanField.MeanFieldGameAttribute";

    /// <summary>The attributes of an interaction's methods: on a method of another kind's type, MF0104.</summary>
    internal static readonly string[] InteractionMemberAttributes =
    {
        "MeanField.KernelAttribute", "MeanField.PotentialAttribute", "MeanField.ConfinementAttribute",
    };

    /// <summary>The attributes of a network's methods: on a method of another kind's type, MF0104 (a type is one kind).</summary>
    internal static readonly string[] NetworkMemberAttributes =
    {
        "MeanField.ActivationAttribute", "MeanField.UnitAttribute", "MeanField.CostAttribute", "MeanField.RegularizerAttribute",
    };

    /// <summary>Whether <paramref name="type"/> carries the attribute <paramref name="attribute"/> (full name).</summary>
    internal static bool HasAttribute(ISymbol type, string attribute)
        => type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == attribute);

    /// <summary>
    /// The checks that open every kind's front end: the type's shape (<see cref="CheckType"/>) and whether the generated
    /// part can complete it (<see cref="CheckSupported"/>), then MF0017 for members named like the generated ones
    /// (<see cref="GeneratedMembers.Names"/>). False when the model cannot be read further. <c>contract</c> is the
    /// kind's interface in words (<c>INetworkModel&lt;T&gt;</c>), for the messages.
    /// </summary>
    internal static bool CheckModelType(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, string contract, List<DiagnosticInfo> diagnostics)
    {
        if (!CheckType(type, syntax, diagnostics) || !CheckSupported(type, syntax, compilation, contract, GeneratedMembers.Names, diagnostics))
        {
            return false;
        }

        CheckReservedNames(type, GeneratedMembers.Names, diagnostics);
        return true;
    }

    /// <summary>
    /// The methods of <paramref name="type"/> by role: <paramref name="roleOf"/> names the role (slot) an attribute
    /// gives a method, or null; a second method for a slot is reported by <paramref name="duplicate"/>
    /// (slot, the first method, the second) and left out.
    /// </summary>
    internal static Dictionary<string, IMethodSymbol> CollectRoles(
        INamedTypeSymbol type,
        System.Func<IMethodSymbol, AttributeData, string?> roleOf,
        System.Action<string, IMethodSymbol, IMethodSymbol> duplicate)
    {
        var roles = new Dictionary<string, IMethodSymbol>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var attribute in method.GetAttributes())
            {
                string? slot = roleOf(method, attribute);
                if (slot is null)
                {
                    continue;
                }

                if (roles.TryGetValue(slot, out var previous))
                {
                    duplicate(slot, previous, method);
                    continue;
                }

                roles[slot] = method;
            }
        }

        return roles;
    }

    /// <summary>The signature of a method taking θ once, with <paramref name="theta"/>'s names and types.</summary>
    internal static string OnceSignature(IReadOnlyList<(string Name, bool IsVector)> theta)
        => "static double Name(" + string.Join(", ", theta.Select(p => (p.IsVector ? "ReadOnlySpan<double> " : "double ") + p.Name)) + ")";

    /// <summary>Whether <paramref name="parameters"/> take θ once: <paramref name="theta"/>'s types in its order.</summary>
    internal static bool TakesThetaOnce(IParameterSymbol[] parameters, IReadOnlyList<(string Name, bool IsVector)> theta)
        => parameters.Length == theta.Count && parameters.Select((q, i) => theta[i].IsVector ? IsVector(q) : IsScalar(q)).All(ok => ok);

    internal static bool CheckType(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
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
    internal static bool CheckSupported(INamedTypeSymbol type, TypeDeclarationSyntax syntax, Compilation compilation, string contract, IReadOnlyDictionary<string, string> reservedNames, List<DiagnosticInfo> diagnostics)
    {
        var at = syntax.Identifier.GetLocation();
        string? reason = null;
        if (type.IsRefLikeType)
        {
            reason = $"a ref struct cannot implement {contract} nor be the type argument of the solvers; remove 'ref'";
        }
        else if (reservedNames.TryGetValue(type.Name, out var what))
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


    /// <summary>MF0017 for each member (method, field, property, nested type…) of the user's part whose name the generated part also declares (a clash
    /// would otherwise surface as CS0102 inside the generated file).</summary>
    internal static void CheckReservedNames(INamedTypeSymbol type, IReadOnlyDictionary<string, string> reservedNames, List<DiagnosticInfo> diagnostics)
    {
        foreach (var member in type.GetMembers())
        {
            if (!member.IsImplicitlyDeclared && reservedNames.TryGetValue(member.Name, out var what) && member.Locations.Any(l => l.IsInSource))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedMemberName, FirstLocation(member), member.Name, type.Name, what));
            }
        }
    }

    internal static bool CheckSignature(IMethodSymbol method, string role, string expected, System.Func<IParameterSymbol[], bool> parametersOk, List<DiagnosticInfo> diagnostics)
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

    internal static Dictionary<IParameterSymbol, FormulaParser.Binding> Bind(IEnumerable<IParameterSymbol> parameters, System.Func<IParameterSymbol, FormulaParser.Binding> bind)
    {
        var map = new Dictionary<IParameterSymbol, FormulaParser.Binding>(SymbolEqualityComparer.Default);
        foreach (var parameter in parameters)
        {
            map[parameter] = bind(parameter);
        }

        return map;
    }

    /// <summary>Binds parameters that take θ (and θ′) by position: the first <paramref name="half"/> to θ (side A), the
    /// rest to θ′ (side B); scalars to their symbols (<paramref name="scalars"/>, primed on side B), vectors to their ids.</summary>
    internal static Dictionary<IParameterSymbol, FormulaParser.Binding> BindSides(IEnumerable<IParameterSymbol> parameters, int half, string[] scalars)
    {
        int scalarIndex = 0, vectorIndex = 0;
        return Bind(parameters, p =>
        {
            if (p.Ordinal == half)
            {
                scalarIndex = 0;
                vectorIndex = 0;
            }

            var side = p.Ordinal < half ? Side.A : Side.B;
            if (IsVector(p))
            {
                return FormulaParser.Binding.ForVector(ChannelSet.Id(side, vectorIndex++));
            }

            string name = scalars[scalarIndex++];
            return FormulaParser.Binding.ForScalar(Expr.Symbol(side == Side.A ? name : ChannelSet.Prime(name)));
        });
    }

    internal static bool IsScalar(IParameterSymbol parameter) => FormulaParser.IsDouble(parameter.Type);

    internal static bool IsVector(IParameterSymbol parameter) => FormulaParser.IsVector(parameter.Type);

    internal static Location? FirstLocation(ISymbol symbol) => symbol.Locations.Length > 0 ? symbol.Locations[0] : null;

    internal static string TypeKeyword(TypeDeclarationSyntax syntax) => syntax is RecordDeclarationSyntax ? "record struct" : "struct";
}
