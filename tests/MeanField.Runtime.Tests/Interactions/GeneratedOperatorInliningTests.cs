using System.Reflection;
using MeanField.Models;

namespace MeanField.Runtime.Tests.Interactions;

/// <summary>
/// The generated operators the engine calls per pair fit the JIT's inlining limit of 32 IL locals (specs/networks.md §4,
/// "Uniform branches": a split operator declares its branches' temporaries once). The arc-cosine kernel is the split
/// model: written with a <c>var</c> per branch its Vector512 K with ∇K declared 44 locals and was called, not inlined
/// (the interaction step 12 % slower, specs/performance.md §6). Counted from the compiled model, deterministic.
/// </summary>
public sealed class GeneratedOperatorInliningTests
{
    /// <summary>.NET 10's inliner refuses a callee of 33 or more locals ("too many locals").</summary>
    private const int JitInlineLocals = 32;

    [Fact]
    public void ArcCosineKernelsVectorOperatorsDeclareAtMost32Locals()
    {
        var methods = typeof(ArcCosineKernel)
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.Name.EndsWith(".Kernel", StringComparison.Ordinal) || m.Name.EndsWith(".KernelGradient", StringComparison.Ordinal)
                || m.Name.EndsWith(".KernelWithGradient", StringComparison.Ordinal))
            .Where(m => (m.GetParameters()[0].ParameterType.GetElementType() ?? m.GetParameters()[0].ParameterType).GetGenericArguments()[0].IsGenericType) // ReadOnlySpan<Vector…<double>> or ref InputBlock<Vector…<double>>
            .ToList();

        Assert.Equal(13, methods.Count); // K, ∇K, K with ∇K at Vector128, 256, 512 (spans); K and K with ∇K at 256, 512 (blocks)
        foreach (MethodInfo method in methods)
        {
            int locals = method.GetMethodBody()!.LocalVariables.Count;
            Assert.True(locals <= JitInlineLocals, $"{method.Name}({method.GetParameters()[0].ParameterType}) declares {locals} locals");
        }
    }
}
