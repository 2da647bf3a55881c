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
        where T : unmanaged => new()
        {
            V0 = values[0], V1 = values[1], V2 = values[2], V3 = values[3], V4 = values[4], V5 = values[5], V6 = values[6], V7 = values[7],
        };

    private static T[] ToArray<T>(InputBlock<T> block, int count)
        where T : unmanaged => new[] { block.V0, block.V1, block.V2, block.V3, block.V4, block.V5, block.V6, block.V7 }[..count];
}
