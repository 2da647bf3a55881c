using System.Runtime.Intrinsics;
using MeanField.Models;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Interactions;

/// <summary>
/// The generated fused operator KernelWithGradient (issue 9: the column sums that need K and ∇K evaluate them once,
/// sharing their subexpressions) returns the generated Kernel and writes the generated KernelGradient, at every width,
/// at random pairs of the arc-cosine kernel (both branches: generic u and u near 1). Tolerance: 8 ulp relative plus
/// 8 ulp of 1 absolute (inputs and the kernel's terms are of order 1) — the fused program shares divisors' reciprocals
/// across K and ∇K (specs/networks.md §4), so a few roundings differ, nothing else.
/// </summary>
public sealed class KernelWithGradientTests
{
    [Fact]
    public void FusedArcCosineOperatorEqualsKernelAndKernelGradientOnEveryWidth()
    {
        var random = new Random(17);
        const int m = 5; // c, |w|², c′, |w′|², w·w′
        for (int trial = 0; trial < 2000; trial++)
        {
            var inputs = new double[8][];
            for (int lane = 0; lane < 8; lane++)
            {
                double a = 0.5 + random.NextDouble(), b = 0.5 + random.NextDouble();
                double u = trial % 4 == 0 ? 1 - (1e-7 * random.NextDouble()) : (2 * random.NextDouble()) - 1;
                inputs[lane] = WithSideValues<ArcCosineKernel>([random.NextDouble() - 0.5, a * a, random.NextDouble() - 0.5, b * b, u * a * b]);
            }

            for (int lane = 0; lane < 8; lane++)
            {
                var gradient = new double[m];
                var expected = new double[m];
                double value = IInteractionModelOf<ArcCosineKernel>.KernelWithGradient(inputs[lane], gradient);
                IInteractionModelOf<ArcCosineKernel>.KernelGradient(inputs[lane], expected);
                Close(IInteractionModelOf<ArcCosineKernel>.Kernel(inputs[lane]), value);
                for (int k = 0; k < m; k++)
                {
                    Close(expected[k], gradient[k]);
                }
            }

            int n = inputs[0].Length; // the side values after the five
            var v512 = new Vector512<double>[n];
            var v256 = new Vector256<double>[n];
            var v128 = new Vector128<double>[n];
            for (int k = 0; k < n; k++)
            {
                double[] column = inputs.Select(x => x[k]).ToArray();
                v512[k] = Vector512.Create(column);
                v256[k] = Vector256.Create(column.AsSpan(0, 4));
                v128[k] = Vector128.Create(column.AsSpan(0, 2));
            }

            var g512 = new Vector512<double>[m];
            var e512 = new Vector512<double>[m];
            Vector512<double> k512 = IInteractionModelOf<ArcCosineKernel>.KernelWithGradient(v512, g512);
            IInteractionModelOf<ArcCosineKernel>.KernelGradient(v512, e512);
            var g256 = new Vector256<double>[m];
            var e256 = new Vector256<double>[m];
            Vector256<double> k256 = IInteractionModelOf<ArcCosineKernel>.KernelWithGradient(v256, g256);
            IInteractionModelOf<ArcCosineKernel>.KernelGradient(v256, e256);
            var g128 = new Vector128<double>[m];
            var e128 = new Vector128<double>[m];
            Vector128<double> k128 = IInteractionModelOf<ArcCosineKernel>.KernelWithGradient(v128, g128);
            IInteractionModelOf<ArcCosineKernel>.KernelGradient(v128, e128);
            for (int lane = 0; lane < 8; lane++)
            {
                Close(IInteractionModelOf<ArcCosineKernel>.Kernel(v512)[lane], k512[lane]);
                for (int k = 0; k < m; k++)
                {
                    Close(e512[k][lane], g512[k][lane]);
                    if (lane < 4)
                    {
                        Close(e256[k][lane], g256[k][lane]);
                    }

                    if (lane < 2)
                    {
                        Close(e128[k][lane], g128[k][lane]);
                    }
                }

                if (lane < 4)
                {
                    Close(IInteractionModelOf<ArcCosineKernel>.Kernel(v256)[lane], k256[lane]);
                }

                if (lane < 2)
                {
                    Close(IInteractionModelOf<ArcCosineKernel>.Kernel(v128)[lane], k128[lane]);
                }
            }
        }
    }

