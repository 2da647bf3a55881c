using System.Runtime.CompilerServices;
using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

internal sealed partial class LaplacianNetwork
{
    /// <summary>
    /// The reverse pass of one tile (specs/dgm.md §3), from the output adjoints in <c>_outputAdjoint</c> (channels × 64)
    /// down to the first layer, adding this tile's share to the weight and bias gradients. W̄ = Σ_c Ā_c H_cᵀ is a
    /// product over the 64 points: the input channel H_c is transposed into 64-column chunks so that it is one more
    /// <see cref="TileProduct"/> call, accumulating into W̄ stored as [j / 64][o][j mod 64].
    /// </summary>
    private void BackwardTile<TL, TVec>(int t)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int c = _channels, width = Width, block = width * Tile, stride = _stride, tileBase = t * c * stride;

        // Output layer u_c = wᵀH_c + b: w̄ += Σ_c H_c ū_c, b̄ += Σ ū_0, H̄_c = w ū_cᵀ.
        Span<double> top = _layers[Depth - 1].AsSpan(tileBase, c * stride);
        Activate<TL, TVec>(top, computeTanh: false);
        double[] wOutBar = _weightGradient[Depth];
        ReadOnlySpan<double> wOut = _parameters.AsSpan(_weightOffset[Depth], width);
        for (int i = 0; i < width; i++)
        {
            TVec sum = TL.Zero;
            for (int ch = 0; ch < c; ch++)
            {
                double[] source = ch == 0 ? _layers[Depth - 1] : _hidden;
                int offset = ch == 0 ? tileBase + (i * Tile) : (ch * stride) + (i * Tile);
                for (int p = 0; p < Tile; p += TL.Count)
                {
                    sum = TL.MultiplyAdd(TL.Load(ref source[offset + p]), TL.Load(ref _outputAdjoint[(ch * Tile) + p]), sum);
                }
            }

            wOutBar[i] += TL.Sum(sum);
            for (int ch = 0; ch < c; ch++)
            {
                TVec w = TL.Broadcast(wOut[i]);
                for (int p = 0; p < Tile; p += TL.Count)
                {
                    TL.Store(TL.Multiply(w, TL.Load(ref _outputAdjoint[(ch * Tile) + p])), ref _hiddenAdjoint[(ch * stride) + (i * Tile) + p]);
                }
            }
        }

        _biasGradient[Depth][0] += SumTile<TL, TVec>(_outputAdjoint.AsSpan(0, Tile));

