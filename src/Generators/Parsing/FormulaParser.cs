using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Helpers;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MeanField.Generators.Parsing;

/// <summary>
/// Turns the body of a model member into a symbolic expression, walking Roslyn's IOperation tree.
/// Helper methods of the model are inlined; <c>Math.*</c> calls map through one table keyed by name;
/// vectors enter only through channels. An unsupported construct adds a diagnostic at its span and
/// parsing goes on, so one compile shows every error.
/// </summary>
internal sealed class FormulaParser
{
    private readonly Compilation compilation;
    private readonly INamedTypeSymbol modelType;
    private readonly ChannelSet channels;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly CancellationToken token;
    private readonly Stack<IMethodSymbol> inlining = new();
    private readonly Dictionary<SyntaxTree, SemanticModel> semanticModels = new();

    public FormulaParser(Compilation compilation, INamedTypeSymbol modelType, ChannelSet channels, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        this.compilation = compilation;
        this.modelType = modelType;
        this.channels = channels;
        this.diagnostics = diagnostics;
        this.token = token;
    }

    /// <summary>A parameter's value while parsing: a scalar expression or a vector (channel index).</summary>
    public readonly record struct Binding(Expr? Scalar, int Vector)
    {
        public static Binding ForScalar(Expr value) => new(value, 0);

        public static Binding ForVector(int index) => new(null, index);
    }

    /// <summary>Parses the single expression of <paramref name="method"/> with its parameters bound as given.</summary>
    public Expr? ParseMethod(IMethodSymbol method, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var body = FindBody(method, report: true);
        if (body is null)
        {
            return null;
        }

        inlining.Push(method);
        try
        {
            var operation = GetSemanticModel(body.SyntaxTree).GetOperation(body, token);
            if (operation is null)
            {
                Report(DiagnosticDescriptors.UnsupportedSyntax, body, Describe(body), "write the formula as one expression");
                return null;
            }

            return Parse(operation, bindings);
        }
        finally
        {
            inlining.Pop();
        }
    }

