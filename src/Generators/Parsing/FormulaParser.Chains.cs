using System.Collections.Generic;
using MeanField.Generators.Diagnostics;
using MeanField.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MeanField.Generators.Parsing;

/// <summary>Binary operators, and flat chains of them without recursion (specs/networks.md §6.1).</summary>
internal sealed partial class FormulaParser
{
    /// <summary>
    /// Parses <c>a op b op c …</c>: the left spine of one class of operators (+ and −, or * and ÷) is collected
    /// without recursion. Up to <see cref="ExpressionDepth.FlatChainThreshold"/> operands it is folded from the left,
    /// as written; a longer chain becomes a balanced tree (depth log₂ n), so a 600-term sum is not 600 levels deep
    /// for the passes after the parser nor for the C# compiler that compiles the generated code.
    /// </summary>
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

        int chain = ChainClass(binary.OperatorKind);
        if (chain == 0)
        {
            Report(DiagnosticDescriptors.UnsupportedSyntax, binary.Syntax, $"The operator in '{binary.Syntax}'", "use + - * / and Math functions");
            return null;
        }

        // One operator, a op b (most of a formula's): no lists, the same result as the general path below.
        bool invertedRight = binary.OperatorKind is BinaryOperatorKind.Subtract or BinaryOperatorKind.Divide;
        if (!binary.ConstantValue.HasValue && !IsChainLink(binary.LeftOperand, chain))
        {
            var left = Parse(binary.LeftOperand, bindings);
            var right = Parse(binary.RightOperand, bindings);
            return left is null || right is null ? null : Combine(chain, left, false, right, invertedRight).Value;
        }

        // The operands right to left with the operator before each (the leftmost gets none), then reversed.
        var operands = new List<IOperation>();
        var inverted = new List<bool>();
        IOperation current = binary;
        while (IsChainLink(current, chain))
        {
            var link = (IBinaryOperation)current;
            operands.Add(link.RightOperand);
            inverted.Add(link.OperatorKind is BinaryOperatorKind.Subtract or BinaryOperatorKind.Divide);
            current = link.LeftOperand;
        }

        operands.Add(current);
        inverted.Add(false);
        operands.Reverse();
        inverted.Reverse();

        var parsed = new Expr?[operands.Count];
        bool ok = true;
        for (int i = 0; i < parsed.Length; i++)
        {
            parsed[i] = Parse(operands[i], bindings);
            ok &= parsed[i] is not null;
        }

        if (!ok)
        {
            return null;
        }

        if (parsed.Length <= ExpressionDepth.FlatChainThreshold)
        {
            var result = parsed[0]!;
            for (int i = 1; i < parsed.Length; i++)
            {
                result = Combine(chain, result, false, parsed[i]!, inverted[i]).Value;
            }

            return result;
        }

        return Balanced(chain, parsed!, inverted);
    }

    /// <summary>
    /// The balanced tree of a long chain, built bottom-up (no recursion): each item is a value and whether it enters
    /// inverted (subtracted, or divided by), and two neighbours combine so that the pair keeps that meaning —
    /// a + b, a − b, b − a, or −(a + b) as (a + b) inverted; the same with * and ÷.
    /// </summary>
    private static Expr Balanced(int chain, Expr[] values, List<bool> inverted)
    {
        var items = new List<(Expr Value, bool Inverted)>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            items.Add((values[i], inverted[i]));
        }

        while (items.Count > 1)
        {
            var next = new List<(Expr Value, bool Inverted)>((items.Count + 1) / 2);
            for (int i = 0; i + 1 < items.Count; i += 2)
            {
                next.Add(Combine(chain, items[i].Value, items[i].Inverted, items[i + 1].Value, items[i + 1].Inverted));
            }

            if (items.Count % 2 == 1)
            {
                next.Add(items[items.Count - 1]);
            }

            items = next;
        }

        var (value, isInverted) = items[0];
        return !isInverted ? value : chain == 1 ? -value : Expr.One / value;
    }

    /// <summary>Two chain items (value, inverted) as one.</summary>
    private static (Expr Value, bool Inverted) Combine(int chain, Expr a, bool aInverted, Expr b, bool bInverted)
    {
        bool additive = chain == 1;
        return (aInverted, bInverted) switch
        {
            (false, false) => (additive ? a + b : a * b, false),
            (false, true) => (additive ? a - b : a / b, false),
            (true, false) => (additive ? b - a : b / a, false),
            _ => (additive ? a + b : a * b, true),
        };
    }

    /// <summary>Whether <paramref name="operation"/> continues a flat chain of class <paramref name="chain"/>.</summary>
    private static bool IsChainLink(IOperation operation, int chain) =>
        operation is IBinaryOperation link && IsDouble(link.Type) && !link.ConstantValue.HasValue && ChainClass(link.OperatorKind) == chain;

    private static int ChainClass(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add or BinaryOperatorKind.Subtract => 1,
        BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide => 2,
        _ => 0,
    };
}
