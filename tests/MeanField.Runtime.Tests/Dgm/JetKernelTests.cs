using System.Runtime.Intrinsics;
using MeanField.Dgm;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The elementwise jet kernels (specs/dgm.md §2.2 and §3) give, bit for bit, what the formulas give value by value —
/// here a plain scalar loop over the values, each summing over the channels in order with fused multiply–adds — for
/// blocks of 64 to 6400 values, with and without time, at every width, and (the adjoint) with its output over its
/// input. (A reordering of these loops for speed must keep these bits: chunk by chunk, one channel at a time, was
/// measured and kept them, but was slower inside the network's passes, specs/dgm.md §6.3.)
/// </summary>
public sealed class JetKernelTests
{
    public static TheoryData<int, bool> WidthsAndTime()
    {
        var data = new TheoryData<int, bool>();
        foreach (int width in new[] { 1, 3, 4, 5, 9, 100 }) // 64–6400 values
        {
            data.Add(width, false);
            data.Add(width, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndTime))]
    public void TanhJetHasTheBitsOfTheValueByValueFormula(int width, bool hasTime)
    {
        const int d = 3;
        int block = width * 64, channels = d + 2 + (hasTime ? 1 : 0);
        double[] record = Record(channels, block, 7);
        double[] expected = new double[channels * block];
        ReferenceJet(record, expected, block, d, hasTime);
        foreach (var run in Widths())
        {
            double[] jet = new double[channels * block];
            run.Jet(record, jet, block, d, hasTime);
            Assert.Equal(Bits(expected), Bits(jet));
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndTime))]
    public void TanhJetAdjointHasTheBitsOfTheValueByValueFormula(int width, bool hasTime)
    {
        const int d = 3;
        int block = width * 64, channels = d + 2 + (hasTime ? 1 : 0);
        double[] record = Record(channels, block, 8);
        double[] barIn = Record(channels, block, 9);
        double[] expected = new double[channels * block];
        ReferenceAdjoint(record, barIn, expected, block, d, hasTime);
        foreach (var run in Widths())
        {
            double[] barOut = new double[channels * block];
            run.Adjoint(record, barIn, barOut, block, d, hasTime);
            Assert.Equal(Bits(expected), Bits(barOut));

            double[] inPlace = (double[])barIn.Clone(); // Ā over H̄: every entry read before it is written
            run.Adjoint(record, inPlace, inPlace, block, d, hasTime);
            Assert.Equal(Bits(expected), Bits(inPlace));
        }
    }

    private sealed record Runner(Action<double[], double[], int, int, bool> Jet, Action<double[], double[], double[], int, int, bool> Adjoint);

    private static IEnumerable<Runner> Widths()
    {
        yield return new((r, j, b, d, t) => DgmKernels.TanhJet<Lanes1, double>(r, j, b, d, t, copyValue: true),
            (r, i, o, b, d, t) => DgmKernels.TanhJetAdjoint<Lanes1, double>(r, i, o, b, d, t));
        yield return new((r, j, b, d, t) => DgmKernels.TanhJet<Lanes256, Vector256<double>>(r, j, b, d, t, copyValue: true),
            (r, i, o, b, d, t) => DgmKernels.TanhJetAdjoint<Lanes256, Vector256<double>>(r, i, o, b, d, t));
        yield return new((r, j, b, d, t) => DgmKernels.TanhJet<Lanes512, Vector512<double>>(r, j, b, d, t, copyValue: true),
            (r, i, o, b, d, t) => DgmKernels.TanhJetAdjoint<Lanes512, Vector512<double>>(r, i, o, b, d, t));
    }

    /// <summary>h = tanh of something in (−1, 1) in channel 0, the other channels in (−1, 1).</summary>
    private static double[] Record(int channels, int block, int seed)
    {
        var random = new Random(seed);
        double[] values = new double[channels * block];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i < block ? Math.Tanh((4 * random.NextDouble()) - 2) : (2 * random.NextDouble()) - 1;
        }

        return values;
    }

    /// <summary>∇h = s∇a, ∂ₜh = s∂ₜa, Δh = sΔa + σ''|∇a|², h copied; each value on its own, the channels summed in order
    /// with fused multiply–adds as the kernels do.</summary>
    private static void ReferenceJet(double[] record, double[] jet, int block, int d, bool hasTime)
    {
        int lapAt = record.Length - block, timeAt = (d + 1) * block;
        for (int j = 0; j < block; j++)
        {
            double h = record[j], s = 1 - (h * h), q = 0;
            for (int k = 1; k <= d; k++)
            {
                double g = record[(k * block) + j];
                q = Math.FusedMultiplyAdd(g, g, q);
                jet[(k * block) + j] = s * g;
            }

            if (hasTime)
            {
                jet[timeAt + j] = s * record[timeAt + j];
            }

            double second = -2 * (h * s);
            jet[lapAt + j] = Math.FusedMultiplyAdd(second, q, s * record[lapAt + j]);
            jet[j] = h;
        }
    }

    /// <summary>The adjoint's formulas (specs/dgm.md §3) value by value, in the kernels' order of operations.</summary>
    private static void ReferenceAdjoint(double[] record, double[] barIn, double[] barOut, int block, int d, bool hasTime)
    {
        int lapAt = record.Length - block, timeAt = (d + 1) * block;
        for (int j = 0; j < block; j++)
        {
            double h = record[j], s = 1 - (h * h), second = -2 * (h * s), third = s * ((4 * (h * h)) - (2 * s));
            double lapBar = barIn[lapAt + j], twoSecondLapBar = 2 * (second * lapBar), q = 0, r = 0;
            for (int k = 1; k <= d; k++)
            {
                double g = record[(k * block) + j], gBar = barIn[(k * block) + j];
                q = Math.FusedMultiplyAdd(g, g, q);
                r = Math.FusedMultiplyAdd(gBar, g, r);
                barOut[(k * block) + j] = Math.FusedMultiplyAdd(twoSecondLapBar, g, s * gBar);
            }

            if (hasTime)
            {
                double tBar = barIn[timeAt + j];
                r = Math.FusedMultiplyAdd(tBar, record[timeAt + j], r);
                barOut[timeAt + j] = s * tBar;
            }

            double hBar = barIn[j];
            barOut[lapAt + j] = s * lapBar;
            double curvature = Math.FusedMultiplyAdd(second, record[lapAt + j], third * q);
            barOut[j] = Math.FusedMultiplyAdd(lapBar, curvature, Math.FusedMultiplyAdd(second, r, s * hBar));
        }
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
