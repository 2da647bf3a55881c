using MeanField.Generators.Diagnostics;
using MeanField.Generators.Symbolic;
using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// A failure while emitting one model becomes a diagnostic at that model's name — MF0018 when an expression was too
/// deep for a pass, MF0099 otherwise — and every other model still gets its code.
/// </summary>
public sealed class FailureTests
{
    private const string Members = "[Activation] public static double S(double z) => Math.Tanh(z); [Cost] public static double Loss(double y, double p) => 0.5 * (p - y) * (p - y);";

    public static TheoryData<string, string> Failures() => new()
    {
        { nameof(InvalidOperationException), "MF0099" },
        { nameof(OutOfMemoryException), "MF0099" },
        { nameof(ExpressionTooComplexException), "MF0018" },
        { nameof(InsufficientExecutionStackException), "MF0018" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void FailureWhileEmittingIsReportedAtTheModelAndSparesTheOthers(string exception, string id)
    {
        string doomed = "DoomedEmit" + exception.Replace("Exception", string.Empty, StringComparison.Ordinal);
        Func<Exception> failure = () => exception switch
        {
            nameof(InvalidOperationException) => new InvalidOperationException("failure injected by a test"),
            nameof(OutOfMemoryException) => new OutOfMemoryException("failure injected by a test"),
            nameof(ExpressionTooComplexException) => new ExpressionTooComplexException("differentiate", 300, 256),
            _ => new InsufficientExecutionStackException(),
        };
        using (TestHooks.FailEmitting(doomed, failure))
        {
            var (first, span) = GeneratorHarness.Marked($"namespace A; [MeanFieldNetwork] public partial struct [|{doomed}|] {{ {Members} }}");
            string before = $"namespace A; [MeanFieldNetwork] public partial struct Aardvark {{ {Members} }}";
            string after = $"namespace Z; [MeanFieldNetwork] public partial struct Zebra {{ {Members} }}";
            var outcome = StackCheckedRun.Run(first, before, after);

            Assert.Null(outcome.Result.Exception);
            var diagnostic = Assert.Single(outcome.Result.Diagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(span, diagnostic.Location.SourceSpan);
            Assert.Equal("Model0.cs", diagnostic.Location.GetLineSpan().Path);
            Assert.Contains(doomed, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Equal(new[] { "A.Aardvark.g.cs", "Z.Zebra.g.cs" }, outcome.Result.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void FailureWhileParsingSparesTheOthers()
    {
        using (TestHooks.FailParsing("DoomedParse"))
        {
            var outcome = StackCheckedRun.Run(
                $"namespace A; [MeanFieldNetwork] public partial struct DoomedParse {{ {Members} }}",
                $"namespace A; [MeanFieldNetwork] public partial struct Survivor {{ {Members} }}");

            Assert.Equal("MF0099", Assert.Single(outcome.Result.Diagnostics).Id);
            Assert.NotNull(outcome.TextAt(outcome.Result.Diagnostics[0]));
            Assert.Equal("A.Survivor.g.cs", Assert.Single(outcome.Result.GeneratedSources).HintName);
        }
    }

    [Fact]
    public void ModelDeclaredInTwoAnnotatedPartsGetsOneFile()
    {
        var outcome = StackCheckedRun.Run(
            $"namespace A; [MeanFieldNetwork] public partial struct Twice {{ {Members} }}",
            "namespace A; [MeanFieldNetwork] public partial struct Twice { }");

        Assert.Null(outcome.Result.Exception);
        Assert.DoesNotContain(outcome.Result.Diagnostics, d => d.Id == "MF0099");
        Assert.True(outcome.Result.GeneratedSources.Length <= 1, "two files for one model");
    }
}
