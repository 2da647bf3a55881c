using System;

namespace MeanField.Generators.Diagnostics;

/// <summary>
/// Lets tests make the generator fail on purpose, to check that a failure becomes diagnostic MF0099
/// and never an exception in the compiler. Unset in normal use.
/// </summary>
internal static class TestHooks
{
    /// <summary>When it returns true for a model's type name, parsing that model throws.</summary>
    public static Func<string, bool>? ThrowWhileParsing { get; set; }
}
