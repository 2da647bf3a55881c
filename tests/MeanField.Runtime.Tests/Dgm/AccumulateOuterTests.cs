using System.Runtime.Intrinsics;
using MeanField.Dgm;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The reverse pass's W̄ += Ā Hᵀ (<see cref="DgmKernels.AccumulateOuter{TL, TVec}(Span{double}, Span{double}, int, double[], double[])"/>)
/// with a prefetch region, as the network's last W̄ of a tile asks for the next tile's record (specs/dgm.md §6.3,
/// "Prefetching the records"): the same bits as without, the region untouched, and every line of it asked for wherever
/// the products have a register block that prefetches (4 rows or more with 32 vector registers, 6 with 16).
/// </summary>
public sealed class AccumulateOuterTests
{
    [Theory]
    [InlineData(20, 100)]
    [InlineData(64, 100)]
    [InlineData(100, 100)]
    [InlineData(130, 7)]
    [InlineData(100, 3)]
    public void AskingForARegionChangesNoBitAndAsksForAllOfIt(int inputs, int outputs)
    {
        const int tile = 64;
        var random = new Random(inputs + outputs);
        double[] adjoint = Enumerable.Range(0, outputs * tile).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] input = Enumerable.Range(0, inputs * tile).Select(_ => random.NextDouble() - 0.5).ToArray();
        int chunks = (inputs + tile - 1) / tile;
        double[] start = Enumerable.Range(0, chunks * outputs * tile).Select(_ => random.NextDouble()).ToArray();
        foreach (int length in new[] { 0, 5, 6408, 76_896 })
        {
            double[] region = Enumerable.Range(0, Math.Max(1, length)).Select(i => (double)i).ToArray();
            double[] before = (double[])region.Clone();
            int lines = outputs >= (TileProduct.WideRegisterFile ? 4 : 6) ? (length + 7) / 8 : 0;

            double[] expected = (double[])start.Clone(), transposed = new double[chunks * tile * tile];
            DgmKernels.AccumulateOuter<Lanes256, Vector256<double>>(adjoint, input, outputs, expected, transposed);
            double[] wbar = (double[])start.Clone();
            int asked = DgmKernels.AccumulateOuter<Lanes256, Vector256<double>>(adjoint, input, outputs, wbar, transposed, ref region[0], length);
            Assert.Equal(expected, wbar);
            Assert.Equal(lines, asked);

            if (Vector512.IsHardwareAccelerated)
            {
                expected = (double[])start.Clone();
                DgmKernels.AccumulateOuter<Lanes512, Vector512<double>>(adjoint, input, outputs, expected, transposed);
                wbar = (double[])start.Clone();
                asked = DgmKernels.AccumulateOuter<Lanes512, Vector512<double>>(adjoint, input, outputs, wbar, transposed, ref region[0], length);
                Assert.Equal(expected, wbar);
                Assert.Equal(lines, asked);
            }

            Assert.Equal(before, region);
        }
    }
}
