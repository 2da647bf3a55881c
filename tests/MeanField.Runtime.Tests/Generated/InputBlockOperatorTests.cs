using System.Runtime.Intrinsics;
using MeanField.Models;
using MeanField.Reductions;
using TL512 = MeanField.Reductions.Lanes512;

namespace MeanField.Runtime.Tests.Generated;

/// <summary>
/// The block overloads the generator writes for the engine's hot loops (Vector256 and Vector512, models of at most
/// <see cref="InputBlock{TVec}.Capacity"/> inputs: <c>ref InputBlock&lt;T&gt;</c> in and out) compute exactly what the
/// span overloads compute: the same program, the inputs read from fields instead of a span, and the particle-side
/// subexpressions read from the fields <c>PrepareA</c> wrote (the Gaussian bump's 1/(2s²)).
/// </summary>
public sealed class InputBlockOperatorTests
{
    /// <summary>The bump's block operators read 1/(2s²) (and −2/(2s²)) from the two fields after the inputs and its kept
    /// value: without PrepareA they compute something else, so the engine must call it.</summary>
    [Fact]
    public void TheBumpsBlockOperatorsReadWhatPrepareAWrote()
    {
        var span = new[] { Vector512.Create(0.7), Vector512.Create(1.3), Vector512.Create(2.0), Vector512.Create(1.5), Vector512.Create(0.4), Vector512.Create(0.9), Vector512<double>.Zero, Vector512<double>.Zero };
        InputBlock<Vector512<double>> block = FromSpan(span);
        Assert.NotEqual(TL512.Unit<GaussianBumpNetwork>((ReadOnlySpan<Vector512<double>>)span), TL512.Unit<GaussianBumpNetwork>(ref block));
        TL512.PrepareA<GaussianBumpNetwork>(ref block);
        Assert.Equal(Vector512.Create(1 / (1.3 * (2 * 1.3))), block.V6);
        Assert.Equal(TL512.Unit<GaussianBumpNetwork>((ReadOnlySpan<Vector512<double>>)span), TL512.Unit<GaussianBumpNetwork>(ref block));
        Assert.Equal(0, TanhNetworkPrepareWrites());
    }

    /// <summary>A tanh unit has no particle-side subexpression worth a slot: PrepareA writes nothing.</summary>
    private static int TanhNetworkPrepareWrites()
    {
        InputBlock<Vector512<double>> block = default;
        TL512.PrepareA<TanhNetwork>(ref block);
        return ToArray(block, InputBlock<double>.Capacity).Count(v => v != Vector512<double>.Zero);
    }

    [Fact]
    public void BlockOperatorsHaveTheSpanOperatorsBits()
    {
        Check<TanhNetwork>();
        Check<SigmoidNetwork>();
        Check<ReluNetwork>();
        Check<SoftplusNetwork>();
        Check<GaussianBumpNetwork>();
        Check<FourierNetwork>();
    }

    /// <summary>
    /// An interaction's K and fused K with ∇K from blocks (its inputs with both sides' side values, 9 for the arc-cosine
    /// kernel: more than the networks' 8) against the span overloads, value and every gradient entry, over the kernel's three
    /// branches (cosines in the bulk, near 1 where the series takes over, and a vector with lanes of both).
    /// </summary>
    [Fact]
    public void TheInteractionBlockKernelHasTheSpanKernelsBits()
    {
        CheckKernel<ArcCosineKernel>();
        CheckKernel<GaussianFeatures>();
    }

    private static void CheckKernel<TModel>()
        where TModel : struct, IInteractionModel<TModel>
    {
        PairLayout layout = PairLayout.For(TModel.Layout);
        int m = layout.InputCount, gradients = layout.GradientCount;
        Assert.True(m <= InputBlock<double>.Capacity, $"{typeof(TModel).Name} has {m} inputs");
        var random = new Random(13);
        var sides = new double[2][];
        for (int trial = 0; trial < 300; trial++)
        {
            // Two particles per lane, the second near the first (cosine near 1) in a third of the trials and in half the
            // lanes of another third: the inputs the engine would build, side values from SideValues.
            var values = new double[m * 8];
            for (int lane = 0; lane < 8; lane++)
            {
                bool near = trial % 3 == 1 || (trial % 3 == 2 && lane % 2 == 0);
                double[] w1 = [.. Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5)];
                double[] w2 = near ? [.. w1.Select(v => v * (1 + (1e-7 * random.NextDouble())))] : [.. Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5)];
                double c1 = random.NextDouble() + 0.5, c2 = random.NextDouble() + 0.5;
                Fill<TModel>(layout, values, lane, c1, w1, c2, w2, sides);
                for (int k = 0; k < layout.SideValues; k++)
                {
                    values[((layout.GradientCount + k) * 8) + lane] = sides[0][k];
                    values[((layout.GradientCount + layout.SideValues + k) * 8) + lane] = sides[1][k];
                }
            }

            var span = new Vector512<double>[m];
            for (int k = 0; k < m; k++)
            {
                span[k] = Vector512.Create(values, k * 8);
            }