        for (int l = Depth - 1; l >= 0; l--)
        {
            Span<double> layer = _layers[l].AsSpan(tileBase, c * stride);
            ActivationAdjoint<TL, TVec>(layer);
            double[] bbar = _biasGradient[l];
            for (int o = 0; o < width; o++)
            {
                bbar[o] += SumTile<TL, TVec>(_preActivationAdjoint.AsSpan(o * Tile, Tile));
            }

            if (l == 0)
            {
                FirstLayerAdjoint<TL, TVec>(t);
                break;
            }

            // H̄_c (of layer l − 1's outputs) = W_lᵀ Ā_c: B = W read down its columns. These products come before W̄'s,
            // which need layer l − 1's record, so that each asks for its channel of that record, last written in the
            // forward pass and long out of cache, to be brought into L2 while it runs (specs/dgm.md §6.3, "Prefetching
            // the records"); the two sets of products are independent, so the order does not change the bits.
            Span<double> below = _layers[l - 1].AsSpan(tileBase, c * stride);
            ref double w = ref _parameters[_weightOffset[l]];
            for (int ch = 0; ch < c; ch++)
            {
                TileProduct.Multiply<TL, TVec>(
                    ref w, 1, width, width, width, ref _preActivationAdjoint[ch * stride], ref _hiddenAdjoint[ch * stride], accumulate: false,
                    ref below[ch * stride], stride);
            }

            Activate<TL, TVec>(below, computeTanh: false);
            double[] wbar = _weightGradient[l];

            // The last W̄ of the tile (l = 1) asks for the next tile's top record, which its output layer reads first.
            bool prefetchNext = l == 1 && t + 1 < _tiles;
            for (int ch = 0; ch < c; ch++)
            {
                Span<double> input = ch == 0 ? below[..block] : _hidden.AsSpan(ch * stride, block);
                ref double next = ref prefetchNext ? ref _layers[Depth - 1][((t + 1) * c * stride) + (ch * stride)] : ref Unsafe.NullRef<double>();
                DgmKernels.AccumulateOuter<TL, TVec>(
                    _preActivationAdjoint.AsSpan(ch * stride, block), input, width, wbar, _transposed, ref next, prefetchNext ? stride : 0);
            }
        }
    }

    /// <summary>
    /// Through h = tanh a with ∇h = s∇a, Δh = sΔa + σ''|∇a|² (s = σ' = 1 − h², σ'' = −2hs, σ''' = 4h²s − 2s²), from H̄ in
    /// the hidden-adjoint scratch to Ā in the pre-activation-adjoint scratch:
    /// Δā = s L̄, ∇ā_k = s ḡ_k + 2σ'' L̄ ∇_k a, ā = s h̄ + σ'' Σ_k ḡ_k ∇_k a + L̄ (σ'' Δa + σ''' |∇a|²); with time,
    /// ∂ₜā = s ∂ₜh̄ and ā gains σ'' ∂ₜh̄ ∂ₜa (∂ₜh = s ∂ₜa; the Laplacian does not read ∂ₜa).
    /// </summary>
    private void ActivationAdjoint<TL, TVec>(Span<double> layer)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        DgmKernels.TanhJetAdjoint<TL, TVec>(layer, _hiddenAdjoint, _preActivationAdjoint, _stride, Dimension, HasTime);
        if (WeightedLaplacians > 0)
        {
            DgmKernels.WeightedLaplacianJetAdjoint<TL, TVec>(layer, _hiddenAdjoint, _preActivationAdjoint, _stride, Dimension, _directions, _firstWeighted);
        }
    }

    /// <summary>
    /// The first layer's W̄: the dense part (ā − 4π²Δā) eᵀ (periodic; ā eᵀ plain) as one chunked product, the time
    /// feature's terms (its Laplacian is 0; ∂a/∂t = W[:, t] gives Σ_p ∂ₜā), and the sparse gradient part Σ_p ∇ā_k ∂_k e (two columns per k periodic,
    /// one plain) as dot products over the tile.
    /// </summary>
    private void FirstLayerAdjoint<TL, TVec>(int t)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = Features, width = Width, block = width * Tile, stride = _stride, d = Dimension;
        double[] wbar = _weightGradient[0];
        Span<double> e = _embedding.AsSpan(t * f * Tile, f * Tile);
        Span<double> aBar = _preActivationAdjoint.AsSpan(0, block);
        Span<double> lapBar = _preActivationAdjoint.AsSpan(_laplacianChannel * stride, block);
        bool periodic = Embedding == InputEmbedding.Periodic;
        if (periodic)
        {
            TVec minusFourPiSquared = TL.Broadcast(-FourPiSquared);
            for (int j = 0; j < block; j += TL.Count)
            {
                TL.Store(TL.MultiplyAdd(minusFourPiSquared, TL.Load(ref lapBar[j]), TL.Load(ref aBar[j])), ref aBar[j]);
            }
        }

        AccumulateOuter<TL, TVec>(aBar, e, width, wbar);
        if (periodic && WeightedLaplacians > 0)
        {
            DgmKernels.WeightedEmbeddingAdjoint<TL, TVec>(_preActivationAdjoint, e, d, _directions, _firstWeighted, width, wbar, stride);
        }

        for (int o = 0; o < width; o++)
        {
            if (HasTime)
            {
                // ∂a/∂t = W[:, t]: its adjoint sums over the tile; periodic, the time feature's Laplacian is 0.
                double timeColumn = SumTile<TL, TVec>(_preActivationAdjoint.AsSpan(((d + 1) * stride) + (o * Tile), Tile));
                if (periodic)
                {
                    timeColumn += FourPiSquared * Dot<TL, TVec>(lapBar.Slice(o * Tile, Tile), e.Slice((f - 1) * Tile, Tile));
                }

                wbar[ChunkedIndex(o, f - 1, width)] += timeColumn;
            }

            for (int k = 0; k < d; k++)
            {
                Span<double> gBar = _preActivationAdjoint.AsSpan(((1 + k) * stride) + (o * Tile), Tile);
                if (periodic)
                {
                    wbar[ChunkedIndex(o, 2 * k, width)] += TwoPi * Dot<TL, TVec>(gBar, e.Slice(((2 * k) + 1) * Tile, Tile));
                    wbar[ChunkedIndex(o, (2 * k) + 1, width)] -= TwoPi * Dot<TL, TVec>(gBar, e.Slice(2 * k * Tile, Tile));
                }
                else
                {
                    wbar[ChunkedIndex(o, k, width)] += SumTile<TL, TVec>(gBar);
                }
            }
        }
    }

    /// <summary>
    /// W̄ += Ā Hᵀ for one channel of one tile: Ā is outputs × 64, H is inputs × 64; H is transposed into 64-column chunks
    /// (64 points × 64 inputs each, zero beyond the last input) and each chunk is one <see cref="TileProduct"/> call of
    /// depth 64 (the points) accumulating into W̄'s chunk [j / 64][o][·].
    /// </summary>
    private void AccumulateOuter<TL, TVec>(Span<double> adjoint, Span<double> input, int outputs, double[] wbar)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
        => DgmKernels.AccumulateOuter<TL, TVec>(adjoint, input, outputs, wbar, _transposed);
}
