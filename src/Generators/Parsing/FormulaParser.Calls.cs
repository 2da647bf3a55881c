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
            return method.Name == "Sum" ? ParseSum(invocation, bindings) : ParseChannel(invocation, bindings);
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
        var vectors = new Binding[invocation.Arguments.Length];
        bool ok = true;
        for (int i = 0; i < vectors.Length; i++)
        {
            var vector = ParseVector(invocation.Arguments[i].Value, bindings);
            ok &= vector is not null;
            vectors[i] = vector ?? default;
        }

        if (!ok)
        {
            return null;
        }

        string name = invocation.TargetMethod.Name;
        if (Array.Exists(vectors, v => v.Components is not null))
        {
            return ComponentChannel(invocation, name, vectors);
        }

        switch (name)
        {
            case "Dot" when vectors.Length == 2:
                return channels.Dot(vectors[0].Vector, vectors[1].Vector);
            case "SquaredNorm" when vectors.Length == 1:
                return channels.Dot(vectors[0].Vector, vectors[0].Vector);
            case "SquaredDistance" when vectors.Length == 2:
                return channels.SquaredDistance(vectors[0].Vector, vectors[1].Vector);
            default:
                Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, invocation.TargetMethod.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                return null;
        }
    }

    /// <summary>A channel of vectors with known components, written out: a·b = Σ_j a_j b_j, |a|², |a − b|².</summary>
    private Expr? ComponentChannel(IInvocationOperation invocation, string name, Binding[] vectors)
    {
        if (!SameComponents(invocation, vectors))
        {
            return null;
        }

        var a = vectors[0].Components!;
        var b = vectors[vectors.Length - 1].Components!;
        Func<int, Expr>? term = name switch
        {
            "Dot" when vectors.Length == 2 => j => a[j] * b[j],
            "SquaredNorm" when vectors.Length == 1 => j => a[j] * a[j],
            "SquaredDistance" when vectors.Length == 2 => j => (a[j] - b[j]) * (a[j] - b[j]),
            _ => null,
        };

        if (term is null)
        {
            Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, invocation.TargetMethod.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
            return null;
        }

        Expr sum = Expr.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            sum += term(j);
        }

        return sum;
    }

    /// <summary>True when every vector has known components, all of one length; otherwise a diagnostic at the call.</summary>
    private bool SameComponents(IInvocationOperation invocation, Binding[] vectors)
    {
        foreach (var vector in vectors)
        {
            if (vector.Components is null || vector.Components.Length != vectors[0].Components?.Length)
            {
                Report(DiagnosticDescriptors.UnsupportedSyntax, invocation.Syntax, $"The call '{invocation.Syntax}'", "its vectors must all be the game's position or gradient (of one dimension), not a network's or a kernel's vectors");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>Sum(a, term)</c> or <c>Sum(a, b, term)</c> over vectors with known components: Σ_j term(a_j[, b_j]), the term a
    /// lambda (its body parsed with its parameters bound to the components) or a static method of the model (inlined).
    /// </summary>
    private Expr? ParseSum(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        int count = invocation.Arguments.Length - 1;
        var vectors = new Binding[Math.Max(count, 0)];
        bool ok = count is 1 or 2;
        for (int i = 0; i < count && ok; i++)
        {
            var vector = ParseVector(invocation.Arguments[i].Value, bindings);
            ok &= vector is not null;
            vectors[i] = vector ?? default;
        }

        if (!ok || !SameComponents(invocation, vectors))
        {
            return null;
        }

        var function = invocation.Arguments[count].Value;
        while (function is IConversionOperation conversion)
        {
            function = conversion.Operand;
        }

        int length = vectors[0].Components!.Length;
        Expr sum = Expr.Zero;
        switch (function is IDelegateCreationOperation creation ? creation.Target : function)
        {
            case IAnonymousFunctionOperation lambda:
                if (lambda.Body.Operations.Length != 1 || lambda.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, lambda.Syntax, $"The lambda '{lambda.Syntax}'", "write the term as one expression, e.g. xi => Math.Sin(2 * Math.PI * xi)");
                    return null;
                }

                for (int j = 0; j < length; j++)
                {
                    var inner = new Dictionary<IParameterSymbol, Binding>(SymbolEqualityComparer.Default);
                    foreach (var outer in bindings)
                    {
                        inner[outer.Key] = outer.Value;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        inner[lambda.Symbol.Parameters[i]] = Binding.ForScalar(vectors[i].Components![j]);
                    }

                    var term = Parse(returned, inner);
                    if (term is null)
                    {
                        return null;
                    }

                    sum += term;
                }

                return sum;

            case IMethodReferenceOperation { Method: var target } when SymbolEqualityComparer.Default.Equals(target.ContainingType, modelType) && target.IsStatic:
                if (!CanInline(target, invocation.Syntax))
                {
                    return null;
                }

                for (int j = 0; j < length; j++)
                {
                    var byPosition = new Binding[count];
                    for (int i = 0; i < count; i++)
                    {
                        byPosition[i] = Binding.ForScalar(vectors[i].Components![j]);
                    }

                    var term = InlineBound(target, byPosition);
                    if (term is null)
                    {
                        return null;
                    }

                    sum += term;
                }

                return sum;

            case IMethodReferenceOperation other:
                Report(DiagnosticDescriptors.UnsupportedCall, invocation.Arguments[count].Syntax, other.Method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
                return null;

            default:
                Report(DiagnosticDescriptors.UnsupportedSyntax, invocation.Arguments[count].Syntax, $"The term '{invocation.Arguments[count].Syntax}'", "pass a lambda (xi => ...) or a static method of the model");
                return null;
        }
    }

    /// <summary>A constant index into a vector with known components, <c>x[0]</c>; anything else about a vector is a diagnostic.</summary>
    private Expr? ParseComponent(IPropertyReferenceOperation property, IParameterReferenceOperation instance, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        if (!bindings.TryGetValue(instance.Parameter, out var binding) || binding.Components is null)
        {
            Report(DiagnosticDescriptors.VectorOutsideChannel, property.Syntax, instance.Parameter.Name);
            return null;
        }

        if (property.Property.IsIndexer && property.Arguments.Length == 1 && property.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int index })
        {
            if (index >= 0 && index < binding.Components.Length)
            {
                return binding.Components[index];
            }

            Report(DiagnosticDescriptors.UnsupportedSyntax, property.Syntax, $"The index {index.ToString(System.Globalization.CultureInfo.InvariantCulture)} into '{instance.Parameter.Name}'", $"the game has dimension {binding.Components.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}: use an index from 0 to {(binding.Components.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return null;
        }

        Report(DiagnosticDescriptors.UnsupportedSyntax, property.Syntax, $"The expression '{property.Syntax}'", "index the vector with a constant (x[0]), or use SquaredNorm, Dot or Sum");
        return null;
    }

    private Binding? ParseVector(IOperation operation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        while (operation is IConversionOperation { Conversion.IsIdentity: true } identity)
        {
            operation = identity.Operand;
        }

        if (operation is IParameterReferenceOperation reference
            && bindings.TryGetValue(reference.Parameter, out var binding)
            && binding.Scalar is null)
        {
            return binding;
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
        if (!CanInline(method, invocation.Syntax))
        {
            return null;
        }

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
                byPosition[parameter.Ordinal] = Binding.ForScalar(value ?? Expr.Zero);
            }
            else if (IsVector(parameter.Type))
            {
                var vector = ParseVector(argument.Value, bindings);
                ok &= vector is not null;
                byPosition[parameter.Ordinal] = vector ?? Binding.ForVector(0);
            }
            else
            {
                Report(DiagnosticDescriptors.NonDoubleType, argument.Syntax, parameter.Name, TypeName(parameter.Type));
                ok = false;
            }
        }

        return ok ? InlineBound(method, byPosition) : null;
    }

    /// <summary>False, with a diagnostic at <paramref name="at"/>, when <paramref name="method"/> is being inlined already (recursion) or does not return double.</summary>
    private bool CanInline(IMethodSymbol method, SyntaxNode at)
    {
        var target = Implementation(method);
        foreach (var active in inlining)
        {
            if (SymbolEqualityComparer.Default.Equals(active, target))
            {
                Report(DiagnosticDescriptors.Recursion, at, method.Name, inlining.Peek().Name);
                return false;
            }
        }

        if (!IsDouble(method.ReturnType))
        {
            Report(DiagnosticDescriptors.NonDoubleType, at, at.ToString(), TypeName(method.ReturnType));
            return false;
        }

        return true;
    }

    /// <summary>The body of the model's static helper <paramref name="method"/> with its parameters bound by position
    /// (after <see cref="CanInline"/>); a helper inlined again with the same arguments is parsed once.</summary>
    private Expr? InlineBound(IMethodSymbol method, Binding[] byPosition)
    {
        var target = Implementation(method);
        var inner = new Dictionary<IParameterSymbol, Binding>(SymbolEqualityComparer.Default);
        for (int i = 0; i < byPosition.Length; i++)
        {
            inner[method.Parameters[i]] = byPosition[i];
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
