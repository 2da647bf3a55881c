using System.Runtime.Intrinsics;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The tile product's register blocks (6 × 4 vectors for 32-register files, then 4 × 4 for the rows left; 6 × 2 for
/// 16-register files; issue 9 item 1): both shapes, on every width, equal a scalar reference that runs the same FMA chain per entry — so the
/// results are bit-identical whichever block the machine gets, and a run on an AVX2 machine reproduces one on an
/// AVX-512 machine at the same SIMD width. Row counts cover whole blocks and every remainder (1–64 rows), depths cover
/// one pass and the 256-deep passes (1, 63, 64, 65, 130, 256, 257, 520), and both operand layouts the engine uses (B by rows: the forward pair
/// channels; B down its columns: the backward Gᵀ X).
/// </summary>
public sealed class TileProductTests
{
    public static TheoryData<int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool, bool>();
        foreach (int rows in new[] { 1, 2, 4, 5, 6, 7, 10, 12, 16, 23, 32, 60, 64 })
        {
            foreach (int depth in new[] { 1, 63, 64, 65, 130, 256, 257, 520 })
            {
                data.Add(rows, depth, rows % 2 == 0, depth % 2 == 1);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BothRegisterBlocksEqualTheScalarFmaChainOnEveryWidth(int rows, int depth, bool byColumns, bool accumulate)
    {
        var random = new Random((rows * 1000) + depth);
        int sa = byColumns ? 1 : depth;
        int sb = byColumns ? rows : 1;
        double[] b = Enumerable.Range(0, rows * depth).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] m = Enumerable.Range(0, depth * Tiles.Particles).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] start = Enumerable.Range(0, rows * Tiles.Particles).Select(_ => random.NextDouble()).ToArray();
        double[] expected = Reference(b, sa, sb, rows, depth, m, start, accumulate);

        foreach (bool wide in new[] { true, false })
        {
            Assert.Equal(expected, Run<Lanes1, double>(wide, b, sa, sb, rows, depth, m, start, accumulate));
            Assert.Equal(expected, Run<Lanes128, Vector128<double>>(wide, b, sa, sb, rows, depth, m, start, accumulate));
            Assert.Equal(expected, Run<Lanes256, Vector256<double>>(wide, b, sa, sb, rows, depth, m, start, accumulate));
            Assert.Equal(expected, Run<Lanes512, Vector512<double>>(wide, b, sa, sb, rows, depth, m, start, accumulate));
        }
    }

