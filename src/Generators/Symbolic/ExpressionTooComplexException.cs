using System;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// Thrown by a symbolic pass (parse, simplify, differentiate, CSE, print, equality) when an expression is
/// nested deeper than the generator can process safely on the compiler's stack. The pipeline turns it into a
/// located diagnostic (MF0018); it never reaches the compiler.
/// </summary>
public sealed class ExpressionTooComplexException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pass">The pass that gave up (for example "differentiate").</param>
    /// <param name="depth">The nesting depth reached, or −1 when unknown (the stack ran low).</param>
    /// <param name="limit">The supported depth.</param>
    public ExpressionTooComplexException(string pass, int depth, int limit)
        : base(depth >= 0
            ? $"the expression is nested {depth} levels deep in the '{pass}' pass; at most {limit} are supported"
            : $"the expression is nested too deeply for the '{pass}' pass (the stack ran low); at most {limit} levels are supported")
    {
        Pass = pass;
        Depth = depth;
        Limit = limit;
    }

    /// <summary>The pass that gave up.</summary>
    public string Pass { get; }

    /// <summary>The depth reached, or −1 when the stack ran low before the limit.</summary>
    public int Depth { get; }

    /// <summary>The supported depth.</summary>
    public int Limit { get; }
}
