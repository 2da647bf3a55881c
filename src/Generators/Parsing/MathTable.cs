using System;
using System.Collections.Generic;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Parsing;

/// <summary>The one table that maps <c>System.Math</c> functions to symbolic operations, keyed by name and arity.</summary>
internal static class MathTable
{
    public readonly record struct Entry(Func<Expr[], Expr> Build);

    private static readonly Dictionary<(string Name, int Arity), Entry> Table = new()
    {
        [("Exp", 1)] = Unary(MathFunction.Exp),
        [("Log", 1)] = Unary(MathFunction.Log),
        [("Sqrt", 1)] = Unary(MathFunction.Sqrt),
        [("Tanh", 1)] = Unary(MathFunction.Tanh),
        [("Sin", 1)] = Unary(MathFunction.Sin),
        [("Cos", 1)] = Unary(MathFunction.Cos),
        [("Abs", 1)] = Unary(MathFunction.Abs),
        [("Acos", 1)] = Unary(MathFunction.Acos),
        [("Atan", 1)] = Unary(MathFunction.Atan),
        [("Pow", 2)] = new(static a => Expr.Pow(a[0], a[1])),
        [("Max", 2)] = new(static a => Expr.Max(a[0], a[1])),
        [("Min", 2)] = new(static a => Expr.Min(a[0], a[1])),
    };

    public static bool TryGet(string name, int arity, out Entry entry) => Table.TryGetValue((name, arity), out entry);

    private static Entry Unary(MathFunction function) => new(a => Expr.Call(function, a[0]));
}
