using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
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
internal sealed partial class FormulaParser
{
    private readonly Compilation compilation;
    private readonly INamedTypeSymbol modelType;
    private readonly ChannelSet channels;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly CancellationToken token;
    private readonly Stack<IMethodSymbol> inlining = new();
    private readonly Dictionary<SyntaxTree, SemanticModel> semanticModels = new();
    private readonly ExpressionDepth depthGauge;
    private readonly Stack<SyntaxNode> syntaxStack = new();
    private int depth;

    public FormulaParser(Compilation compilation, INamedTypeSymbol modelType, ChannelSet channels, List<DiagnosticInfo> diagnostics, CancellationToken token)
    {
        this.compilation = compilation;
        this.modelType = modelType;
        this.channels = channels;
        this.diagnostics = diagnostics;
        this.token = token;
        depthGauge = new ExpressionDepth(modelType, token);
    }

    /// <summary>
    /// A parameter's value while parsing: a scalar expression, a vector known only through its channels (channel index),
    /// or a vector of known length whose components are symbols (a game's x and p: <see cref="Components"/>).
    /// </summary>
    public readonly record struct Binding(Expr? Scalar, int Vector, Expr[]? Components)
    {
        public static Binding ForScalar(Expr value) => new(value, 0, null);

        public static Binding ForVector(int index) => new(null, index, null);

        public static Binding ForComponents(Expr[] components) => new(null, 0, components);
    }

    /// <summary>
    /// Parses the single expression of <paramref name="method"/> with its parameters bound as given (by position:
    /// the body may belong to another symbol of the same method, a partial method's implementation part or a generic
    /// method's definition). A formula the parse starts from (not an inlined helper) is first measured with
    /// <see cref="ExpressionDepth"/>: too deep, it gets MF0018 at its offending span and is not bound at all.
    /// </summary>
    public Expr? ParseMethod(IMethodSymbol method, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        var target = Implementation(method);
        var body = FindBody(target, report: true);
        if (body is null)
        {
            return null;
        }

        if (inlining.Count == 0)
        {
            var (_, at) = depthGauge.Measure(body);
            if (at is not null)
            {
                Report(DiagnosticDescriptors.ExpressionTooDeep, at, method.Name, $"it nests more than {ExpressionDepth.Limit} levels at this expression, counting inlined helpers");
                return null;
            }
        }

        if (!CheckSyntax(body))
        {
            return null;
        }

        var rebound = Rebind(bindings, target);

        bool isRoot = inlining.Count == 0;
        inlining.Push(target);
        try
        {
            // C# has no operation for parentheses: a body '(z * z)' is the operation of 'z * z'.
            var inner = body;
            while (inner is ParenthesizedExpressionSyntax parenthesized)
            {
                inner = parenthesized.Expression;
            }

            var operation = GetSemanticModel(inner.SyntaxTree).GetOperation(inner, token);
            if (operation is null)
            {
                Report(DiagnosticDescriptors.UnsupportedSyntax, body, Describe(body), "write the formula as one expression");
                return null;
            }

            return Parse(operation, rebound);
        }
        catch (ExpressionTooComplexException tooDeep) when (isRoot)
        {
            // A formula the parse started from: the limit was reached inside it (through its helpers).
            Report(DiagnosticDescriptors.ExpressionTooDeep, body, method.Name, tooDeep.Message);
            return null;
        }
        finally
        {
            inlining.Pop();
        }
    }

    /// <summary>The bindings by <paramref name="target"/>'s parameters (by position); the same dictionary when its keys
    /// already are those parameters (a call of an ordinary helper), so most calls copy nothing.</summary>
    private static IReadOnlyDictionary<IParameterSymbol, Binding> Rebind(IReadOnlyDictionary<IParameterSymbol, Binding> bindings, IMethodSymbol target)
    {
        bool same = true;
        foreach (var binding in bindings)
        {
            int ordinal = binding.Key.Ordinal;
            if (ordinal >= target.Parameters.Length || !SymbolEqualityComparer.Default.Equals(target.Parameters[ordinal], binding.Key))
            {
                same = false;
                break;
            }
        }

        if (same)
        {
            return bindings;
        }

        var rebound = new Dictionary<IParameterSymbol, Binding>(SymbolEqualityComparer.Default);
        foreach (var binding in bindings)
        {
            if (binding.Key.Ordinal < target.Parameters.Length)
            {
                rebound[target.Parameters[binding.Key.Ordinal]] = binding.Value;
            }
        }

        return rebound;
    }

    /// <summary>
    /// Rejects, before binding, the forms Roslyn's own operation tree cannot represent safely: an alias-qualified
    /// name other than <c>global::</c> (<c>SquaredNorm::x</c> binds a method as an alias and throws inside Roslyn).
    /// </summary>
    private bool CheckSyntax(ExpressionSyntax body)
    {
        // In document order (as DescendantNodesAndSelf), on a reused stack: nothing is allocated per node.
        var stack = syntaxStack;
        stack.Clear();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is AliasQualifiedNameSyntax alias && !alias.Alias.Identifier.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalKeyword))
            {
                stack.Clear();
                Report(DiagnosticDescriptors.UnsupportedSyntax, alias, $"The alias-qualified name '{alias}'", "call Dot, SquaredNorm or SquaredDistance with the vector parameters as arguments, e.g. SquaredNorm(x)");
                return false;
            }

            foreach (var child in node.ChildNodesAndTokens().Reverse())
            {
                if (child.AsNode() is { } childNode)
                {
                    stack.Push(childNode);
                }
            }
        }

        return true;
    }

    /// <summary>The symbol whose declaration holds the body: a partial method's implementation part, a generic method's definition.</summary>
    public static IMethodSymbol Implementation(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        return definition.PartialImplementationPart ?? definition;
    }

    /// <summary>The expression <paramref name="method"/> computes (its expression body or its single return), or null.</summary>
    public static ExpressionSyntax? BodySyntax(IMethodSymbol method, CancellationToken token)
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

            if (declaration.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } returned })
            {
                return returned;
            }
        }

        return null;
    }

    /// <summary>The expression a model member computes: its expression body or its single return.</summary>
    public ExpressionSyntax? FindBody(IMethodSymbol method, bool report)
    {
        if (BodySyntax(method, token) is { } body)
        {
            return body;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(token) is MethodDeclarationSyntax { Body: { } block })
            {
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

    /// <summary>
    /// Parses one operation. The recursion is guarded twice: by depth (the measure before parsing should keep it
    /// under <see cref="ExpressionDepth.Limit"/>; twice that means the measure missed a shape) and by the stack left;
    /// either way <see cref="ExpressionTooComplexException"/>, which the pipeline reports as MF0018.
    /// </summary>
    private Expr? Parse(IOperation operation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
        token.ThrowIfCancellationRequested();
        if (++depth > 2 * ExpressionDepth.Limit)
        {
            throw new ExpressionTooComplexException("parse", depth, ExpressionDepth.Limit);
        }

        try
        {
            try
            {
                RuntimeHelpers.EnsureSufficientExecutionStack();
            }
            catch (InsufficientExecutionStackException)
            {
                throw new ExpressionTooComplexException("parse", -1, ExpressionDepth.Limit);
            }

            return ParseOperation(operation, bindings);
        }
        finally
        {
            depth--;
        }
    }

    private Expr? ParseOperation(IOperation operation, IReadOnlyDictionary<IParameterSymbol, Binding> bindings)
    {
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

            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } property when IsVector(instance.Type):
                return ParseComponent(property, instance, bindings);

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
