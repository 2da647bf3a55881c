using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MeanField.Generators.Parsing;

/// <summary>
/// Measures how deeply a formula nests, on its syntax and without recursion (an explicit stack), before anything
/// binds or parses it: the parser and the symbolic passes recurse once per level, and the compiler runs generators
/// on a stack of about 1 MB. The depth counts the bodies of the model's helpers where they are called (inlining puts
/// them there), and a flat chain of <c>+</c>/<c>−</c> or <c>*</c>/<c>÷</c> with more than
/// <see cref="FlatChainThreshold"/> operands counts as the balanced tree the parser builds from it (specs/networks.md §6.1).
/// </summary>
internal sealed class ExpressionDepth
{
    /// <summary>The deepest nesting supported (MF0018 beyond it).</summary>
    public const int Limit = 256;

    /// <summary>A flat chain with more operands than this is parsed into a balanced tree.</summary>
    public const int FlatChainThreshold = 32;

    private readonly INamedTypeSymbol modelType;
    private readonly CancellationToken token;
    private readonly Dictionary<IMethodSymbol, int> helperDepths = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, Walk> walks = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<string, IMethodSymbol[]> calleesByName = new(StringComparer.Ordinal);

    // Reused by every walk of this model (a walk runs to completion before the next starts): a shallow formula
    // allocates nothing per node.
    private readonly Stack<(SyntaxNode Node, int Depth)> walkStack = new();
    private readonly List<ExpressionSyntax> chainOperands = new();

    public ExpressionDepth(INamedTypeSymbol modelType, CancellationToken token)
    {
        this.modelType = modelType;
        this.token = token;
    }

    /// <summary>
    /// The depth of <paramref name="body"/> with helpers inlined (capped just above <see cref="Limit"/>), and when
    /// it is over the limit, where to say so: the outermost expression of the body past the limit, or the call into a
    /// helper chain that takes it past.
    /// </summary>
    public (int Depth, SyntaxNode? At) Measure(ExpressionSyntax body)
    {
        var walk = WalkOf(body);
        int depth = walk.Depth;
        SyntaxNode? at = walk.FirstTooDeep;
        foreach (var call in walk.Calls)
        {
            int total = Math.Min(Limit + 1, call.Depth + HelperDepth(call.Callees));
            depth = Math.Max(depth, total);
            if (at is null && total > Limit)
            {
                at = call.Site;
            }
        }

        return (depth, at);
    }

    /// <summary>Whether a node is a level: every operator, call, conditional and pair of parentheses (Roslyn binds each
    /// recursively); names, member accesses, literals and argument lists are not.</summary>
    public static bool Nests(SyntaxNode node)
        => node is ExpressionSyntax and not (IdentifierNameSyntax or GenericNameSyntax or PredefinedTypeSyntax or QualifiedNameSyntax
            or AliasQualifiedNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax);

    /// <summary>The class of a flat chain an operator belongs to: 1 for + and −, 2 for * and ÷, 0 for others.</summary>
    public static int ChainClass(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression or SyntaxKind.SubtractExpression => 1,
        SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression => 2,
        _ => 0,
    };

    /// <summary>The depth of the tree the parser builds from a flat chain of <paramref name="operands"/> operands.</summary>
    public static int ChainDepth(int operands)
    {
        if (operands <= FlatChainThreshold)
        {
            return operands - 1;
        }

        int depth = 0;
        for (int span = 1; span < operands; span *= 2)
        {
            depth++;
        }

        return depth;
    }

    /// <summary>The methods of the model a call may inline (by name: the measure runs before binding).</summary>
    private IMethodSymbol[] Callees(InvocationExpressionSyntax invocation)
    {
        string? name = invocation.Expression switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };

        if (name is null)
        {
            return Array.Empty<IMethodSymbol>();
        }

        // Once per name and model (a formula calls Math.Exp or its helpers many times); no LINQ.
        if (!calleesByName.TryGetValue(name, out var callees))
        {
            List<IMethodSymbol>? found = null;
            foreach (var member in modelType.GetMembers(name))
            {
                if (member is IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary } method)
                {
                    (found ??= new List<IMethodSymbol>()).Add(FormulaParser.Implementation(method));
                }
            }