    /// <summary>
    /// The hand-written stand-in's fused operator (the benchmarks' "hand" kernel) computes its common terms once and K
    /// by Kernel's own expression: its K is bit for bit Kernel's, at every width, for generic pairs, pairs at u within
    /// 10⁻⁷ of ±1 and exactly parallel or antiparallel ones (u clamped). (Its KernelGradient is the fused operator's with
    /// the value unused, so the gradients agree by construction; InteractionEvaluatorTests check them against finite
    /// differences.)
    /// </summary>
    [Fact]
    public void HandWrittenFusedOperatorGivesTheSeparateOperatorsBits()
    {
        var random = new Random(23);
        const int m = 5;
        for (int trial = 0; trial < 1000; trial++)
        {
            var lanes = new double[8][];
            for (int lane = 0; lane < 8; lane++)
            {
                double a = 0.5 + random.NextDouble(), b = 0.5 + random.NextDouble();
                double u = (trial % 5) switch
                {
                    0 => 1 - (1e-7 * random.NextDouble()),
                    1 => -1 + (1e-7 * random.NextDouble()),
                    2 => lane % 2 == 0 ? 1 : -1,
                    _ => (2 * random.NextDouble()) - 1,
                };
                lanes[lane] = [random.NextDouble() - 0.5, a * a, random.NextDouble() - 0.5, b * b, u * a * b];
            }

            foreach (double[] x in lanes)
            {
                var apart = new double[m];
                var fused = new double[m];
                IInteractionModelOf<ArcCosine>.KernelGradient(x, apart);
                Assert.Equal(Bits(IInteractionModelOf<ArcCosine>.Kernel(x)), Bits(IInteractionModelOf<ArcCosine>.KernelWithGradient(x, fused)));
                Assert.Equal(apart.Select(Bits), fused.Select(Bits));
            }

            foreach (int width in new[] { 8, 4, 2 })
            {
                double[][] values = Evaluate<ArcCosine>(lanes.Take(width).ToArray(), width);
                foreach (double[] lane in values)
                {
                    // [K, fused K, ∇K (5), fused ∇K (5)]
                    Assert.Equal(Bits(lane[0]), Bits(lane[1]));
                    Assert.Equal(lane.Skip(2).Take(m).Select(Bits), lane.Skip(2 + m).Select(Bits));
                }
            }
        }
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    /// <summary>
    /// The lane-uniform branches (specs/networks.md §4, "Uniform branches"): a vector whose lanes all lie below the
    /// series' threshold u = 1 − 10⁻⁵ runs the closed form only, one whose lanes all lie above runs the series only, and
    /// each lane gets the bits the general program (both sides and a select; taken when one lane, here lane 0, is on the
    /// other side) gives it — for K, ∇K and the fused K with ∇K, at every vector width.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(2)]
    public void UniformVectorsGiveTheGeneralProgramsBits(int width)
    {
        var random = new Random(width);
        for (int trial = 0; trial < 500; trial++)
        {
            bool nearOne = trial % 2 == 1;
            double[][] uniform = Enumerable.Range(0, width).Select(_ => Pair(random, nearOne)).ToArray();
            double[][] mixed = uniform.Select(x => (double[])x.Clone()).ToArray();
            mixed[0] = Pair(random, !nearOne);

            double[][] fast = Evaluate(uniform, width), general = Evaluate(mixed, width);
            for (int lane = 1; lane < width; lane++)
            {
                Assert.Equal(
                    general[lane].Select(BitConverter.DoubleToInt64Bits).ToArray(), fast[lane].Select(BitConverter.DoubleToInt64Bits).ToArray());
            }
        }
    }

    /// <summary>c, |w|², c′, |w′|², w·w′ with u = cos α generic in (−1, 1) or within 10⁻⁷ of 1 (the series' side).</summary>
    private static double[] Pair(Random random, bool nearOne)
    {
        double a = 0.5 + random.NextDouble(), b = 0.5 + random.NextDouble();
        double u = nearOne ? 1 - (1e-7 * random.NextDouble()) : (1.98 * random.NextDouble()) - 0.99;
        return WithSideValues<ArcCosineKernel>([random.NextDouble() - 0.5, a * a, random.NextDouble() - 0.5, b * b, u * a * b]);
    }

    /// <summary>A pair's five inputs followed by <typeparamref name="T"/>'s side values of each particle (none for the stand-in).</summary>
    private static double[] WithSideValues<T>(double[] pair)
        where T : struct, IInteractionModel<T>
    {
        var layout = T.Layout;
        int h = layout.SideValueCount;
        var inputs = new double[layout.InputCount];
        pair.CopyTo(inputs, 0);
        IInteractionModelOf<T>.SideValues(pair.AsSpan(0, layout.SideInputCount), inputs.AsSpan(layout.SideValueOffset, h));
        IInteractionModelOf<T>.SideValues(pair.AsSpan(layout.SideBOffset, layout.SideInputCount), inputs.AsSpan(layout.SideValueOffset + h, h));
        return inputs;
    }

    /// <summary>Per lane: K, ∇K (5), then the fused operator's K and ∇K (5), at the vector width of <paramref name="width"/> lanes.</summary>
    private static double[][] Evaluate(double[][] lanes, int width) => Evaluate<ArcCosineKernel>(lanes, width);

    /// <summary><see cref="Evaluate(double[][], int)"/> for the model <typeparamref name="T"/>.</summary>
    private static double[][] Evaluate<T>(double[][] lanes, int width)
        where T : struct, IInteractionModel<T> => width switch
    {
        8 => EvaluateAt(
            lanes, Vector512.Create, x => IInteractionModelOf<T>.Kernel(x), (x, g) => IInteractionModelOf<T>.KernelGradient(x, g),
            (x, g) => IInteractionModelOf<T>.KernelWithGradient(x, g), (v, lane) => v[lane]),
        4 => EvaluateAt(
            lanes, c => Vector256.Create(c), x => IInteractionModelOf<T>.Kernel(x), (x, g) => IInteractionModelOf<T>.KernelGradient(x, g),
            (x, g) => IInteractionModelOf<T>.KernelWithGradient(x, g), (v, lane) => v[lane]),
        _ => EvaluateAt(
            lanes, c => Vector128.Create(c), x => IInteractionModelOf<T>.Kernel(x), (x, g) => IInteractionModelOf<T>.KernelGradient(x, g),
            (x, g) => IInteractionModelOf<T>.KernelWithGradient(x, g), (v, lane) => v[lane]),
    };

    private static double[][] EvaluateAt<TVec>(
        double[][] lanes, Func<double[], TVec> create, Func<TVec[], TVec> kernel, Action<TVec[], TVec[]> gradient, Func<TVec[], TVec[], TVec> fused, Func<TVec, int, double> lane)
    {
        const int m = 5;
        var x = Enumerable.Range(0, lanes[0].Length).Select(k => create(lanes.Select(p => p[k]).ToArray())).ToArray();
        var g = new TVec[m];
        var f = new TVec[m];
        TVec k0 = kernel(x);
        gradient(x, g);
        TVec k1 = fused(x, f);
        return Enumerable.Range(0, lanes.Length)
            .Select(l => new[] { lane(k0, l), lane(k1, l) }.Concat(g.Select(v => lane(v, l))).Concat(f.Select(v => lane(v, l))).ToArray())
            .ToArray();
    }

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= (8 * Math.Abs(expected) * Ulp) + (8 * Ulp), $"expected {expected:R}, got {actual:R}");