    /// <summary>The expression a model member computes: its expression body or its single return.</summary>
    public ExpressionSyntax? FindBody(IMethodSymbol method, bool report)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(token) is not MethodDeclarationSyntax declaration)
            {
                continue;
            }

            if (declaration.ExpressionBody is { } arrow)
            {
                return arrow.Expression;
            }

            if (declaration.Body is { } block)
            {
                if (block.Statements.Count == 1 && block.Statements[0] is ReturnStatementSyntax { Expression: { } returned })
                {
                    return returned;
                }

                if (report)
                {
                    SyntaxNode at = block.Statements.Count > 0 ? block.Statements[0] : block;
                    foreach (var statement in block.Statements)
                    {
                        if (statement is not ReturnStatementSyntax)
                        {
                            at = statement;
                            break;
                        }
                    }

                    Report(DiagnosticDescriptors.NotExpressionBodied, at, method.Name);
                }

                return null;
            }
        }

        if (report)
        {
            Report(DiagnosticDescriptors.NotExpressionBodied, method.Locations.Length > 0 ? method.Locations[0] : null, method.Name);
        }

        return null;
    }

    private Expr? Parse(IOperation operation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        token.ThrowIfCancellationRequested();

        if (operation.ConstantValue.HasValue)
        {
            return ParseConstant(operation);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                if (!IsDouble(conversion.Operand.Type))
                {
                    Report(DiagnosticDescriptors.NonDoubleType, conversion.Operand.Syntax, conversion.Operand.Syntax.ToString(), TypeName(conversion.Operand.Type));
                    return null;
                }

                return Parse(conversion.Operand, bindings);

            case IParenthesizedOperation parenthesized:
                return Parse(parenthesized.Operand, bindings);

            case IBinaryOperation binary:
                return ParseBinary(binary, bindings);

            case IUnaryOperation unary when unary.OperatorKind == UnaryOperatorKind.Minus && IsDouble(unary.Type):
                return Parse(unary.Operand, bindings) is { } negated ? -negated : null;

            case IUnaryOperation unary when unary.OperatorKind == UnaryOperatorKind.Plus && IsDouble(unary.Type):
                return Parse(unary.Operand, bindings);

            case IParameterReferenceOperation parameter:
                return ParseParameter(parameter, bindings);

            case IInvocationOperation invocation:
                return ParseInvocation(invocation, bindings);

            case IConditionalOperation conditional when conditional.WhenFalse is not null:
                return ParseConditional(conditional, bindings);

            case IFieldReferenceOperation field:
                Report(DiagnosticDescriptors.UnsupportedSyntax, field.Syntax, $"The non-constant field '{field.Field.Name}'", "make it 'const double' or write the value as a literal");
                return null;

            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } when IsVector(instance.Type):
                Report(DiagnosticDescriptors.VectorOutsideChannel, operation.Syntax, instance.Parameter.Name);
                return null;

            case IPropertyReferenceOperation property:
                Report(DiagnosticDescriptors.UnsupportedSyntax, property.Syntax, $"The property '{property.Property.Name}'", "use a parameter, a const double field or a literal");
                return null;

            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                Report(DiagnosticDescriptors.UnsupportedSyntax, operation.Syntax, "An assignment", "model formulas cannot change values; write the formula as one expression");
                return null;

            default:
                if (!IsDouble(operation.Type) && operation.Type is not null && operation.Type.SpecialType != SpecialType.System_Boolean)
                {
                    Report(DiagnosticDescriptors.NonDoubleType, operation.Syntax, operation.Syntax.ToString(), TypeName(operation.Type));
                    return null;
                }

                Report(DiagnosticDescriptors.UnsupportedSyntax, operation.Syntax, Describe(operation.Syntax), "use double arithmetic (+ - * /), Math functions, ?: on a comparison and static helper methods of the model");
                return null;
        }
    }

    private Expr? ParseConstant(IOperation operation)
    {
        object? value = operation.ConstantValue.Value;
        switch (value)
        {
            case double d:
                return Expr.Constant(d);
            case float or int or long or short or byte or sbyte or uint or ulong or ushort:
                return Expr.Constant(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case decimal m:
                return Expr.Constant((double)m);
            default:
                Report(DiagnosticDescriptors.NonDoubleType, operation.Syntax, operation.Syntax.ToString(), TypeName(operation.Type));
                return null;
        }
    }

    private Expr? ParseBinary(IBinaryOperation binary, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        if (!IsDouble(binary.Type))
        {
            if (binary.Type?.SpecialType == SpecialType.System_Boolean)
            {
                Report(DiagnosticDescriptors.UnsupportedCondition, binary.Syntax, binary.Syntax.ToString());
            }
            else
            {
                Report(DiagnosticDescriptors.NonDoubleType, binary.Syntax, binary.Syntax.ToString(), TypeName(binary.Type));
            }

            return null;
        }

        Func<Expr, Expr, Expr>? combine = binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => static (a, b) => a + b,
            BinaryOperatorKind.Subtract => static (a, b) => a - b,
            BinaryOperatorKind.Multiply => static (a, b) => a * b,
            BinaryOperatorKind.Divide => static (a, b) => a / b,
            _ => null,
        };

        if (combine is null)
        {
            Report(DiagnosticDescriptors.UnsupportedSyntax, binary.Syntax, $"The operator in '{binary.Syntax}'", "use + - * / and Math functions");
            return null;
        }

        var left = Parse(binary.LeftOperand, bindings);
        var right = Parse(binary.RightOperand, bindings);
        return left is null || right is null ? null : combine(left, right);
    }

    private Expr? ParseParameter(IParameterReferenceOperation reference, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        if (!bindings.TryGetValue(reference.Parameter, out var binding))
        {
            Report(DiagnosticDescriptors.UnsupportedSyntax, reference.Syntax, $"The parameter '{reference.Parameter.Name}'", "use the parameters of the member being parsed");
            return null;
        }

        if (binding.Scalar is null)
        {
            Report(DiagnosticDescriptors.VectorOutsideChannel, reference.Syntax, reference.Parameter.Name);
            return null;
        }

        return binding.Scalar;
    }

    private Expr? ParseConditional(IConditionalOperation conditional, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        Comparison? comparison = null;
        Expr? left = null;
        Expr? right = null;
        if (conditional.Condition is IBinaryOperation test && IsDouble(test.LeftOperand.Type) && IsDouble(test.RightOperand.Type))
        {
            comparison = test.OperatorKind switch
            {
                BinaryOperatorKind.LessThan => Comparison.Less,
                BinaryOperatorKind.LessThanOrEqual => Comparison.LessOrEqual,
                BinaryOperatorKind.GreaterThan => Comparison.Greater,
                BinaryOperatorKind.GreaterThanOrEqual => Comparison.GreaterOrEqual,
                _ => null,
            };

            if (comparison is not null)
            {
                left = Parse(test.LeftOperand, bindings);
                right = Parse(test.RightOperand, bindings);
            }
        }

        if (comparison is null)
        {
            Report(DiagnosticDescriptors.UnsupportedCondition, conditional.Condition.Syntax, conditional.Condition.Syntax.ToString());
        }

        var whenTrue = Parse(conditional.WhenTrue, bindings);
        var whenFalse = Parse(conditional.WhenFalse!, bindings);
        if (comparison is null || left is null || right is null || whenTrue is null || whenFalse is null)
        {
            return null;
        }

        return Expr.Conditional(comparison.Value, left, right, whenTrue, whenFalse);
    }

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

    private Expr? Inline(IInvocationOperation invocation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var method = invocation.TargetMethod;
        foreach (var active in inlining)
        {
            if (SymbolEqualityComparer.Default.Equals(active, method))
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
        bool ok = true;
        foreach (var argument in invocation.Arguments)
        {
            var parameter = argument.Parameter;
            if (parameter is null)
            {
                ok = false;
                continue;
            }

            if (IsDouble(parameter.Type))
            {
                var value = Parse(argument.Value, bindings);
                ok &= value is not null;
                inner[parameter] = Binding.ForScalar(value ?? Expr.Zero);
            }
            else if (IsVector(parameter.Type))
            {
                var vector = ParseVector(argument.Value, bindings);
                ok &= vector is not null;
                inner[parameter] = Binding.ForVector(vector ?? 0);
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

        return ParseMethod(method, inner);
    }

    private SemanticModel GetSemanticModel(SyntaxTree tree)
    {
        if (!semanticModels.TryGetValue(tree, out var model))
        {
            model = compilation.GetSemanticModel(tree);
            semanticModels.Add(tree, model);
        }

        return model;
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, node, arguments));

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    public static bool IsDouble(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Double;

    public static bool IsVector(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span
           && span.ContainingNamespace?.ToDisplayString() == "System"
           && IsDouble(span.TypeArguments[0]);

    private static string TypeName(ITypeSymbol? type) => type?.ToDisplayString() ?? "?";

    private static string Describe(SyntaxNode node)
    {
        string text = node.ToString();
        if (text.Length > 40)
        {
            text = text.Substring(0, 37) + "...";
        }

        return $"'{text}'";
    }
}
