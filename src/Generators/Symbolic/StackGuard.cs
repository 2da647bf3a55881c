using System;
using System.Runtime.CompilerServices;

namespace MeanField.Generators.Symbolic;

/// <summary>
/// The depth guard of every recursive symbolic pass: a hard nesting limit, and a check that enough stack is left
/// (the compiler may run the generator on a thread with a 1 MB stack). Either way the pass throws
/// <see cref="ExpressionTooComplexException"/>, which the pipeline reports as a located diagnostic, instead of
/// overflowing the stack and taking the compiler down.
/// </summary>
internal static class StackGuard
{
    /// <summary>The deepest nesting a recursive pass accepts.</summary>
    public const int MaxDepth = 20_000;

    /// <summary>Throws when <paramref name="depth"/> exceeds <see cref="MaxDepth"/> or the stack runs low.</summary>
    /// <param name="pass">The pass, named in the exception.</param>
    /// <param name="depth">The current recursion depth.</param>
    public static void Check(string pass, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ExpressionTooComplexException(pass, depth, MaxDepth);
        }

        try
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ExpressionTooComplexException(pass, -1, MaxDepth);
        }
    }
}