    /// <summary>2⁻⁵², the spacing of doubles at 1.</summary>
    private const double Ulp = 2.220446049250313e-16;

    /// <summary>Static calls through the interface (the generated members are explicit implementations).</summary>
    private static class IInteractionModelOf<T>
        where T : struct, IInteractionModel<T>
    {
        public static double Kernel(ReadOnlySpan<double> x) => T.Kernel(x);

        public static void SideValues(ReadOnlySpan<double> x, Span<double> values) => T.SideValues(x, values);

        public static Vector128<double> Kernel(ReadOnlySpan<Vector128<double>> x) => T.Kernel(x);

        public static Vector256<double> Kernel(ReadOnlySpan<Vector256<double>> x) => T.Kernel(x);

        public static Vector512<double> Kernel(ReadOnlySpan<Vector512<double>> x) => T.Kernel(x);

        public static void KernelGradient(ReadOnlySpan<double> x, Span<double> g) => T.KernelGradient(x, g);

        public static void KernelGradient(ReadOnlySpan<Vector128<double>> x, Span<Vector128<double>> g) => T.KernelGradient(x, g);

        public static void KernelGradient(ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> g) => T.KernelGradient(x, g);

        public static void KernelGradient(ReadOnlySpan<Vector512<double>> x, Span<Vector512<double>> g) => T.KernelGradient(x, g);

        public static double KernelWithGradient(ReadOnlySpan<double> x, Span<double> g) => T.KernelWithGradient(x, g);

        public static Vector128<double> KernelWithGradient(ReadOnlySpan<Vector128<double>> x, Span<Vector128<double>> g) => T.KernelWithGradient(x, g);

        public static Vector256<double> KernelWithGradient(ReadOnlySpan<Vector256<double>> x, Span<Vector256<double>> g) => T.KernelWithGradient(x, g);

        public static Vector512<double> KernelWithGradient(ReadOnlySpan<Vector512<double>> x, Span<Vector512<double>> g) => T.KernelWithGradient(x, g);
    }
}
