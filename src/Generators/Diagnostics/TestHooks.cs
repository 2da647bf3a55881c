using System;

namespace MeanField.Generators.Diagnostics;

/// <summary>
/// Lets tests make the generator fail on purpose, to check that a failure becomes a diagnostic (MF0099, or
/// MF0018 for an expression too deep) and never an exception in the compiler. Unset in normal use.
/// </summary>
internal static class TestHooks
{
    /// <summary>When it returns true for a model's type name, parsing that model throws.</summary>
    public static Func<string, bool>? ThrowWhileParsing { get; set; }

    /// <summary>When it returns an exception for a model's type name, emitting that model throws it.</summary>
    public static Func<string, Exception?>? ThrowWhileEmitting { get; set; }
}
