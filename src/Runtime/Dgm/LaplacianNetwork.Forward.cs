using System.Runtime.CompilerServices;
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
    /// <see cref="ForwardValues"/>'s tiles: the embedding of 64 points into a scratch (the first <c>Features</c> × 64 of
    /// the transposition buffer), then per layer a = W h + b into the pre-activation scratch and h = tanh a into one of
    /// two value blocks (the first of the hidden scratch and of the hidden-adjoint scratch, in turn), and the linear
    /// output — the reverse pass's scratches, which it overwrites before reading, so the records stay as they were.
    /// </summary>
    private void ForwardValueTiles<TL, TVec>(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value, int n)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = Features, width = Width, d = Dimension, block = width * Tile;
        Span<double> e = _transposed.AsSpan(0, f * Tile);
        Span<double> output = _outputAdjoint.AsSpan(0, Tile);
        for (int start = 0; start < n; start += Tile)
        {
            int count = Math.Min(Tile, n - start);
            DgmKernels.FillEmbedding(points.Slice(start * d, count * d), HasTime ? times.Slice(start, count) : [], d, Embedding, HasTime, f, count, 1, e);
            TileProduct.Multiply<TL, TVec>(ref _parameters[_weightOffset[0]], f, 1, width, f, ref e[0], ref _preActivation[0], accumulate: false);
            AddBias<TL, TVec>(_preActivation, _parameters.AsSpan(_biasOffset[0], width));
            double[] h = _hidden, other = _hiddenAdjoint;
            TanhBlock<TL, TVec>(_preActivation, h.AsSpan(0, block));
            for (int l = 1; l < Depth; l++)
            {
                TileProduct.Multiply<TL, TVec>(ref _parameters[_weightOffset[l]], width, 1, width, width, ref h[0], ref _preActivation[0], accumulate: false);
                AddBias<TL, TVec>(_preActivation, _parameters.AsSpan(_biasOffset[l], width));
                TanhBlock<TL, TVec>(_preActivation, other.AsSpan(0, block));
                (h, other) = (other, h);
            }

            TileProduct.Multiply<TL, TVec>(ref _parameters[_weightOffset[Depth]], width, 1, 1, width, ref h[0], ref output[0], accumulate: false);
            double bias = _parameters[_biasOffset[Depth]];
            for (int i = 0; i < count; i++)
            {
                value[start + i] = output[i] + bias;
            }
        }
    }

    /// <summary>h = tanh a over a value block (width × 64), as <see cref="Activate{TL, TVec}"/> computes the value channel.</summary>
    private static void TanhBlock<TL, TVec>(ReadOnlySpan<double> a, Span<double> h)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        ref double source = ref MemoryMarshal.GetReference(a);
        for (int j = 0; j < h.Length; j += TL.Count)
        {
            TL.Store(Tanh<TL, TVec>(TL.Load(ref Unsafe.Add(ref source, j))), ref h[j]);
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
        if (computeTanh)
        {
            TanhBlock<TL, TVec>(_preActivation, layer[..(Width * Tile)]);
        }

        DgmKernels.TanhJet<TL, TVec>(layer, _hidden, _stride, Dimension, HasTime, copyValue: false);
        if (WeightedLaplacians > 0)
        {
            DgmKernels.WeightedLaplacianJet<TL, TVec>(layer, _hidden, _stride, Dimension, _directions, _firstWeighted);
        }
    }
}
