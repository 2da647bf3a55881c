using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

internal sealed partial class GatedLaplacianNetwork
{
    /// <summary>
    /// The reverse pass of one tile (specs/dgm-gated.md §3), from the output adjoints in <c>_outputAdjoint</c>
    /// (channels × 64) down to the embedding, adding this tile's share to the parameter gradients. Per layer, from
    /// S̄' (the adjoint of S^{ℓ+1}'s jet): through S' = H + Z ⊙ S − G ⊙ H to H̄, Z̄, Ḡ and S̄'s first part; through
    /// the tanh of h, z, g to their pre-activation adjoints; the h gate's parameters and P̄ = W^hᵀ Ā^h; through
    /// P = S ⊙ R to R̄ (then Ā^r) and S̄'s second part; the z, g, r gates' parameters and S̄ += W^qᵀ Ā^q. Every gate's
    /// jets are recomputed from its activation record.
    /// </summary>
    private void BackwardTile<TL, TVec>(int t)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int c = _channels, width = Width, block = _block, stride = _stride, jet = _jet, f = Features;
        Span<double> e = _embedding.AsSpan(t * f * Tile, f * Tile);
        Transpose(e, _transposedEmbedding);

        // Output u_c = wᵀS_c + b: w̄ += Σ_c S_c ū_c, b̄ += Σ ū_0, S̄_c = w ū_cᵀ.
        Span<double> top = _states[Depth].AsSpan(t * jet, jet);
        ReadOnlySpan<double> wOut = _parameters.AsSpan(_outputWeight, width);
        for (int i = 0; i < width; i++)
        {
            TVec sum = TL.Zero;
            for (int ch = 0; ch < c; ch++)
            {
                int offset = (ch * stride) + (i * Tile);
                for (int p = 0; p < Tile; p += TL.Count)
                {
                    sum = TL.MultiplyAdd(TL.Load(ref top[offset + p]), TL.Load(ref _outputAdjoint[(ch * Tile) + p]), sum);
                }
            }

            _outputWeightGradient[i] += TL.Sum(sum);
            TVec w = TL.Broadcast(wOut[i]);
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < Tile; p += TL.Count)
                {
                    TL.Store(TL.Multiply(w, TL.Load(ref _outputAdjoint[(ch * Tile) + p])), ref _nextAdjoint[(ch * stride) + (i * Tile) + p]);
                }
            }
        }

        _outputBiasGradient += SumTile<TL, TVec>(_outputAdjoint.AsSpan(0, Tile));

        double[] z = _gateJets[0], g = _gateJets[1], r = _gateJets[2], h = _gateJets[3];
        double[] zBar = _gateAdjoints[0], gBar = _gateAdjoints[1], rBar = _gateAdjoints[2], hBar = _gateAdjoints[3];
        for (int l = Depth - 1; l >= 0; l--)
        {
            Span<double> state = _states[l].AsSpan(t * jet, jet);
            Span<double> records = _gates[l].AsSpan(t * Gates * jet, Gates * jet);
            for (int q = 0; q < Gates; q++)
            {
                Expand<TL, TVec>(records.Slice(q * jet, jet), _gateJets[q]);
            }

            Product<TL, TVec>(state, r, _product, 1, accumulate: false);

            // S' = H + Z ⊙ S − G ⊙ H.
            _nextAdjoint.CopyTo(hBar, 0);
            ProductAdjoint<TL, TVec>(_nextAdjoint, g, hBar, -1, accumulate: true);
            ProductAdjoint<TL, TVec>(_nextAdjoint, state, zBar, 1, accumulate: false);
            ProductAdjoint<TL, TVec>(_nextAdjoint, h, gBar, -1, accumulate: false);
            ProductAdjoint<TL, TVec>(_nextAdjoint, z, _stateAdjoint, 1, accumulate: false);
            TanhAdjoint<TL, TVec>(records.Slice(3 * jet, jet), hBar);
            TanhAdjoint<TL, TVec>(records[..jet], zBar);
            TanhAdjoint<TL, TVec>(records.Slice(jet, jet), gBar);

            // The h gate: a^h = U^h e + W^h P + b^h.
            int gate = (Gates * l) + 3;
            InputAdjoint<TL, TVec>(e, hBar, _gateInputGradient[gate], _gateBiasGradient[gate]);
            for (int ch = 0; ch < c; ch++)
            {
                AccumulateOuter<TL, TVec>(hBar.AsSpan(ch * stride, block), _product.AsSpan(ch * stride, block), width, _gateWeightGradient[gate], _transposed);
            }

            ref double wh = ref _parameters[_gateWeight[gate]];
            for (int ch = 0; ch < c; ch++)
            {
                TileProduct.Multiply<TL, TVec>(ref wh, 1, width, width, width, ref hBar[ch * stride], ref _productAdjoint[ch * stride], accumulate: false);
            }

            // P = S ⊙ R.
            ProductAdjoint<TL, TVec>(_productAdjoint, r, _stateAdjoint, 1, accumulate: true);
            ProductAdjoint<TL, TVec>(_productAdjoint, state, rBar, 1, accumulate: false);
            TanhAdjoint<TL, TVec>(records.Slice(2 * jet, jet), rBar);

            // The z, g, r gates: a^q = U^q e + W^q S + b^q (S transposed once per channel for the three W̄^q).
            for (int q = 0; q < 3; q++)
            {
                InputAdjoint<TL, TVec>(e, _gateAdjoints[q], _gateInputGradient[(Gates * l) + q], _gateBiasGradient[(Gates * l) + q]);
            }

            for (int ch = 0; ch < c; ch++)
            {
                Transpose(state.Slice(ch * stride, block), _transposed);
                for (int q = 0; q < 3; q++)
                {
                    AccumulateTransposed<TL, TVec>(_gateAdjoints[q].AsSpan(ch * stride, block), width, width, _transposed, _gateWeightGradient[(Gates * l) + q]);
                }
            }

            for (int q = 0; q < 3; q++)
            {
                ref double w = ref _parameters[_gateWeight[(Gates * l) + q]];
                double[] adjoint = _gateAdjoints[q];
                for (int ch = 0; ch < c; ch++)
                {
                    TileProduct.Multiply<TL, TVec>(ref w, 1, width, width, width, ref adjoint[ch * stride], ref _stateAdjoint[ch * stride], accumulate: true);
                }
            }

            _stateAdjoint.CopyTo(_nextAdjoint, 0);
        }

        // S¹ = σ(W¹e + b¹).
        TanhAdjoint<TL, TVec>(_first.AsSpan(t * jet, jet), _nextAdjoint);
        InputAdjoint<TL, TVec>(e, _nextAdjoint, _firstWeightGradient, _firstBiasGradient);
    }

    /// <summary>
    /// The embedding part of an affine map a = U e + b, given the pre-activation adjoint jet Ā: b̄ += Σ_p ā; periodic
    /// Ū += (ā − 4π²Δā) eᵀ (a chunked product with the tile's transposed embedding), plus 4π² Σ_p Δā t on the time
    /// column (its Laplacian is 0), Ū[:, 2k] += 2π Σ_p ∇_k ā cos, Ū[:, 2k+1] −= 2π Σ_p ∇_k ā sin; plain Ū += ā eᵀ,
    /// Ū[:, k] += Σ_p ∇_k ā; with time Ū[:, F − 1] += Σ_p ∂t ā.
    /// </summary>
    private void InputAdjoint<TL, TVec>(Span<double> e, Span<double> adjoint, double[] inputGradient, double[] biasGradient)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int f = Features, width = Width, block = _block, stride = _stride, d = Dimension;
        Span<double> aBar = adjoint[..block];
        Span<double> lapBar = adjoint.Slice(_laplacian * stride, block);
        for (int o = 0; o < width; o++)
        {
            biasGradient[o] += SumTile<TL, TVec>(aBar.Slice(o * Tile, Tile));
        }

        bool periodic = Embedding == InputEmbedding.Periodic;
        Span<double> dense = aBar;
        if (periodic)
        {
            dense = _dense;
            TVec minusFourPiSquared = TL.Broadcast(-FourPiSquared);
            for (int j = 0; j < block; j += TL.Count)
            {
                TL.Store(TL.MultiplyAdd(minusFourPiSquared, TL.Load(ref lapBar[j]), TL.Load(ref aBar[j])), ref dense[j]);
            }
        }

        AccumulateTransposed<TL, TVec>(dense, f, width, _transposedEmbedding, inputGradient);
        if (periodic && WeightedLaplacians > 0)
        {
            WeightedEmbeddingAdjoint<TL, TVec>(adjoint, e, d, _directions, _firstWeighted, width, inputGradient, stride);
        }

        for (int o = 0; o < width; o++)
        {
            if (HasTime)
            {
                double time = SumTile<TL, TVec>(adjoint.Slice(((d + 1) * stride) + (o * Tile), Tile));
                if (periodic)
                {
                    time += FourPiSquared * Dot<TL, TVec>(lapBar.Slice(o * Tile, Tile), e.Slice((f - 1) * Tile, Tile));
                }

                inputGradient[ChunkedIndex(o, f - 1, width)] += time;
            }

            for (int k = 0; k < d; k++)
            {
                Span<double> gBar = adjoint.Slice(((1 + k) * stride) + (o * Tile), Tile);
                if (periodic)
                {
                    inputGradient[ChunkedIndex(o, 2 * k, width)] += TwoPi * Dot<TL, TVec>(gBar, e.Slice(((2 * k) + 1) * Tile, Tile));
                    inputGradient[ChunkedIndex(o, (2 * k) + 1, width)] -= TwoPi * Dot<TL, TVec>(gBar, e.Slice(2 * k * Tile, Tile));
                }
                else
                {
                    inputGradient[ChunkedIndex(o, k, width)] += SumTile<TL, TVec>(gBar);
                }
            }
        }
    }
}
