using System;
using System.Collections.Generic;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MeanField.Generators.Parsing;

/// <summary>Calls: Math functions, channels, and the model's helpers (inlined).</summary>
internal sealed partial class FormulaParser
{
    private readonly Dictionary<InlineKey, Expr?> inlined = new();
    private readonly Dictionary<Expr, int> valueDepths = new(ReferenceComparer.Instance);

    private Expr? ParseInvocation(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var method = invocation.TargetMethod;
        string container = method.ContainingType?.ToDisplayString() ?? string.Empty;

        if (container == "System.Math")
        {
            return ParseMathCall(invocation, bindings);
        }

        if (container == "MeanField.Channels")
        {
            return ParseChannel(invocation, bindings);
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, modelType) && method.IsStatic && method.MethodKind == MethodKind.Ordinary)
        {
            return Inline(invocation, bindings);
        }

        Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
        return null;
    }

    private Expr? ParseMathCall(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var method = invocation.TargetMethod;
        if (!MathTable.TryGet(method.Name, invocation.Arguments.Length, out var entry))
        {
            Report(DiagnosticDescriptors.UnknownMathFunction, invocation.Syntax, method.Name);
            return null;
        }

        if (!IsDouble(method.ReturnType))
        {
            Report(DiagnosticDescriptors.NonDoubleType, invocation.Syntax, invocation.Syntax.ToString(), TypeName(method.ReturnType));
            return null;
        }

        var arguments = new Expr?[invocation.Arguments.Length];
        bool ok = true;
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Parse(invocation.Arguments[i].Value, bindings);
            ok &= arguments[i] is not null;
        }

        return ok ? entry.Build(arguments!) : null;
    }

    private Expr? ParseChannel(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var vectors = new int[invocation.Arguments.Length];
        bool ok = true;
        for (int i = 0; i < vectors.Length; i++)
        {
            int? vector = ParseVector(invocation.Arguments[i].Value, bindings);
            ok &= vector is not null;
            vectors[i] = vector ?? 0;
        }

        if (!ok)
        {
            return null;
        }

        switch (invocation.TargetMethod.Name)
        {
            case "Dot" when vectors.Length == 2:
                return channels.Dot(vectors[0], vectors[1]);
            case "SquaredNorm" when vectors.Length == 1:
                return channels.Dot(vectors[0], vectors[0]);
            case "SquaredDistance" when vectors.Length == 2:
                return channels.SquaredDistance(vectors[0], vectors[1]);
            default:
                Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, invocation.TargetMethod.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                return null;
        }
    }

    private int? ParseVector(IOperation operation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        while (operation is IConversionOperation { Conversion.IsIdentity: true } identity)
        {
            operation = identity.Operand;
        }

        if (operation is IParameterReferenceOperation reference
            && bindings.TryGetValue(reference.Parameter, out var binding)
            && binding.Scalar is null)
        {
            return binding.Vector;
        }

        Report(DiagnosticDescriptors.UnsupportedSyntax, operation.Syntax, $"The vector argument '{operation.Syntax}'", "pass a ReadOnlySpan<double> parameter of the model (a vector parameter or the input) unchanged");
        return null;
    }

    /// <summary>
    /// Inlines a call to a static helper of the model: its arguments are parsed, then its body with the parameters
    /// bound to them. A helper called again with the same arguments is parsed once (the cache is keyed by the method
    /// and the argument values), so helpers composed k deep, H_k(t) = H_{k−1}(H_{k−1}(t)), cost time linear in k.
    /// </summary>
    private Expr? Inline(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var method = invocation.TargetMethod;
        var target = Implementation(method);
        foreach (var active in inlining)
        {
            if (SymbolEqualityComparer.Default.Equals(active, target))
            {
                Report(DiagnosticDescriptors.Recursion, invocation.Syntax, method.Name, inlining.Peek().Name);
                return null;
            }
        }

        if (!IsDouble(method.ReturnType))
        {
            Report(DiagnosticDescriptors.NonDoubleType, invocation.Syntax, invocation.Syntax.ToString(), TypeName(method.ReturnType));
            return null;
        }

        var inner = new Dictionary<IParameterSymbol, Binding>(SymbolEqualityComparer.Default);
        var byPosition = new Binding[method.Parameters.Length];
        bool ok = true;
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null || parameter.Ordinal >= byPosition.Length)
            {
                ok = false;
                continue;
            }

            if (IsDouble(parameter.Type))
            {
                var value = Parse(argument.Value, bindings);
                ok &= value is not null;
                inner[parameter] = byPosition[parameter.Ordinal] = Binding.ForScalar(value ?? Expr.Zero);
            }
            else if (IsVector(parameter.Type))
            {
                var vector = ParseVector(argument.Value, bindings);
                ok &= vector is not null;
                inner[parameter] = byPosition[parameter.Ordinal] = Binding.ForVector(vector ?? 0);
            }
            else
            {
                Report(DiagnosticDescriptors.NonDoubleType, argument.Syntax, parameter.Name, TypeName(parameter.Type));
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        var key = new InlineKey(target, byPosition);
        if (inlined.TryGetValue(key, out var known))
        {
            return known;
        }

        var result = ParseMethod(method, inner);
        if (result is not null && ValueDepth(result) > ExpressionDepth.Limit)
        {
            // Helpers composed into each other nest their bodies in the value even where the syntax is shallow
            // (H_k(t) = H_{k−1}(H_{k−1}(t)) nests 2^k bodies): the same limit holds for the value.
            throw new ExpressionTooComplexException("inline", ValueDepth(result), ExpressionDepth.Limit);
        }

        inlined[key] = result;
        return result;
    }

    /// <summary>The nesting depth of a parsed value (capped just above the limit), on an explicit stack and memoised by
    /// reference, so each node built while parsing is visited once however the values share it.</summary>
    private int ValueDepth(Expr root)
    {
        if (valueDepths.TryGetValue(root, out int known))
        {
            return known;
        }

        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Peek();
            if (valueDepths.ContainsKey(node))
            {
                stack.Pop();
                continue;
            }

            int depth = 0;
            bool ready = true;
            foreach (var child in node.Children)
            {
                if (valueDepths.TryGetValue(child, out int d))
                {
                    depth = Math.Max(depth, d);
                }
                else
                {
                    ready = false;
                    stack.Push(child);
                }
            }

            if (ready)
            {
                valueDepths[node] = Math.Min(depth + 1, ExpressionDepth.Limit + 1);
                stack.Pop();
            }
        }

        return valueDepths[root];
    }

    /// <summary>A helper and its arguments by position: the key of an inlined result.</summary>
    private sealed class InlineKey : IEquatable<InlineKey>
    {
        private readonly IMethodSymbol method;
        private readonly Binding[] arguments;
        private readonly int hash;

        public InlineKey(IMethodSymbol method, Binding[] arguments)
        {
            this.method = method;
            this.arguments = arguments;
            int h = SymbolEqualityComparer.Default.GetHashCode(method);
            foreach (var argument in arguments)
            {
                h = (h * 31) + argument.GetHashCode();
            }

            hash = h;
        }

        public bool Equals(InlineKey? other)
        {
            if (other is null || other.hash != hash || !SymbolEqualityComparer.Default.Equals(method, other.method) || other.arguments.Length != arguments.Length)
            {
                return false;
            }

            for (int i = 0; i < arguments.Length; i++)
            {
                if (!arguments[i].Equals(other.arguments[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as InlineKey);

        public override int GetHashCode() => hash;
    }
}
