using System;
using System.Collections.Concurrent;

namespace MeanField.Generators.Diagnostics;

/// <summary>
/// Lets tests make the generator fail on purpose, to check that a failure becomes a diagnostic (MF0099, or
/// MF0018 for an expression too deep) and never an exception in the compiler. Empty in normal use.
/// </summary>
/// <remarks>
/// Failures are registered per model type name and removed when the returned scope is disposed, so tests that run in
/// parallel, each with its own model names, never see or clear each other's failures (a single global delegate did:
/// one test's <c>finally</c> could clear another's hook mid-run).
/// </remarks>
internal static class TestHooks
{
    private static readonly ConcurrentDictionary<string, bool> ParseFailures = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Func<Exception>> EmitFailures = new(StringComparer.Ordinal);

    /// <summary>Parsing the model named <paramref name="typeName"/> throws until the scope is disposed.</summary>
    public static IDisposable FailParsing(string typeName)
    {
        if (!ParseFailures.TryAdd(typeName, true))
        {
            throw new InvalidOperationException($"A parse failure for '{typeName}' is already registered.");
        }

        return new Scope(() => ParseFailures.TryRemove(typeName, out _));
    }

    /// <summary>Emitting the model named <paramref name="typeName"/> throws <paramref name="exception"/>() until the scope is disposed.</summary>
    public static IDisposable FailEmitting(string typeName, Func<Exception> exception)
    {
        if (!EmitFailures.TryAdd(typeName, exception))
        {
            throw new InvalidOperationException($"An emit failure for '{typeName}' is already registered.");
        }

        return new Scope(() => EmitFailures.TryRemove(typeName, out _));
    }

    /// <summary>Whether parsing <paramref name="typeName"/> must fail.</summary>
    internal static bool ParsingFails(string typeName) => !ParseFailures.IsEmpty && ParseFailures.ContainsKey(typeName);

    /// <summary>The exception emitting <paramref name="typeName"/> must throw, or null.</summary>
    internal static Exception? EmitFailure(string typeName) =>
        !EmitFailures.IsEmpty && EmitFailures.TryGetValue(typeName, out var exception) ? exception() : null;

    private sealed class Scope(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
