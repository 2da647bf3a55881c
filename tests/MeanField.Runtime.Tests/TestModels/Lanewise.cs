using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeanField.Runtime.Tests.TestModels;

/// <summary>
/// Vector overloads for hand-written test models, computed lane by lane through the scalar formula. These are
/// fixtures (the generator emits real SIMD code); lane-exactness makes the runtime's SIMD paths agree with the
/// scalar reference to the last bit of φ, so tests measure only the reduction's rounding.
/// </summary>
internal static class Lanewise
{
    public delegate double ScalarFunction(ReadOnlySpan<double> inputs);

    public delegate void ScalarGradient(ReadOnlySpan<double> inputs, Span<double> gradient);

    public static TVec Apply<TVec>(ReadOnlySpan<TVec> inputs, ScalarFunction function)
        where TVec : unmanaged
    {
        int lanes = Unsafe.SizeOf<TVec>() / sizeof(double);
        ReadOnlySpan<double> flat = MemoryMarshal.Cast<TVec, double>(inputs);
        Span<double> x = stackalloc double[inputs.Length];
        TVec result = default;
        Span<double> output = MemoryMarshal.Cast<TVec, double>(MemoryMarshal.CreateSpan(ref result, 1));
        for (int lane = 0; lane < lanes; lane++)
        {
            for (int j = 0; j < inputs.Length; j++)
            {
                x[j] = flat[(j * lanes) + lane];
            }

            output[lane] = function(x);
        }

        return result;
    }

    public static void Apply<TVec>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient, ScalarGradient function)
        where TVec : unmanaged
    {
        int lanes = Unsafe.SizeOf<TVec>() / sizeof(double);
        ReadOnlySpan<double> flat = MemoryMarshal.Cast<TVec, double>(inputs);
        Span<double> output = MemoryMarshal.Cast<TVec, double>(gradient);
        Span<double> x = stackalloc double[inputs.Length];
        Span<double> g = stackalloc double[gradient.Length];
        for (int lane = 0; lane < lanes; lane++)
        {
            for (int j = 0; j < inputs.Length; j++)
            {
                x[j] = flat[(j * lanes) + lane];
            }

            function(x, g);
            for (int j = 0; j < gradient.Length; j++)
            {
                output[(j * lanes) + lane] = g[j];
            }
        }
    }
}
