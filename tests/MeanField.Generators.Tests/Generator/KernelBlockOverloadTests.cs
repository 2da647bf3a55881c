using MeanField.Generators.Tests.Infrastructure;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// An interaction kernel gets block overloads of K and of its fused K with ∇K (<c>ref InputBlock&lt;T&gt;</c> in and out,
/// at 256 and 512 bits, for the symmetric schedule's register strips) exactly when its inputs — both sides' blocks, the pair
/// channels and both sides' side values — fit the runtime's <c>InputBlock</c> (16 fields); a larger kernel keeps the
/// span overloads alone, and both compile.
/// </summary>
public sealed class KernelBlockOverloadTests
{
    [Theory]
    [InlineData(7, true)]   // 7 + 7 scalars + w·w′ = 15 inputs
    [InlineData(8, false)]  // 8 + 8 + 1 = 17
    public void BlockOverloadsWhereTheKernelsInputsFitABlock(int scalars, bool expected)
    {
        string a = string.Join(", ", Enumerable.Range(0, scalars).Select(k => $"double a{k}"));
        string b = string.Join(", ", Enumerable.Range(0, scalars).Select(k => $"double b{k}"));
        string sum = string.Join(" + ", Enumerable.Range(0, scalars).Select(k => $"a{k} * b{k}"));
        string source = "[InteractionEnergy] public partial struct M { [Kernel] public static double K(" + a + ", ReadOnlySpan<double> w, " + b
            + ", ReadOnlySpan<double> w2) => (" + sum + ") * Dot(w, w2); }";
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilationErrors(output));
        string generated = Assert.Single(result.GeneratedSources).SourceText.ToString();
        int fused = generated.Split("KernelWithGradient(ref global::MeanField.InputBlock<").Length - 1;
        int values = generated.Split(".Kernel(ref global::MeanField.InputBlock<").Length - 1;
        Assert.Equal(expected ? 2 : 0, fused);
        Assert.Equal(expected ? 2 : 0, values);
        Assert.Contains("KernelWithGradient(global::System.ReadOnlySpan<global::System.Runtime.Intrinsics.Vector512<double>> inputs", generated, StringComparison.Ordinal);
    }
}
