using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

internal sealed partial class LaplacianNetwork
{
    /// <summary>
    /// One tile through every layer (specs/dgm.md §2.2). Per hidden layer: a = W h_prev + b, ∇a = W ∇h_prev, Δa = W Δh_prev
    /// (d + 2 tile products), then h = tanh a, ∇h = σ'(a)∇a, Δh = σ'(a)Δa + σ''(a)|∇a|². The first layer's ∇a and Δa are
    /// written directly from the embedding's sparse derivatives instead of multiplying by them.
    /// </summary>
    private void ForwardTile<TL, TVec>(int t)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int c = _channels, width = Width, stride = _stride;
        double[] layer0 = _layers[0];
        int tileBase = t * c * stride;
        FirstLayer<TL, TVec>(t, layer0.AsSpan(tileBase, c * stride));
        Activate<TL, TVec>(layer0.AsSpan(tileBase, c * stride), computeTanh: true);
        ref double a = ref MemoryMarshal.GetArrayDataReference(_preActivation);
        for (int l = 1; l < Depth; l++)
        {
            ref double w = ref _parameters[_weightOffset[l]];
            Span<double> previous = _layers[l - 1].AsSpan(tileBase, c * stride);
            Span<double> current = _layers[l].AsSpan(tileBase, c * stride);
            TileProduct.Multiply<TL, TVec>(ref w, width, 1, width, width, ref previous[0], ref a, accumulate: false);
            for (int ch = 1; ch < c; ch++)
            {
                TileProduct.Multiply<TL, TVec>(ref w, width, 1, width, width, ref _hidden[ch * stride], ref current[ch * stride], accumulate: false);
            }

            AddBias<TL, TVec>(_preActivation, _parameters.AsSpan(_biasOffset[l], width));
            Activate<TL, TVec>(current, computeTanh: true);
        }

        // The linear output layer: u_c = wᵀ H_c (+ b for the value channel).
        ref double wOut = ref _parameters[_weightOffset[Depth]];
        Span<double> top = _layers[Depth - 1].AsSpan(tileBase, c * stride);
        Span<double> output = _output.AsSpan(t * c * Tile, c * Tile);
        TileProduct.Multiply<TL, TVec>(ref wOut, width, 1, 1, width, ref top[0], ref output[0], accumulate: false);
        for (int ch = 1; ch < c; ch++)
        {
            TileProduct.Multiply<TL, TVec>(ref wOut, width, 1, 1, width, ref _hidden[ch * stride], ref output[ch * Tile], accumulate: false);
        }

        double bias = _parameters[_biasOffset[Depth]];
        for (int i = 0; i < Tile; i++)
        {
            output[i] += bias;
        }
    }

    /// <summary>
    /// a = W e + b into the pre-activation scratch, and ∇a, (∂a/∂t,) Δa of the first layer into its channels 1 … d (, d + 1)
    /// and the last; ∂a/∂t = W[:, t], the time feature's column.
    /// Periodic: ∂e_{2k}/∂x_k = 2π cos 2πx_k, ∂e_{2k+1}/∂x_k = −2π sin 2πx_k, so ∇_k a = 2π(W[:, 2k] cos − W[:, 2k+1] sin),
    /// and Δe = −4π²e on the space features, so Δa = −4π²(W e − W[:, t] t). Plain: ∇_k a = W[:, k], Δa = 0.
    /// </summary>
    private void FirstLayer<TL, TVec>(int t, Span<double> layer)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = Features, width = Width, d = Dimension;
        int wOff = _weightOffset[0];
        Span<double> e = _embedding.AsSpan(t * f * Tile, f * Tile);
        Span<double> a = _preActivation;
        TileProduct.Multiply<TL, TVec>(ref _parameters[wOff], f, 1, width, f, ref e[0], ref a[0], accumulate: false);
        DgmKernels.EmbeddingDerivatives<TL, TVec>(_parameters.AsSpan(wOff, width * f), f, d, Embedding, HasTime, e, a, layer, _stride);
        if (WeightedLaplacians > 0)
        {
            DgmKernels.EmbeddingWeightedLaplacians<TL, TVec>(_parameters.AsSpan(wOff, width * f), f, d, Embedding, _directions, e, layer, _firstWeighted, _stride);
        }

        AddBias<TL, TVec>(_preActivation, _parameters.AsSpan(_biasOffset[0], width));
    }

    /// <summary>
    /// The tanh layer's value and derivative channels. <paramref name="layer"/> holds ∇a, (∂a/∂t,) Δa (channels 1 … last)
    /// and receives h in channel 0 (from the pre-activation scratch, when <paramref name="computeTanh"/>; otherwise it
    /// already holds h, as in the reverse pass); ∇h = s ∇a, ∂h/∂t = s ∂a/∂t and Δh = s Δa + σ''|∇a|² (s = 1 − h²,
    /// σ'' = −2hs; |∇a|² over the space channels only) go to the hidden scratch, the input of the next layer's products.
    /// </summary>
    private void Activate<TL, TVec>(Span<double> layer, bool computeTanh)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int block = Width * Tile;
        if (computeTanh)
        {
            for (int j = 0; j < block; j += TL.Count)
            {
                TL.Store(Tanh<TL, TVec>(TL.Load(ref _preActivation[j])), ref layer[j]);
            }
        }

        DgmKernels.TanhJet<TL, TVec>(layer, _hidden, _stride, Dimension, HasTime, copyValue: false);
        if (WeightedLaplacians > 0)
        {
            DgmKernels.WeightedLaplacianJet<TL, TVec>(layer, _hidden, _stride, Dimension, _directions, _firstWeighted);
        }
    }
}
