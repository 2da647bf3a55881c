using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// W̄ += Ā Hᵀ for one channel of one tile: Ā is outputs × 64, H is inputs × 64 (<see cref="Transpose(Span{double}, double[])"/> then
    /// <see cref="AccumulateTransposed{TL, TVec}(Span{double}, int, int, double[], double[])"/>).
    /// </summary>
    public static void AccumulateOuter<TL, TVec>(Span<double> adjoint, Span<double> input, int outputs, double[] wbar, double[] transposed)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => _ = AccumulateOuter<TL, TVec>(adjoint, input, outputs, wbar, transposed, ref Unsafe.NullRef<double>(), 0);

    /// <summary>
    /// <see cref="AccumulateOuter{TL, TVec}(Span{double}, Span{double}, int, double[], double[])"/> that also asks for
    /// <paramref name="prefetchDoubles"/> doubles from <paramref name="prefetch"/> on to be brought into L2 during the
    /// products (a hint: the results do not depend on it). Returns the cache lines asked for.
    /// </summary>
    public static int AccumulateOuter<TL, TVec>(Span<double> adjoint, Span<double> input, int outputs, double[] wbar, double[] transposed, ref double prefetch, int prefetchDoubles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        Transpose(input, transposed);
        return AccumulateTransposed<TL, TVec>(adjoint, input.Length / Tile, outputs, transposed, wbar, ref prefetch, prefetchDoubles);
    }

    /// <summary>
    /// H (inputs × 64) into 64-column chunks of <paramref name="transposed"/>: chunk j / 64 holds 64 points × 64 inputs,
    /// point-major. Columns beyond the last input keep what they held (they only feed W̄ entries that are never read).
    /// </summary>
    public static void Transpose(Span<double> input, double[] transposed) => Transpose(input, transposed, BlockTranspose.Size);

    /// <summary><see cref="Transpose(Span{double}, double[])"/> in register blocks of <paramref name="block"/> (8, 4, or 0 for the element loop; at most <see cref="BlockTranspose.Size"/>).</summary>
    internal static void Transpose(Span<double> input, double[] transposed, int block)
    {
        int inputs = input.Length / Tile;
        if (transposed.Length < ((inputs + Tile - 1) / Tile) * Tile * Tile)
        {
            throw new ArgumentException($"The transposed buffer holds {transposed.Length} values; {inputs} inputs need {((inputs + Tile - 1) / Tile) * Tile * Tile}.", nameof(transposed));
        }

        ref double source = ref MemoryMarshal.GetReference(input);
        ref double target = ref MemoryMarshal.GetArrayDataReference(transposed);
        int j = 0;
        if (block > 0)
        {
            // 8 (or 4) inputs × as many points at a time, transposed in registers: whole rows stored, where the element
            // loop stored every value 64 apart (it took ≈ 15 % of a reverse pass: specs/dgm.md §6.3).
            for (; j + block <= inputs; j += block)
            {
                ref double rows = ref Unsafe.Add(ref source, j * Tile);
                ref double chunk = ref Unsafe.Add(ref target, ((j / Tile) * Tile * Tile) + (j % Tile));
                for (int p = 0; p < Tile; p += block)
                {
                    BlockTranspose.Transpose(block, ref Unsafe.Add(ref rows, p), Tile, ref Unsafe.Add(ref chunk, p * Tile), Tile);
                }
            }
        }

        for (; j < inputs; j++)
        {
            int chunkBase = (j / Tile) * Tile * Tile, column = j % Tile;
            for (int p = 0; p < Tile; p++)
            {
                Unsafe.Add(ref target, chunkBase + (p * Tile) + column) = Unsafe.Add(ref source, (j * Tile) + p);
            }
        }
    }

    /// <summary>
    /// W̄ += Ā Hᵀ with H already transposed (<see cref="Transpose(Span{double}, double[])"/>): each chunk is one <see cref="TileProduct"/> call of
    /// depth 64 (the points) accumulating into W̄'s chunk [j / 64][o][·] (see <see cref="ChunkedIndex"/>).
    /// </summary>
    public static void AccumulateTransposed<TL, TVec>(Span<double> adjoint, int inputs, int outputs, double[] transposed, double[] wbar)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => _ = AccumulateTransposed<TL, TVec>(adjoint, inputs, outputs, transposed, wbar, ref Unsafe.NullRef<double>(), 0);

    /// <summary>
    /// <see cref="AccumulateTransposed{TL, TVec}(Span{double}, int, int, double[], double[])"/> that also asks for
    /// <paramref name="prefetchDoubles"/> doubles from <paramref name="prefetch"/> on to be brought into L2, split evenly
    /// over the chunks' products in whole cache lines (a hint: the results do not depend on it). Returns the lines asked
    /// for: all of the region's where the products have a register block that prefetches (see <see cref="TileProduct"/>).
    /// </summary>
    public static int AccumulateTransposed<TL, TVec>(Span<double> adjoint, int inputs, int outputs, double[] transposed, double[] wbar, ref double prefetch, int prefetchDoubles)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int chunks = (inputs + Tile - 1) / Tile, asked = 0;
        int share = (((prefetchDoubles + chunks - 1) / chunks) + TileProduct.LineDoubles - 1) / TileProduct.LineDoubles * TileProduct.LineDoubles;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            // The last chunk's columns beyond the last input are padding, mostly not computed: a width of 100 is 64 + 36
            // columns, and at Vector512 the second chunk computes 48 (a 4 × 4 strip of 32, a 6 × 2 strip of 16), not 64.
            int from = Math.Min(chunk * share, prefetchDoubles);
            asked += TileProduct.MultiplyColumns<TL, TVec>(
                ref adjoint[0], Tile, 1, outputs, Tile, ref transposed[chunk * Tile * Tile], ref wbar[chunk * outputs * Tile], accumulate: true,
                Math.Min(Tile, inputs - (chunk * Tile)), ref Unsafe.Add(ref prefetch, from), Math.Min(share, prefetchDoubles - from));
        }

        return asked;
    }

    /// <summary>Where W̄[o, j] of a matrix with <paramref name="outputs"/> rows sits in its chunked accumulator: [j / 64][o][j mod 64].</summary>
    public static int ChunkedIndex(int o, int j, int outputs) => ((((j / Tile) * outputs) + o) * Tile) + (j % Tile);

    /// <summary>
    /// The derivative channels of the first affine map a = W e (+ b, added by the caller afterwards) into
    /// <paramref name="jet"/> (channels 1 … last; channel 0 is the caller's): periodic ∂e_{2k}/∂x_k = 2π cos 2πx_k,
    /// ∂e_{2k+1}/∂x_k = −2π sin 2πx_k, so ∇_k a = 2π(W[:, 2k] cos − W[:, 2k+1] sin), and Δe = −4π²e on the space features,
    /// so Δa = −4π²(W e − W[:, t] t) from <paramref name="a"/> = W e (no bias yet); plain ∇_k a = W[:, k], Δa = 0; with
    /// time ∂ₜa = W[:, F − 1] (the time feature has ∂ₜ = 1, ∂ₓ = 0, Δ = 0).
    /// </summary>
    /// <param name="weights">W, width × features, row-major.</param>
    /// <param name="features">F.</param>
    /// <param name="dimension">d.</param>
    /// <param name="embedding">The embedding.</param>
    /// <param name="hasTime">Whether t is the last feature (and ∂ₜ the channel d + 1).</param>
    /// <param name="e">The tile's embedding, F × 64.</param>
    /// <param name="a">W e, width × 64 (read for the periodic Laplacian).</param>
    /// <param name="jet">The channels, each width × 64; the Laplacian is the last.</param>
    /// <param name="stride">Doubles from one channel to the next in <paramref name="jet"/> (0: width × 64, back to back).</param>
    public static void EmbeddingDerivatives<TL, TVec>(ReadOnlySpan<double> weights, int features, int dimension, InputEmbedding embedding, bool hasTime, Span<double> e, Span<double> a, Span<double> jet, int stride = 0)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = features, d = dimension, width = weights.Length / f, block = width * Tile;
        stride = stride == 0 ? block : stride; // channel k at k · stride (0: the channels back to back)
        Span<double> lap = jet.Slice(jet.Length - stride, block);
        if (hasTime)
        {
            Span<double> dt = jet.Slice((d + 1) * stride, block);
            for (int o = 0; o < width; o++)
            {
                dt.Slice(o * Tile, Tile).Fill(weights[(o * f) + f - 1]);
            }
        }

        if (embedding == InputEmbedding.Periodic)
        {
            TVec minusFourPiSquared = TL.Broadcast(-4 * Math.PI * Math.PI);
            for (int o = 0; o < width; o++)
            {
                // With time, subtract its term W[o, t]·t (Δt = 0); without, wt = 0 and the time row is not read.
                TVec wTime = TL.Broadcast(hasTime ? weights[(o * f) + f - 1] : 0);
                for (int i = 0; i < Tile; i += TL.Count)
                {
                    TVec time = hasTime ? TL.Load(ref e[((f - 1) * Tile) + i]) : TL.Zero;
                    TVec space = TL.Subtract(TL.Load(ref a[(o * Tile) + i]), TL.Multiply(wTime, time));
                    TL.Store(TL.Multiply(minusFourPiSquared, space), ref lap[(o * Tile) + i]);
                }

                for (int k = 0; k < d; k++)
                {
                    TVec wSin = TL.Broadcast(TwoPi * weights[(o * f) + (2 * k)]);
                    TVec wCos = TL.Broadcast(TwoPi * weights[(o * f) + (2 * k) + 1]);
                    Span<double> grad = jet.Slice((1 + k) * stride, block);
                    for (int i = 0; i < Tile; i += TL.Count)
                    {
                        TVec sin = TL.Load(ref e[(2 * k * Tile) + i]), cos = TL.Load(ref e[(((2 * k) + 1) * Tile) + i]);
                        TL.Store(TL.Subtract(TL.Multiply(wSin, cos), TL.Multiply(wCos, sin)), ref grad[(o * Tile) + i]);
                    }
                }
            }
        }
        else
        {
            lap.Clear();
            for (int k = 0; k < d; k++)
            {
                Span<double> grad = jet.Slice((1 + k) * stride, block);
                for (int o = 0; o < width; o++)
                {
                    grad.Slice(o * Tile, Tile).Fill(weights[(o * f) + k]);
                }
            }
        }
    }

    /// <summary>
    /// Checks <c>Forward</c>'s spans (the message names the span and both lengths) and returns the batch's point count n.
    /// </summary>
    public static int CheckForward(int dimension, bool hasTime, ReadOnlySpan<double> points, int times, int value, int gradient, int laplacian, int timeDerivative, int weightedLaplacians = 0, int directions = 0)
    {
        int d = dimension, n = CheckValues(dimension, hasTime, points, times, value);
        Check(gradient, d * n, nameof(gradient));
        Check(laplacian, n, nameof(laplacian));
        Check(timeDerivative, hasTime ? n : 0, nameof(timeDerivative));
        Check(weightedLaplacians, directions * n, nameof(weightedLaplacians));
        return n;
    }

    /// <summary>
    /// Checks the spans <c>ForwardValues</c> takes, the first of <c>Forward</c>'s (points a positive multiple of d, one
    /// time per point with time, one value per point; the message names the span and both lengths); returns n.
    /// </summary>
    public static int CheckValues(int dimension, bool hasTime, ReadOnlySpan<double> points, int times, int value)
    {
        int d = dimension;
        if (points.Length == 0 || points.Length % d != 0)
        {
            throw new ArgumentException($"points has {points.Length} values, not a positive multiple of d = {d}.", nameof(points));
        }

        int n = points.Length / d;
        Check(times, hasTime ? n : 0, nameof(times));
        Check(value, n, nameof(value));
        return n;
    }

    /// <summary>Checks <c>Backward</c>'s spans against the last forward batch of <paramref name="points"/> points (none: InvalidOperationException).</summary>
    public static void CheckBackward(int points, int dimension, bool hasTime, int parameterCount, int valueAdjoint, int gradientAdjoint, int laplacianAdjoint, int timeDerivativeAdjoint, int parameterGradient, int weightedLaplacianAdjoint = 0, int directions = 0)
    {
        int n = points;
        if (n == 0)
        {
            throw new InvalidOperationException("Backward needs a Forward first.");
        }

        Check(valueAdjoint, n, nameof(valueAdjoint));
        Check(gradientAdjoint, dimension * n, nameof(gradientAdjoint));
        Check(laplacianAdjoint, n, nameof(laplacianAdjoint));
        Check(timeDerivativeAdjoint, hasTime ? n : 0, nameof(timeDerivativeAdjoint));
        Check(parameterGradient, parameterCount, nameof(parameterGradient));
        Check(weightedLaplacianAdjoint, directions * n, nameof(weightedLaplacianAdjoint));
    }

    /// <summary>
    /// The output channels (value, ∇, ∂ₜ with time, the weighted Laplacians, Δ last; channels × 64 per tile) into the
    /// batch's spans (<paramref name="weighted"/>: R × n, component-major; empty without weighted Laplacians).
    /// </summary>
    public static void ScatterOutput(double[] output, int channels, int dimension, bool hasTime, int n, Span<double> value, Span<double> gradient, Span<double> laplacian, Span<double> timeDerivative, Span<double> weighted = default)
    {
        int directions = weighted.Length / n, firstWeighted = 1 + dimension + (hasTime ? 1 : 0);
        for (int r = 0; r < directions; r++)
        {
            for (int p = 0; p < n; p++)
            {
                weighted[(r * n) + p] = output[((p / Tile) * channels * Tile) + ((firstWeighted + r) * Tile) + (p % Tile)];
            }
        }

        int d = dimension, last = channels - 1;
        for (int p = 0; p < n; p++)
        {
            int block = (p / Tile) * channels * Tile, i = p % Tile;
            value[p] = output[block + i];
            for (int k = 0; k < d; k++)
            {
                gradient[(k * n) + p] = output[block + ((1 + k) * Tile) + i];
            }

            laplacian[p] = output[block + (last * Tile) + i];
            if (hasTime)
            {
                timeDerivative[p] = output[block + ((d + 1) * Tile) + i];
            }
        }
    }

    /// <summary>Tile <paramref name="tile"/>'s output adjoints from the batch's spans into <paramref name="outputAdjoint"/> (channels × 64; zero past the batch).</summary>
    public static void GatherOutputAdjoint(int tile, int n, int dimension, bool hasTime, ReadOnlySpan<double> valueAdjoint, ReadOnlySpan<double> gradientAdjoint, ReadOnlySpan<double> laplacianAdjoint, ReadOnlySpan<double> timeDerivativeAdjoint, double[] outputAdjoint, ReadOnlySpan<double> weightedAdjoint = default)
    {
        int d = dimension, t = tile;
        Array.Clear(outputAdjoint);
        int count = Math.Min(Tile, n - (t * Tile));
        valueAdjoint.Slice(t * Tile, count).CopyTo(outputAdjoint);
        for (int k = 0; k < d; k++)
        {
            gradientAdjoint.Slice((k * n) + (t * Tile), count).CopyTo(outputAdjoint.AsSpan((1 + k) * Tile));
        }

        if (hasTime)
        {
            timeDerivativeAdjoint.Slice(t * Tile, count).CopyTo(outputAdjoint.AsSpan((d + 1) * Tile));
        }

        laplacianAdjoint.Slice(t * Tile, count).CopyTo(outputAdjoint.AsSpan(outputAdjoint.Length - Tile));
        int firstWeighted = 1 + d + (hasTime ? 1 : 0);
        for (int r = 0; r < weightedAdjoint.Length / n; r++)
        {
            weightedAdjoint.Slice((r * n) + (t * Tile), count).CopyTo(outputAdjoint.AsSpan((firstWeighted + r) * Tile));
        }
    }

    /// <summary>A network's weighted-Laplacian weights C (R × d, row-major; specs/dgm.md §5.1), checked (a multiple of d, finite) and copied.</summary>
    public static double[] Directions(ReadOnlySpan<double> laplacianDirections, int dimension)
    {
        if (laplacianDirections.Length % dimension != 0)
        {
            throw new ArgumentException($"laplacianDirections has {laplacianDirections.Length} values, not a multiple of d = {dimension} (R × d, row-major).", nameof(laplacianDirections));
        }

        DgmCore.RequireFinite(laplacianDirections, dimension, nameof(laplacianDirections), "the weights");
        return laplacianDirections.ToArray();
    }

    private static void Check(int length, int expected, string name)
    {
        if (length != expected)
        {
            throw new ArgumentException($"{name} has {length} values; expected {expected}.", name);
        }
    }

    /// <summary>
    /// The jet of h = tanh a from an activation record (h in channel 0; ∇a, ∂ₜa with time, Δa in the others; each channel
    /// <paramref name="block"/> values): ∇h = s∇a, ∂ₜh = s ∂ₜa, Δh = sΔa + σ''|∇a|² (s = 1 − h², σ'' = −2hs; |∇a|² over the
    /// x channels only) into <paramref name="jet"/>'s channels 1 … last, and h into its channel 0 when
    /// <paramref name="copyValue"/> (specs/dgm.md §2.2).
    /// </summary>
    public static void TanhJet<TL, TVec>(Span<double> record, Span<double> jet, int block, int dimension, bool hasTime, bool copyValue)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = dimension, lapAt = record.Length - block, timeAt = (d + 1) * block;
        TVec one = TL.Broadcast(1), minusTwo = TL.Broadcast(-2);
        for (int j = 0; j < block; j += TL.Count)
        {
            TVec h = TL.Load(ref record[j]);
            TVec s = TL.Subtract(one, TL.Multiply(h, h));
            TVec q = TL.Zero;
            for (int k = 1; k <= d; k++)
            {
                TVec g = TL.Load(ref record[(k * block) + j]);
                q = TL.MultiplyAdd(g, g, q);
                TL.Store(TL.Multiply(s, g), ref jet[(k * block) + j]);
            }

            if (hasTime)
            {
                TL.Store(TL.Multiply(s, TL.Load(ref record[timeAt + j])), ref jet[timeAt + j]);
            }

            TVec second = TL.Multiply(minusTwo, TL.Multiply(h, s));
            TL.Store(TL.MultiplyAdd(second, q, TL.Multiply(s, TL.Load(ref record[lapAt + j]))), ref jet[lapAt + j]);
            if (copyValue)
            {
                TL.Store(h, ref jet[j]);
            }
        }
    }

    /// <summary>σ′ = s = 1 − h², σ″ = −2hs and σ‴ = s(4h² − 2s) of h = tanh a (the constants passed in, hoisted by the callers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVec S, TVec Second, TVec Third) TanhDerivatives<TL, TVec>(TVec h, TVec one, TVec two, TVec four, TVec minusTwo)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TVec s = TL.Subtract(one, TL.Multiply(h, h));
        return (s, TL.Multiply(minusTwo, TL.Multiply(h, s)), TL.Multiply(s, TL.Subtract(TL.Multiply(four, TL.Multiply(h, h)), TL.Multiply(two, s))));
    }

    /// <summary>
    /// The reverse of <see cref="TanhJet"/>: from H̄ = (h̄, ḡ, τ̄, L̄) in <paramref name="barIn"/> to Ā in
    /// <paramref name="barOut"/> (which may be <paramref name="barIn"/>: every entry is read before it is written), with
    /// the activation record (h, ∇a, ∂ₜa, Δa) and s = 1 − h², σ'' = −2hs, σ''' = s(4h² − 2s): Δā = sL̄,
    /// ∇ā_k = sḡ_k + 2σ''L̄∇_k a, ∂ₜā = sτ̄, ā = sh̄ + σ''(Σ_k ḡ_k ∇_k a + τ̄ ∂ₜa) + L̄(σ''Δa + σ'''|∇a|²) (specs/dgm.md §3).
    /// </summary>
    public static void TanhJetAdjoint<TL, TVec>(Span<double> record, Span<double> barIn, Span<double> barOut, int block, int dimension, bool hasTime)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = dimension, lapAt = record.Length - block, timeAt = (d + 1) * block;
        TVec one = TL.Broadcast(1), two = TL.Broadcast(2), four = TL.Broadcast(4), minusTwo = TL.Broadcast(-2);
        for (int j = 0; j < block; j += TL.Count)
        {
            TVec h = TL.Load(ref record[j]);
            (TVec s, TVec second, TVec third) = TanhDerivatives<TL, TVec>(h, one, two, four, minusTwo);
            TVec lapBar = TL.Load(ref barIn[lapAt + j]);
            TVec twoSecondLapBar = TL.Multiply(two, TL.Multiply(second, lapBar));
            TVec q = TL.Zero, r = TL.Zero;
            for (int k = 1; k <= d; k++)
            {
                TVec g = TL.Load(ref record[(k * block) + j]);
                TVec gBar = TL.Load(ref barIn[(k * block) + j]);
                q = TL.MultiplyAdd(g, g, q);
                r = TL.MultiplyAdd(gBar, g, r);
                TL.Store(TL.MultiplyAdd(twoSecondLapBar, g, TL.Multiply(s, gBar)), ref barOut[(k * block) + j]);
            }

            if (hasTime)
            {
                TVec tBar = TL.Load(ref barIn[timeAt + j]);
                r = TL.MultiplyAdd(tBar, TL.Load(ref record[timeAt + j]), r);
                TL.Store(TL.Multiply(s, tBar), ref barOut[timeAt + j]);
            }

            TVec lap = TL.Load(ref record[lapAt + j]);
            TVec hBar = TL.Load(ref barIn[j]);
            TL.Store(TL.Multiply(s, lapBar), ref barOut[lapAt + j]);
            TVec curvature = TL.MultiplyAdd(second, lap, TL.Multiply(third, q));
            TL.Store(TL.MultiplyAdd(lapBar, curvature, TL.MultiplyAdd(second, r, TL.Multiply(s, hBar))), ref barOut[j]);
        }
    }

    /// <summary>
    /// The weighted Laplacians L_r a = Σ_k C_rk ∂²a/∂x_k² of the first affine map a = W e into <paramref name="jet"/>'s
    /// channels <paramref name="first"/> … first + R − 1 (C = <paramref name="directions"/>, R × d row-major; specs/dgm.md
    /// §5.1). Periodic: ∂²e_{2k}/∂x_k² = −4π² sin 2πx_k and ∂²e_{2k+1}/∂x_k² = −4π² cos 2πx_k, so
    /// L_r a = −4π² Σ_k C_rk (W[:, 2k] sin 2πx_k + W[:, 2k+1] cos 2πx_k); plain (and the time feature): 0.
    /// </summary>
    public static void EmbeddingWeightedLaplacians<TL, TVec>(ReadOnlySpan<double> weights, int features, int dimension, InputEmbedding embedding, ReadOnlySpan<double> directions, Span<double> e, Span<double> jet, int first, int stride = 0)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = features, d = dimension, width = weights.Length / f, block = width * Tile, count = directions.Length / d;
        stride = stride == 0 ? block : stride;
        double minusFourPiSquared = -4 * Math.PI * Math.PI;
        for (int r = 0; r < count; r++)
        {
            Span<double> target = jet.Slice((first + r) * stride, block);
            if (embedding != InputEmbedding.Periodic)
            {
                target.Clear();
                continue;
            }

            ReadOnlySpan<double> c = directions.Slice(r * d, d);
            for (int o = 0; o < width; o++)
            {
                for (int i = 0; i < Tile; i += TL.Count)
                {
                    TVec sum = TL.Zero;
                    for (int k = 0; k < d; k++)
                    {
                        if (c[k] == 0)
                        {
                            continue; // unit-vector directions (specs/dgm.md §5.1): one term, not d
                        }

                        double ck = minusFourPiSquared * c[k];
                        sum = TL.MultiplyAdd(TL.Broadcast(ck * weights[(o * f) + (2 * k)]), TL.Load(ref e[(2 * k * Tile) + i]), sum);
                        sum = TL.MultiplyAdd(TL.Broadcast(ck * weights[(o * f) + (2 * k) + 1]), TL.Load(ref e[(((2 * k) + 1) * Tile) + i]), sum);
                    }

                    TL.Store(sum, ref target[(o * Tile) + i]);
                }
            }
        }
    }

    /// <summary>
    /// The weighted-Laplacian channels of h = tanh a (after <see cref="TanhJet"/>, which leaves them alone):
    /// L_r h = s L_r a + σ'' Σ_k C_rk (∇_k a)², from the record's channels into <paramref name="jet"/>'s (channels
    /// <paramref name="first"/> …; s = 1 − h², σ'' = −2hs).
    /// </summary>
    public static void WeightedLaplacianJet<TL, TVec>(Span<double> record, Span<double> jet, int block, int dimension, ReadOnlySpan<double> directions, int first)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = dimension, count = directions.Length / d;
        TVec one = TL.Broadcast(1), minusTwo = TL.Broadcast(-2);
        for (int j = 0; j < block; j += TL.Count)
        {
            TVec h = TL.Load(ref record[j]);
            TVec s = TL.Subtract(one, TL.Multiply(h, h));
            TVec second = TL.Multiply(minusTwo, TL.Multiply(h, s));
            for (int r = 0; r < count; r++)
            {
                TVec q = TL.Zero;
                for (int k = 0; k < d; k++)
                {
                    double c = directions[(r * d) + k];
                    if (c == 0)
                    {
                        continue;
                    }

                    TVec g = TL.Load(ref record[((1 + k) * block) + j]);
                    q = TL.MultiplyAdd(TL.Broadcast(c), TL.Multiply(g, g), q);
                }

                int at = ((first + r) * block) + j;
                TL.Store(TL.MultiplyAdd(second, q, TL.Multiply(s, TL.Load(ref record[at]))), ref jet[at]);
            }
        }
    }

    /// <summary>
    /// The weighted Laplacians' share of the reverse of tanh (after <see cref="TanhJetAdjoint"/>, which wrote Ā's other
    /// channels into <paramref name="barOut"/>; it may be <paramref name="barIn"/>: per element, every L̄_r is read before
    /// its channel is written): with κ_k = Σ_r C_rk L̄_r,
    /// L_r ā = s L̄_r, ∇ā_k += 2σ''κ_k ∇_k a and ā += σ'' Σ_r L̄_r L_r a + σ''' Σ_k κ_k (∇_k a)² (the derivatives of
    /// L_r h = s L_r a + σ'' Σ_k C_rk (∇_k a)² in a, ∇a and L_r a).
    /// </summary>
    public static void WeightedLaplacianJetAdjoint<TL, TVec>(Span<double> record, Span<double> barIn, Span<double> barOut, int block, int dimension, ReadOnlySpan<double> directions, int first)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = dimension, count = directions.Length / d;
        TVec one = TL.Broadcast(1), two = TL.Broadcast(2), four = TL.Broadcast(4), minusTwo = TL.Broadcast(-2);
        for (int j = 0; j < block; j += TL.Count)
        {
            TVec h = TL.Load(ref record[j]);
            (TVec s, TVec second, TVec third) = TanhDerivatives<TL, TVec>(h, one, two, four, minusTwo);
            TVec own = TL.Zero, curvature = TL.Zero;
            for (int k = 0; k < d; k++)
            {
                TVec kappa = TL.Zero;
                for (int r = 0; r < count; r++)
                {
                    double c = directions[(r * d) + k];
                    if (c != 0)
                    {
                        kappa = TL.MultiplyAdd(TL.Broadcast(c), TL.Load(ref barIn[((first + r) * block) + j]), kappa);
                    }
                }

                int at = ((1 + k) * block) + j;
                TVec g = TL.Load(ref record[at]);
                curvature = TL.MultiplyAdd(kappa, TL.Multiply(g, g), curvature);
                TL.Store(TL.MultiplyAdd(TL.Multiply(two, TL.Multiply(second, kappa)), g, TL.Load(ref barOut[at])), ref barOut[at]);
            }

            for (int r = 0; r < count; r++)
            {
                int at = ((first + r) * block) + j;
                TVec lBar = TL.Load(ref barIn[at]);
                own = TL.MultiplyAdd(lBar, TL.Load(ref record[at]), own);
                TL.Store(TL.Multiply(s, lBar), ref barOut[at]);
            }

            TL.Store(TL.Add(TL.Load(ref barOut[j]), TL.MultiplyAdd(second, own, TL.Multiply(third, curvature))), ref barOut[j]);
        }
    }

    /// <summary>
    /// The weighted Laplacians' share of the periodic first layer's W̄ (after <see cref="EmbeddingWeightedLaplacians"/>):
    /// L_r a = −4π² Σ_k C_rk (W[:, 2k] sin 2πx_k + W[:, 2k+1] cos 2πx_k), so with κ_k = Σ_r C_rk L̄_r ā,
    /// W̄[o, 2k] −= 4π² Σ_p κ_k sin and W̄[o, 2k+1] −= 4π² Σ_p κ_k cos, for every unit o and coordinate k of one tile.
    /// </summary>
    /// <param name="adjoint">Ā of the tile, its channels (R weighted Laplacians from channel <paramref name="first"/>) each outputs × 64.</param>
    /// <param name="e">The tile's embedding, F × 64.</param>
    /// <param name="dimension">d.</param>
    /// <param name="directions">C, R × d.</param>
    /// <param name="first">The channel of L̄_0 ā.</param>
    /// <param name="outputs">The map's outputs (rows of W̄).</param>
    /// <param name="wbar">W̄, chunked (<see cref="ChunkedIndex"/>).</param>
    /// <param name="stride">Doubles from one channel of <paramref name="adjoint"/> to the next (0: outputs × 64, back to back).</param>
    public static void WeightedEmbeddingAdjoint<TL, TVec>(Span<double> adjoint, Span<double> e, int dimension, ReadOnlySpan<double> directions, int first, int outputs, double[] wbar, int stride = 0)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        stride = stride == 0 ? outputs * Tile : stride;
        int d = dimension, count = directions.Length / d;
        double fourPiSquared = 4 * Math.PI * Math.PI;
        for (int o = 0; o < outputs; o++)
        {
            for (int k = 0; k < d; k++)
            {
                TVec sin = TL.Zero, cos = TL.Zero;
                for (int p = 0; p < Tile; p += TL.Count)
                {
                    TVec kappa = TL.Zero;
                    for (int r = 0; r < count; r++)
                    {
                        double c = directions[(r * d) + k];
                        if (c != 0)
                        {
                            kappa = TL.MultiplyAdd(TL.Broadcast(c), TL.Load(ref adjoint[((first + r) * stride) + (o * Tile) + p]), kappa);
                        }
                    }

                    sin = TL.MultiplyAdd(kappa, TL.Load(ref e[(2 * k * Tile) + p]), sin);
                    cos = TL.MultiplyAdd(kappa, TL.Load(ref e[(((2 * k) + 1) * Tile) + p]), cos);
                }

                wbar[ChunkedIndex(o, 2 * k, outputs)] -= fourPiSquared * TL.Sum(sin);
                wbar[ChunkedIndex(o, (2 * k) + 1, outputs)] -= fourPiSquared * TL.Sum(cos);
            }
        }
    }
}
