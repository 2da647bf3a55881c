using System.Runtime.Intrinsics;
using MeanField.Models;

namespace MeanField.Runtime.Tests.Generated;

/// <summary>
/// The block overloads the generator writes for the engine's hot loops (Vector256 and Vector512, models of at most
/// <see cref="InputBlock{TVec}.Capacity"/> inputs: <c>ref InputBlock&lt;T&gt;</c> in and out) compute exactly what the
/// span overloads compute: the same program, the inputs read from fields instead of a span.
/// </summary>
public sealed class InputBlockOperatorTests
{
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

            Check256<TModel>(values, m);
            Check512<TModel>(values, m);
        }
    }

    private static void Check256<TModel>(double[] values, int m)
        where TModel : struct, INetworkModel<TModel>
    {
        var span = new Vector256<double>[InputBlock<double>.Capacity];
        InputBlock<Vector256<double>> block = default;
        for (int k = 0; k < span.Length; k++)
        {
            span[k] = Vector256.Create(values, k * 8);
        }

        block = FromSpan(span);
        Assert.Equal(TModel.Unit(span), TModel.Unit(ref block));
        var g1 = new Vector256<double>[span.Length];
        InputBlock<Vector256<double>> g2 = default;
        TModel.UnitGradient(span, g1);
        TModel.UnitGradient(ref block, ref g2);
        Assert.Equal(g1.AsSpan(0, m).ToArray(), ToArray(g2, m));
        if (TModel.CutCount > 0)
        {
            var cut1 = new Vector256<double>[TModel.CutCount];
            InputBlock<Vector256<double>> cut2 = default;
            Assert.Equal(TModel.UnitAndCut(span, cut1), TModel.UnitAndCut(ref block, ref cut2));
            Assert.Equal(cut1, ToArray(cut2, TModel.CutCount));
            TModel.UnitGradientFromCut(span, g1);
            TModel.UnitGradientFromCut(ref block, ref g2);
            Assert.Equal(g1.AsSpan(0, m).ToArray(), ToArray(g2, m));
        }
    }

    private static void Check512<TModel>(double[] values, int m)
        where TModel : struct, INetworkModel<TModel>
    {
        var span = new Vector512<double>[InputBlock<double>.Capacity];
        for (int k = 0; k < span.Length; k++)
        {
            span[k] = Vector512.Create(values, k * 8);
        }

        InputBlock<Vector512<double>> block = FromSpan(span);
        Assert.Equal(TModel.Unit(span), TModel.Unit(ref block));
        var g1 = new Vector512<double>[span.Length];
        InputBlock<Vector512<double>> g2 = default;
        TModel.UnitGradient(span, g1);
        TModel.UnitGradient(ref block, ref g2);
        Assert.Equal(g1.AsSpan(0, m).ToArray(), ToArray(g2, m));
        if (TModel.CutCount > 0)
        {
            var cut1 = new Vector512<double>[TModel.CutCount];
            InputBlock<Vector512<double>> cut2 = default;
            Assert.Equal(TModel.UnitAndCut(span, cut1), TModel.UnitAndCut(ref block, ref cut2));
            Assert.Equal(cut1, ToArray(cut2, TModel.CutCount));
            TModel.UnitGradientFromCut(span, g1);
            TModel.UnitGradientFromCut(ref block, ref g2);
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