    /// <summary>
    /// The product that asks for the next cache block meanwhile (a hint: specs/performance.md §5): the same bits, for any
    /// length of the prefetched region (none, less than a line, more lines than register blocks), and the region is only
    /// read.
    /// </summary>
    [Theory]
    [InlineData(64, 130, false)]
    [InlineData(7, 65, true)]
    [InlineData(256, 64, true)]
    [InlineData(32, 64, true)]
    [InlineData(10, 32, false)]
    [InlineData(1, 1, false)]
    public void AskingForTheNextBlockChangesNoBit(int rows, int depth, bool byColumns)
    {
        var random = new Random(rows + depth);
        int sa = byColumns ? 1 : depth;
        int sb = byColumns ? rows : 1;
        double[] b = Enumerable.Range(0, rows * depth).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] m = Enumerable.Range(0, depth * Tiles.Particles).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] start = Enumerable.Range(0, rows * Tiles.Particles).Select(_ => random.NextDouble()).ToArray();
        double[] expected = Reference(b, sa, sb, rows, depth, m, start, accumulate: true);
        foreach (int length in new[] { 0, 5, 4096, 2 * 4096 })
        {
            double[] region = Enumerable.Range(0, Math.Max(1, length)).Select(i => (double)i).ToArray();
            double[] before = (double[])region.Clone();
            foreach (bool wide in new[] { true, false })
            {
                // Every line of the region is asked for once the product has a block that prefetches (4 rows or more with
                // 32 registers, 6 with 16); a share computed for more blocks than prefetch would leave the last lines out.
                int lines = (rows >= (wide ? 4 : 6)) ? (length + 7) / 8 : 0;
                double[] c = (double[])start.Clone();
                int asked = TileProduct.Multiply<Lanes256, Vector256<double>>(
                    wide, ref b[0], sa, sb, rows, depth, ref m[0], ref c[0], accumulate: true, ref region[0], length);
                Assert.Equal(expected, c);
                Assert.Equal(lines, asked);
                c = (double[])start.Clone();
                asked = TileProduct.Multiply<Lanes512, Vector512<double>>(
                    wide, ref b[0], sa, sb, rows, depth, ref m[0], ref c[0], accumulate: true, ref region[0], length);
                Assert.Equal(expected, c);
                Assert.Equal(lines, asked);
            }

            Assert.Equal(before, region);
        }
    }

    /// <summary>
    /// The first k columns only (<c>MultiplyColumns</c>, the DGM's W̄ over a padded width): those columns get the full
    /// product's bits, and the columns beyond the strips that cover them keep their values; out of 1–64 is refused.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(36)]
    [InlineData(63)]
    [InlineData(64)]
    public void TheFirstColumnsOnlyGetTheFullProductsBits(int columns)
    {
        const int rows = 23, depth = 65;
        var random = new Random(columns);
        double[] b = Enumerable.Range(0, rows * depth).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] m = Enumerable.Range(0, depth * Tiles.Particles).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] start = Enumerable.Range(0, rows * Tiles.Particles).Select(_ => random.NextDouble()).ToArray();
        double[] expected = Reference(b, depth, 1, rows, depth, m, start, accumulate: true);
        foreach (bool wide in new[] { true, false })
        {
            foreach (double[] c in new[] { RunColumns<Lanes256, Vector256<double>>(wide, b, rows, depth, m, start, columns), RunColumns<Lanes512, Vector512<double>>(wide, b, rows, depth, m, start, columns) })
            {
                for (int a = 0; a < rows; a++)
                {
                    for (int i = 0; i < Tiles.Particles; i++)
                    {
                        int at = (a * Tiles.Particles) + i;
                        if (i < columns)
                        {
                            Assert.Equal(expected[at], c[at]);
                        }
                        else
                        {
                            Assert.True(c[at] == expected[at] || c[at] == start[at], $"column {i} of {columns}");
                        }
                    }
                }
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => RunColumns<Lanes256, Vector256<double>>(true, b, rows, depth, m, start, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunColumns<Lanes256, Vector256<double>>(true, b, rows, depth, m, start, 65));
    }

    /// <summary>
    /// The 32-register product's row split: the tile's own counts as its documentation gives them, and for every count
    /// from 4 on, no row runs alone but an odd count's last one, with as many 6-row blocks as allow that.
    /// </summary>
    [Fact]
    public void SixRowBlocksLeaveOnlyAnOddCountsLastRowAlone()
    {
        Assert.Equal(10, TileProduct.SixRowBlocks(64));
        Assert.Equal(4, TileProduct.SixRowBlocks(32));
        Assert.Equal(42, TileProduct.SixRowBlocks(256));
        Assert.Equal(3, TileProduct.SixRowBlocks(23));
        Assert.Equal(0, TileProduct.SixRowBlocks(3));
        for (int rows = 4; rows <= 300; rows++)
        {
            int six = TileProduct.SixRowBlocks(rows);
            Assert.InRange(6 * six, 0, rows);
            Assert.Equal(rows % 2, (rows - (6 * six)) % 4);
            for (int more = six + 1; 6 * more <= rows; more++)
            {
                Assert.NotEqual(rows % 2, (rows - (6 * more)) % 4);
            }
        }
    }

    private static double[] RunColumns<TL, TVec>(bool wide, double[] b, int rows, int depth, double[] m, double[] start, int columns)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        double[] c = (double[])start.Clone();
        TileProduct.Multiply<TL, TVec>(wide, ref b[0], depth, 1, rows, depth, ref m[0], ref c[0], accumulate: true, ref System.Runtime.CompilerServices.Unsafe.NullRef<double>(), 0, columns);
        return c;
    }

    private static double[] Run<TL, TVec>(bool wide, double[] b, int sa, int sb, int rows, int depth, double[] m, double[] start, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        double[] c = (double[])start.Clone();
        TileProduct.Multiply<TL, TVec>(wide, ref b[0], sa, sb, rows, depth, ref m[0], ref c[0], accumulate);
        return c;
    }

    /// <summary>Per entry and per 256-deep pass (the contract of TileProduct.DepthBlock, written out here so that a change
    /// to it is seen): s = fma(b, m, s) over the pass from s = 0, then C = C + s (or C = s).</summary>
    private const int Pass = 256;

    private static double[] Reference(double[] b, int sa, int sb, int rows, int depth, double[] m, double[] start, bool accumulate)
    {
        double[] c = (double[])start.Clone();
        for (int a = 0; a < rows; a++)
        {
            for (int i = 0; i < Tiles.Particles; i++)
            {
                for (int k0 = 0; k0 < depth; k0 += Pass)
                {
                    double s = 0;
                    for (int k = k0; k < Math.Min(depth, k0 + Pass); k++)
                    {
                        s = Math.FusedMultiplyAdd(b[(a * sa) + (k * sb)], m[(k * Tiles.Particles) + i], s);
                    }

                    int index = (a * Tiles.Particles) + i;
                    c[index] = accumulate || k0 > 0 ? c[index] + s : s;
                }
            }
        }

        return c;
    }
}
