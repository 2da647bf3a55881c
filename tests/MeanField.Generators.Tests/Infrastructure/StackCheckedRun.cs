using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the generator the way a compiler does — in-process, on a thread with a 1 MB stack — and checks what must
/// hold for every input: no exception escapes, no MF0099, every diagnostic is located in the source, and where the
/// model is valid C# and the generator reports nothing, the generated code compiles.
/// </summary>
internal static class StackCheckedRun
{
    /// <summary>The stack the compiler gives a generator (the default of a .NET thread).</summary>
    public const int CompilerStack = 1024 * 1024;

    /// <summary>Enough stack for Roslyn to parse and bind the deepest test model, as a compiler given the model
    /// without the generator would (the model compiles fine; the generator must too).</summary>
    private const int RoslynStack = 64 * 1024 * 1024;

    /// <summary>The generator's result on <paramref name="sources"/>: the sources are parsed and the output checked on a
    /// large stack, and the generator runs on a 1 MB one.</summary>
    public static Outcome Run(params string[] sources)
    {
        CSharpCompilation? input = null;
        OnThread(RoslynStack, () => input = GeneratorHarness.CreateCompilation(sources));

        GeneratorRunResult result = default;
        Compilation? output = null;
        OnThread(CompilerStack, () =>
        {
            var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input!, out output, out _);
            result = driver.GetRunResult().Results.Single();
        });

        // Compiling is the slow part: only where the generator reported nothing, and once for input and output together.
        Diagnostic[] inputErrors = Array.Empty<Diagnostic>();
        Diagnostic[] generatedErrors = Array.Empty<Diagnostic>();
        if (result.Diagnostics.Length == 0)
        {
            OnThread(RoslynStack, () =>
            {
                Diagnostic[] errors;
                try
                {
                    errors = output!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
                }
                catch (InvalidCastException exception)
                {
                    // Roslyn itself fails on a few broken inputs (an alias-qualified name that resolves to a method); the input is invalid.
                    errors = new[] { Diagnostic.Create(new DiagnosticDescriptor("ROSLYN", "Roslyn failed", exception.Message, "Test", DiagnosticSeverity.Error, true), Location.None) };
                }

                var inputTrees = input!.SyntaxTrees.ToHashSet();
                inputErrors = errors.Where(d => d.Location.SourceTree is null || inputTrees.Contains(d.Location.SourceTree)).ToArray();
                generatedErrors = inputErrors.Length == 0 ? errors.Except(inputErrors).ToArray() : Array.Empty<Diagnostic>();
            });
        }

        return new Outcome(result, inputErrors, generatedErrors, sources);
    }

    private static void OnThread(int stack, Action action)
    {
        Exception? escaped = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception exception)
                {
                    escaped = exception;
                }
            },
            stack);
        thread.Start();
        thread.Join();
        if (escaped is not null)
        {
            throw new Xunit.Sdk.XunitException("an exception escaped: " + escaped);
        }
    }

    /// <summary>The result of one run. <see cref="InputErrors"/> and <see cref="GeneratedErrors"/> (the compile errors of the
    /// input, and of the generated files where the input compiles) are computed only where the generator reported nothing.</summary>
    public sealed record Outcome(GeneratorRunResult Result, Diagnostic[] InputErrors, Diagnostic[] GeneratedErrors, string[] Sources)
    {
        /// <summary>The source text a diagnostic points at (the generator reports file locations: ModelN.cs and a span), or null.</summary>
        public string? TextAt(Diagnostic diagnostic)
        {
            var location = diagnostic.Location;
            string path = location.GetLineSpan().Path ?? string.Empty;
            if (location == Location.None || !path.StartsWith("Model", StringComparison.Ordinal) || !path.EndsWith(".cs", StringComparison.Ordinal)
                || !int.TryParse(path.AsSpan(5, path.Length - 8), out int index) || index < 0 || index >= Sources.Length)
            {
                return null;
            }

            var span = location.SourceSpan;
            return span.End <= Sources[index].Length ? Sources[index].Substring(span.Start, span.Length) : null;
        }

        /// <summary>The diagnostics as text, for messages.</summary>
        public string Describe() => string.Join("; ", Result.Diagnostics.Select(d => d.ToString()));

        public IEnumerable<string> Ids => Result.Diagnostics.Select(d => d.Id);

        /// <summary>Asserts the properties every run must have; <paramref name="label"/> names the case in the message.</summary>
        public Outcome AssertSound(string label)
        {
            Assert.True(Result.Exception is null, $"{label}: the generator threw {Result.Exception}");
            Assert.False(Result.Diagnostics.Any(d => d.Id == "MF0099"), $"{label}: MF0099 reported: {string.Join("; ", Result.Diagnostics.Select(d => d.ToString()))}");
            foreach (var diagnostic in Result.Diagnostics)
            {
                Assert.True(TextAt(diagnostic) is not null, $"{label}: {diagnostic.Id} has no location in the source: {diagnostic}");
            }

            Assert.True(GeneratedErrors.Length == 0, $"{label}: the generated code does not compile: {string.Join("\n", GeneratedErrors.Take(5).Select(d => d.ToString()))}");
            return this;
        }

        /// <summary>Asserts the model generated code that compiles.</summary>
        public Outcome AssertBuilds(string label)
        {
            AssertSound(label);
            Assert.True(InputErrors.Length == 0, $"{label}: the test model itself does not compile: {string.Join("\n", InputErrors.Take(3).Select(d => d.ToString()))}");
            Assert.True(Result.Diagnostics.Length == 0, $"{label}: expected no diagnostic, got {string.Join("; ", Result.Diagnostics.Select(d => d.ToString()))}");
            Assert.True(Result.GeneratedSources.Length > 0, $"{label}: no code generated");
            return this;
        }
    }
}