            callees = found is null ? Array.Empty<IMethodSymbol>() : found.ToArray();
            calleesByName.Add(name, callees);
        }

        return callees;
    }

    /// <summary>The deepest inlined depth of any of <paramref name="callees"/>, computed for every helper reachable from
    /// them in post-order on an explicit stack (a helper chain of any length uses no recursion); a cycle counts 0 (MF0013 reports it).</summary>
    private int HelperDepth(IMethodSymbol[] callees)
    {
        var stack = new Stack<(IMethodSymbol Method, bool Finish)>();
        var active = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var callee in callees)
        {
            stack.Push((callee, false));
        }

        while (stack.Count > 0)
        {
            token.ThrowIfCancellationRequested();
            var (method, finish) = stack.Pop();
            if (helperDepths.ContainsKey(method))
            {
                continue;
            }

            var body = FormulaParser.BodySyntax(method, token);
            var walk = body is null ? Walk.Empty : WalkOf(method, body);
            if (!finish)
            {
                if (!active.Add(method))
                {
                    continue;
                }

                stack.Push((method, true));
                foreach (var call in walk.Calls)
                {
                    foreach (var callee in call.Callees)
                    {
                        if (!helperDepths.ContainsKey(callee) && !active.Contains(callee))
                        {
                            stack.Push((callee, false));
                        }
                    }
                }

                continue;
            }

            // The helper's body takes the place of its call: its root counts as the call's level's child.
            int depth = walk.Depth;
            foreach (var call in walk.Calls)
            {
                int inner = 0;
                foreach (var callee in call.Callees)
                {
                    inner = Math.Max(inner, helperDepths.TryGetValue(callee, out var d) ? d : 0);
                }

                depth = Math.Max(depth, call.Depth + inner);
            }

            helperDepths[method] = Math.Min(depth, Limit + 1);
            active.Remove(method);
        }

        int max = 0;
        foreach (var callee in callees)
        {
            max = Math.Max(max, helperDepths.TryGetValue(callee, out var d) ? d : 0);
        }

        return max;
    }

    private Walk WalkOf(IMethodSymbol method, ExpressionSyntax body)
    {
        if (!walks.TryGetValue(method, out var walk))
        {
            walk = WalkOf(body);
            walks.Add(method, walk);
        }

        return walk;
    }

    /// <summary>One body's own depth, its first node past the limit, and its calls into helpers with their depths.</summary>
    private Walk WalkOf(ExpressionSyntax body)
    {
        int max = 0;
        SyntaxNode? tooDeep = null;
        List<Call>? calls = null;
        var stack = walkStack;
        stack.Clear();
        stack.Push((body, 0));
        while (stack.Count > 0)
        {
            var (node, parent) = stack.Pop();
            int depth = Nests(node) ? parent + 1 : parent;
            if (depth > max)
            {
                max = depth;
            }

            if (depth > Limit)
            {
                tooDeep ??= node;
                continue;
            }

            if (node is BinaryExpressionSyntax binary && ChainClass(binary.Kind()) is var chain and > 0)
            {
                // A flat chain a op b op c …: its operands sit at the depth of the tree the parser builds.
                var operands = chainOperands;
                operands.Clear();
                operands.Add(binary.Right);
                var left = binary.Left;
                while (left is BinaryExpressionSyntax inner && ChainClass(inner.Kind()) == chain)
                {
                    operands.Add(inner.Right);
                    left = inner.Left;
                }

                operands.Add(left);
                int operandDepth = depth - 1 + ChainDepth(operands.Count);
                if (operandDepth > Limit)
                {
                    tooDeep ??= node;
                    max = Math.Max(max, operandDepth);
                    continue;
                }

                foreach (var operand in operands)
                {
                    stack.Push((operand, operandDepth));
                }

                continue;
            }

            if (node is InvocationExpressionSyntax invocation)
            {
                var callees = Callees(invocation);
                if (callees.Length > 0)
                {
                    (calls ??= new List<Call>()).Add(new Call(invocation, depth, callees));
                }
            }

            // ChildNodesAndTokens is a struct list with a struct enumerator: no allocation per node (ChildNodes'
            // iterator allocates). Its nodes come in the same order.
            foreach (var child in node.ChildNodesAndTokens())
            {
                if (child.AsNode() is { } childNode)
                {
                    stack.Push((childNode, depth));
                }
            }
        }

        return new Walk(Math.Min(max, Limit + 1), tooDeep, calls ?? NoCalls);
    }

    private sealed record Call(InvocationExpressionSyntax Site, int Depth, IMethodSymbol[] Callees);

    private static readonly List<Call> NoCalls = new();

    private sealed record Walk(int Depth, SyntaxNode? FirstTooDeep, List<Call> Calls)
    {
        public static readonly Walk Empty = new(0, null, NoCalls);
    }
}