            CheckKernelWidth<TModel, Lanes512, Vector512<double>>(span, gradients);
            CheckKernelWidth<TModel, Lanes256, Vector256<double>>([.. span.Select(v => v.GetLower())], gradients);
        }
    }

    /// <summary>K and K with ∇K from a block against the span overloads at one width, through the engine's lanes type.</summary>
    private static void CheckKernelWidth<TModel, TL, TVec>(TVec[] span, int gradients)
        where TModel : struct, IInteractionModel<TModel>
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        InputBlock<TVec> block = FromSpan(span);
        var g1 = new TVec[gradients];
        InputBlock<TVec> g2 = default;
        Assert.Equal(TL.KernelWithGradient<TModel>((ReadOnlySpan<TVec>)span, g1), TL.KernelWithGradient<TModel>(ref block, ref g2));
        Assert.Equal(g1, ToArray(g2, gradients));
        Assert.Equal(TL.Kernel<TModel>((ReadOnlySpan<TVec>)span), TL.Kernel<TModel>(ref block));
    }

    /// <summary>
    /// One lane of the kernel's inputs from two particles (c, w) and (c′, w′): each side's block (its scalars, then |w|²
    /// where the layout reads it), the pair channels (w·w′ or |w − w′|²), and each side's side values from the model.
    /// </summary>
    private static void Fill<TModel>(PairLayout layout, double[] values, int lane, double c1, double[] w1, double c2, double[] w2, double[][] sides)
        where TModel : struct, IInteractionModel<TModel>
    {
        double[] Side(double c, double[] w)
        {
            var block = new double[layout.ABlock];
            block[0] = c;
            for (int k = 1; k < block.Length; k++)
            {
                block[k] = w.Sum(v => v * v);
            }

            return block;
        }

        double[] a = Side(c1, w1), b = Side(c2, w2);
        for (int k = 0; k < layout.ABlock; k++)
        {
            values[(k * 8) + lane] = a[k];
            values[((layout.ABlock + k) * 8) + lane] = b[k];
        }

        for (int p = 0; p < layout.PairCount; p++)
        {
            values[((layout.PairOffset + p) * 8) + lane] = layout.Pairs[p].Kind == PairChannelKind.Dot
                ? w1.Zip(w2, (x, y) => x * y).Sum()
                : w1.Zip(w2, (x, y) => (x - y) * (x - y)).Sum();
        }

        sides[0] = new double[layout.SideValues];
        sides[1] = new double[layout.SideValues];
        TModel.SideValues(a, sides[0]);
        TModel.SideValues(b, sides[1]);
    }

    private static void Check<TModel>()
        where TModel : struct, INetworkModel<TModel>
    {
        int m = TModel.Layout.InputCount;
        Assert.True(m <= InputBlock<double>.Capacity, $"{typeof(TModel).Name} has {m} inputs");
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            var values = new double[InputBlock<double>.Capacity * 8];
            for (int k = 0; k < values.Length; k++)
            {
                // Positive scalars (a bump's width s), channels of either sign.
                values[k] = (trial % 2 == 0 ? 1 : 3) * ((random.NextDouble() * 2) - 1) + (k % InputBlock<double>.Capacity < 2 ? 1.5 : 0);
            }

            CheckWidth<TModel, Lanes256, Vector256<double>>(values, m);
            CheckWidth<TModel, Lanes512, Vector512<double>>(values, m);
        }
    }

    /// <summary>One width through the engine's lanes type, which calls the model's block or span overload.</summary>
    private static void CheckWidth<TModel, TL, TVec>(double[] values, int m)
        where TModel : struct, INetworkModel<TModel>
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        var span = new TVec[InputBlock<double>.Capacity];
        for (int k = 0; k < span.Length; k++)
        {
            span[k] = TL.Load(ref values[k * 8]);
        }

        InputBlock<TVec> block = FromSpan(span);
        TL.PrepareA<TModel>(ref block);
        Assert.Equal(TL.Unit<TModel>((ReadOnlySpan<TVec>)span), TL.Unit<TModel>(ref block));
        var g1 = new TVec[span.Length];
        InputBlock<TVec> g2 = default;
        TL.UnitGradient<TModel>(span, g1);
        TL.UnitGradient<TModel>(ref block, ref g2);
        Assert.Equal(g1.AsSpan(0, m).ToArray(), ToArray(g2, m));
        if (TModel.CutCount > 0)
        {
            var cut1 = new TVec[TModel.CutCount];
            InputBlock<TVec> cut2 = default;
            Assert.Equal(TL.UnitAndCut<TModel>(span, cut1), TL.UnitAndCut<TModel>(ref block, ref cut2));
            Assert.Equal(cut1, ToArray(cut2, TModel.CutCount));
            TL.UnitGradientFromCut<TModel>(span, g1);
            TL.UnitGradientFromCut<TModel>(ref block, ref g2);
            Assert.Equal(g1.AsSpan(0, m).ToArray(), ToArray(g2, m));
        }
    }

    private static InputBlock<T> FromSpan<T>(T[] values)
        where T : unmanaged
    {
        InputBlock<T> block = default;
        values.CopyTo(InputBlock<T>.AsSpan(ref block));
        return block;
    }

    private static T[] ToArray<T>(InputBlock<T> block, int count)
        where T : unmanaged => InputBlock<T>.AsSpan(ref block)[..count].ToArray();
}
