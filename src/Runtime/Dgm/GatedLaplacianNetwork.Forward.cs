using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

internal sealed partial class GatedLaplacianNetwork
{
    private void ForwardTiles<TL, TVec>()
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        for (int t = 0; t < _tiles; t++)
        {
            ForwardTile<TL, TVec>(t);
        }
    }

    /// <summary>
    /// One tile through every layer (specs/dgm-gated.md §2): S¹ = σ(W¹e + b¹); per layer the gates z, g, r from S, the
    /// product P = S ⊙ R, the gate h from P, then S' = H + Z ⊙ S − G ⊙ H; the linear output. Every affine map of
    /// the gates is the embedding part (analytic derivatives) plus W times each channel of its input (a tile product per
    /// channel), the bias on the value channel only.
    /// </summary>
    private void ForwardTile<TL, TVec>(int t)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int c = _channels, width = Width, stride = _stride, jet = _jet, f = Features;
        Span<double> e = _embedding.AsSpan(t * f * Tile, f * Tile);
        Span<double> first = _first.AsSpan(t * jet, jet);
        EmbeddingAffine<TL, TVec>(e, _firstWeight, _firstBias, first);
        TanhValue<TL, TVec>(first);
        Expand<TL, TVec>(first, _states[0].AsSpan(t * jet, jet));
        for (int l = 0; l < Depth; l++)
        {
            Span<double> state = _states[l].AsSpan(t * jet, jet);
            Span<double> records = _gates[l].AsSpan(t * Gates * jet, Gates * jet);
            for (int q = 0; q < Gates; q++)
            {
                int g = (Gates * l) + q;
                Span<double> record = records.Slice(q * jet, jet);
                EmbeddingAffine<TL, TVec>(e, _gateInput[g], _gateBias[g], record);
                Span<double> input = q == 3 ? _product : state;
                ref double w = ref _parameters[_gateWeight[g]];
                for (int ch = 0; ch < c; ch++)
                {
                    TileProduct.Multiply<TL, TVec>(ref w, width, 1, width, width, ref input[ch * stride], ref record[ch * stride], accumulate: true);
                }

                TanhValue<TL, TVec>(record);
                Expand<TL, TVec>(record, _gateJets[q]);
                if (q == 2)
                {
                    Product<TL, TVec>(state, _gateJets[2], _product, 1, accumulate: false);
                }
            }

            // S' = H + Z ⊙ S − G ⊙ H, i.e. (1 − G) ⊙ H + Z ⊙ S.
            Span<double> next = _states[l + 1].AsSpan(t * jet, jet);
            _gateJets[3].CopyTo(next);
            Product<TL, TVec>(_gateJets[0], state, next, 1, accumulate: true);
            Product<TL, TVec>(_gateJets[1], _gateJets[3], next, -1, accumulate: true);
        }

        // The linear output: u_c = wᵀ S_c (+ b on the value channel).
        ref double wOut = ref _parameters[_outputWeight];
        Span<double> top = _states[Depth].AsSpan(t * jet, jet);
        Span<double> output = _output.AsSpan(t * c * Tile, c * Tile);
        for (int ch = 0; ch < c; ch++)
        {
            TileProduct.Multiply<TL, TVec>(ref wOut, width, 1, 1, width, ref top[ch * stride], ref output[ch * Tile], accumulate: false);
        }

        double bias = _parameters[_outputBias];
        for (int i = 0; i < Tile; i++)
        {
            output[i] += bias;
        }
    }

    /// <summary>
    /// The jet of a = U e + b into <paramref name="jet"/> (all channels overwritten). Periodic: ∂e_{2k}/∂x_k = 2π cos 2πx_k,
    /// ∂e_{2k+1}/∂x_k = −2π sin 2πx_k, so ∇_k a = 2π(U[:, 2k] cos − U[:, 2k+1] sin), and Δe = −4π²e on the space
    /// features, so Δa = −4π²(U e − U[:, t] t). Plain: ∇_k a = U[:, k], Δa = 0. With time ∂t a = U[:, F − 1].
    /// </summary>
    private void EmbeddingAffine<TL, TVec>(Span<double> e, int weightOffset, int biasOffset, Span<double> jet)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = Features, width = Width, block = _block, d = Dimension;
        Span<double> a = jet[..block];
        TileProduct.Multiply<TL, TVec>(ref _parameters[weightOffset], f, 1, width, f, ref e[0], ref a[0], accumulate: false);
        DgmKernels.EmbeddingDerivatives<TL, TVec>(_parameters.AsSpan(weightOffset, width * f), f, d, Embedding, HasTime, e, a, jet, _stride);
        if (WeightedLaplacians > 0)
        {
            DgmKernels.EmbeddingWeightedLaplacians<TL, TVec>(_parameters.AsSpan(weightOffset, width * f), f, d, Embedding, _directions, e, jet, _firstWeighted, _stride);
        }

        AddBias<TL, TVec>(a, _parameters.AsSpan(biasOffset, width));
    }
}
