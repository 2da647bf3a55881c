using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MeanField.Numerics;
using MeanField.Reductions;

namespace MeanField.Dgm;

/// <summary>
/// The per-tile building blocks the forward-Laplacian networks share (<see cref="LaplacianNetwork"/>,
/// <see cref="GatedLaplacianNetwork"/>): the embedding fill, tanh per lane, bias add, sums and dots over a tile, and the
/// chunked weight-gradient product W̄ += Ā Hᵀ (specs/dgm.md §2.3). Tiles are 64 points, points contiguous.
/// </summary>
internal static class DgmKernels
{
    private const int Tile = Tiles.Particles;
    private const double TwoPi = 2 * Math.PI;

    /// <summary>
    /// e(x) (and t as the last feature when <paramref name="hasTime"/>) per tile into <paramref name="destination"/>,
    /// features × 64 per tile; the padding points of the last tile get x = 0 (and t = 0).
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <paramref name="hasTime"/>, else empty.</param>
    /// <param name="dimension">d.</param>
    /// <param name="embedding">The embedding.</param>
    /// <param name="hasTime">Whether t is the last feature.</param>
    /// <param name="features">Features per point (2d or d, plus 1 with time).</param>
    /// <param name="count">n, the number of points.</param>
    /// <param name="tiles">⌈n / 64⌉.</param>
    /// <param name="destination">At least tiles × features × 64 values.</param>
    public static void FillEmbedding(
        ReadOnlySpan<double> points, ReadOnlySpan<double> times, int dimension, InputEmbedding embedding, bool hasTime, int features, int count, int tiles, Span<double> destination)
    {
        int d = dimension, n = count, f = features;
        for (int t = 0; t < tiles; t++)
        {
            Span<double> tile = destination.Slice(t * f * Tile, f * Tile);
            for (int i = 0; i < Tile; i++)
            {
                int p = (t * Tile) + i;
                bool real = p < n;
                for (int k = 0; k < d; k++)
                {
                    double x = real ? points[(p * d) + k] : 0;
                    if (embedding == InputEmbedding.Periodic)
                    {
                        (double sin, double cos) = Math.SinCos(TwoPi * x);
                        tile[(2 * k * Tile) + i] = sin;
                        tile[(((2 * k) + 1) * Tile) + i] = cos;
                    }
                    else
                    {
                        tile[(k * Tile) + i] = x;
                    }
                }

                if (hasTime)
                {
                    tile[((f - 1) * Tile) + i] = real ? times[p] : 0;
                }
            }
        }
    }

    /// <summary>a[o, ·] += bias[o] for every row o of a rows × 64 block.</summary>
    public static void AddBias<TL, TVec>(Span<double> a, ReadOnlySpan<double> bias)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        for (int o = 0; o < bias.Length; o++)
        {
            TVec b = TL.Broadcast(bias[o]);
            for (int i = 0; i < Tile; i += TL.Count)
            {
                TL.Store(TL.Add(TL.Load(ref a[(o * Tile) + i]), b), ref a[(o * Tile) + i]);
            }
        }
    }

    /// <summary>tanh per lane: <see cref="SimdMath"/>'s kernels (≤ 4 ulp), picked by the vector type (the JIT folds the test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Tanh<TL, TVec>(TVec x)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (typeof(TVec) == typeof(Vector512<double>))
        {
            return (TVec)(object)SimdMath.Tanh((Vector512<double>)(object)x);
        }

        if (typeof(TVec) == typeof(Vector256<double>))
        {
            return (TVec)(object)SimdMath.Tanh((Vector256<double>)(object)x);
        }

        if (typeof(TVec) == typeof(Vector128<double>))
        {
            return (TVec)(object)SimdMath.Tanh((Vector128<double>)(object)x);
        }

        return (TVec)(object)Math.Tanh((double)(object)x);
    }

    /// <summary>Σ of the values (a multiple of the lane count), lane-wise then across the lanes (a fixed order).</summary>
    public static double SumTile<TL, TVec>(Span<double> values)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TVec sum = TL.Zero;
        for (int p = 0; p < values.Length; p += TL.Count)
        {
            sum = TL.Add(sum, TL.Load(ref values[p]));
        }

        return TL.Sum(sum);
    }

    /// <summary>Σ a·b over the values (a multiple of the lane count), lane-wise then across the lanes.</summary>
    public static double Dot<TL, TVec>(Span<double> a, Span<double> b)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TVec sum = TL.Zero;
        for (int p = 0; p < a.Length; p += TL.Count)
        {
            sum = TL.MultiplyAdd(TL.Load(ref a[p]), TL.Load(ref b[p]), sum);
        }

        return TL.Sum(sum);
    }

    /// <summary>
    /// W̄ += Ā Hᵀ for one channel of one tile: Ā is outputs × 64, H is inputs × 64 (<see cref="Transpose"/> then
    /// <see cref="AccumulateTransposed{TL, TVec}"/>).
    /// </summary>
    public static void AccumulateOuter<TL, TVec>(Span<double> adjoint, Span<double> input, int outputs, double[] wbar, double[] transposed)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        Transpose(input, transposed);
        AccumulateTransposed<TL, TVec>(adjoint, input.Length / Tile, outputs, transposed, wbar);
    }

    /// <summary>
    /// H (inputs × 64) into 64-column chunks of <paramref name="transposed"/>: chunk j / 64 holds 64 points × 64 inputs,
    /// point-major. Columns beyond the last input keep what they held (they only feed W̄ entries that are never read).
    /// </summary>
    public static void Transpose(Span<double> input, double[] transposed)
    {
        int inputs = input.Length / Tile;
        for (int j = 0; j < inputs; j++)
        {
            int chunkBase = (j / Tile) * Tile * Tile, column = j % Tile;
            for (int p = 0; p < Tile; p++)
            {
                transposed[chunkBase + (p * Tile) + column] = input[(j * Tile) + p];
            }
        }
    }

    /// <summary>
    /// W̄ += Ā Hᵀ with H already transposed (<see cref="Transpose"/>): each chunk is one <see cref="TileProduct"/> call of
    /// depth 64 (the points) accumulating into W̄'s chunk [j / 64][o][·] (see <see cref="ChunkedIndex"/>).
    /// </summary>
    public static void AccumulateTransposed<TL, TVec>(Span<double> adjoint, int inputs, int outputs, double[] transposed, double[] wbar)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int chunks = (inputs + Tile - 1) / Tile;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            TileProduct.Multiply<TL, TVec>(
                ref adjoint[0], Tile, 1, outputs, Tile, ref transposed[chunk * Tile * Tile], ref wbar[chunk * outputs * Tile], accumulate: true);
        }
    }

    /// <summary>Where W̄[o, j] of a matrix with <paramref name="outputs"/> rows sits in its chunked accumulator: [j / 64][o][j mod 64].</summary>
    public static int ChunkedIndex(int o, int j, int outputs) => ((((j / Tile) * outputs) + o) * Tile) + (j % Tile);
}
