using System.Runtime.CompilerServices;
using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

// The element-wise jet rules over one tile (N × 64 entries per channel; specs/dgm-gated.md §2–§3). A jet's channels are
// the value (0), ∇_0 … ∇_{d−1} (1 … d), ∂t (d + 1, with time) and Δ (the last); |∇·|² and ∇·∇ run over the x channels
// only, never ∂t.
internal sealed partial class GatedLaplacianNetwork
{
    /// <summary>h = tanh a in place over the value channel of an activation record.</summary>
    private void TanhValue<TL, TVec>(Span<double> record)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        for (int j = 0; j < _block; j += TL.Count)
        {
            TL.Store(Tanh<TL, TVec>(TL.Load(ref record[j])), ref record[j]);
        }
    }

    /// <summary>
    /// The jet of h = tanh a from its activation record (h, ∇a, ∂t a, Δa): ∇h = s∇a, ∂t h = s ∂t a,
    /// Δh = sΔa + σ''|∇a|², with s = 1 − h², σ'' = −2hs.
    /// </summary>
    private void Expand<TL, TVec>(Span<double> record, Span<double> jet)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TanhJet<TL, TVec>(record, jet, _stride, Dimension, HasTime, copyValue: true);
        if (WeightedLaplacians > 0)
        {
            WeightedLaplacianJet<TL, TVec>(record, jet, _stride, Dimension, _directions, _firstWeighted);
        }
    }

    /// <summary>
    /// y (+)= sign · (a ⊙ b) as jets: y = ab, ∇y = a∇b + b∇a, ∂t y = a ∂t b + b ∂t a, Δy = aΔb + bΔa + 2∇a·∇b, and the
    /// weighted Laplacians L_r y = a L_r b + b L_r a + 2 Σ_k C_rk ∂_k a ∂_k b (specs/dgm.md §5.1).
    /// <paramref name="y"/> must not alias <paramref name="a"/> or <paramref name="b"/>.
    /// </summary>
    private void Product<TL, TVec>(Span<double> a, Span<double> b, Span<double> y, double sign, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = Dimension, stride = _stride, lapAt = _laplacian * stride, timeAt = (d + 1) * stride, weighted = WeightedLaplacians; // the 8 padding values pass too
        bool time = HasTime;
        TVec two = TL.Broadcast(2), signs = TL.Broadcast(sign);
        for (int j = 0; j < stride; j += TL.Count)
        {
            TVec a0 = TL.Load(ref a[j]), b0 = TL.Load(ref b[j]);
            TVec cross = TL.Zero;
            for (int k = 1; k <= d; k++)
            {
                TVec ak = TL.Load(ref a[(k * stride) + j]), bk = TL.Load(ref b[(k * stride) + j]);
                cross = TL.MultiplyAdd(ak, bk, cross);
                Put(TL.MultiplyAdd(a0, bk, TL.Multiply(b0, ak)), ref y[(k * stride) + j]);
            }

            if (time)
            {
                TVec at = TL.Load(ref a[timeAt + j]), bt = TL.Load(ref b[timeAt + j]);
                Put(TL.MultiplyAdd(a0, bt, TL.Multiply(b0, at)), ref y[timeAt + j]);
            }

            TVec lap = TL.MultiplyAdd(a0, TL.Load(ref b[lapAt + j]), TL.Multiply(b0, TL.Load(ref a[lapAt + j])));
            Put(TL.MultiplyAdd(two, cross, lap), ref y[lapAt + j]);
            for (int r = 0; r < weighted; r++)
            {
                // L_r(ab) = a L_r b + b L_r a + 2 Σ_k C_rk ∂_k a ∂_k b.
                TVec weightedCross = TL.Zero;
                for (int k = 0; k < d; k++)
                {
                    double c = _directions[(r * d) + k];
                    if (c != 0)
                    {
                        weightedCross = TL.MultiplyAdd(TL.Broadcast(c), TL.Multiply(TL.Load(ref a[((1 + k) * stride) + j]), TL.Load(ref b[((1 + k) * stride) + j])), weightedCross);
                    }
                }

                int at = ((_firstWeighted + r) * stride) + j;
                TVec own = TL.MultiplyAdd(a0, TL.Load(ref b[at]), TL.Multiply(b0, TL.Load(ref a[at])));
                Put(TL.MultiplyAdd(two, weightedCross, own), ref y[at]);
            }

            Put(TL.Multiply(a0, b0), ref y[j]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        void Put(TVec v, ref double destination)
            => TL.Store(accumulate ? TL.MultiplyAdd(signs, v, TL.Load(ref destination)) : TL.Multiply(signs, v), ref destination);
    }

    /// <summary>
    /// The adjoint of the factor a of y = a ⊙ b: ā (+)= sign · f with, Ȳ = (ȳ, ḡ, τ̄, L̄) the adjoint of y's jet,
    /// f_value = ȳ b + Σ_k ḡ_k ∇_k b + τ̄ ∂t b + L̄ Δb, f_∇k = ḡ_k b + 2 L̄ ∇_k b, f_∂t = τ̄ b, f_Δ = L̄ b; with weighted
    /// Laplacians (adjoints L̄_r, κ_k = Σ_r C_rk L̄_r) f_value gains Σ_r L̄_r L_r b, f_∇k gains 2κ_k ∇_k b and f_{L_r} = L̄_r b.
    /// <paramref name="adjoint"/> must not alias <paramref name="yBar"/> or <paramref name="b"/>.
    /// </summary>
    private void ProductAdjoint<TL, TVec>(Span<double> yBar, Span<double> b, Span<double> adjoint, double sign, bool accumulate)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = Dimension, stride = _stride, lapAt = _laplacian * stride, timeAt = (d + 1) * stride, weighted = WeightedLaplacians; // the 8 padding values pass too
        bool time = HasTime;
        TVec two = TL.Broadcast(2), signs = TL.Broadcast(sign);
        for (int j = 0; j < stride; j += TL.Count)
        {
            TVec b0 = TL.Load(ref b[j]), lapBar = TL.Load(ref yBar[lapAt + j]);
            TVec twoLapBar = TL.Multiply(two, lapBar);
            TVec f0 = TL.MultiplyAdd(TL.Load(ref yBar[j]), b0, TL.Multiply(lapBar, TL.Load(ref b[lapAt + j])));
            for (int k = 1; k <= d; k++)
            {
                TVec gBar = TL.Load(ref yBar[(k * stride) + j]), bk = TL.Load(ref b[(k * stride) + j]);
                f0 = TL.MultiplyAdd(gBar, bk, f0);
                TVec twoKappa = twoLapBar;
                for (int r = 0; r < weighted; r++)
                {
                    double c = _directions[(r * d) + k - 1];
                    if (c != 0)
                    {
                        twoKappa = TL.MultiplyAdd(TL.Broadcast(2 * c), TL.Load(ref yBar[((_firstWeighted + r) * stride) + j]), twoKappa);
                    }
                }

                Put(TL.MultiplyAdd(gBar, b0, TL.Multiply(twoKappa, bk)), ref adjoint[(k * stride) + j]);
            }

            for (int r = 0; r < weighted; r++)
            {
                int at = ((_firstWeighted + r) * stride) + j;
                TVec weightedBar = TL.Load(ref yBar[at]);
                f0 = TL.MultiplyAdd(weightedBar, TL.Load(ref b[at]), f0);
                Put(TL.Multiply(weightedBar, b0), ref adjoint[at]);
            }

            if (time)
            {
                TVec tBar = TL.Load(ref yBar[timeAt + j]);
                f0 = TL.MultiplyAdd(tBar, TL.Load(ref b[timeAt + j]), f0);
                Put(TL.Multiply(tBar, b0), ref adjoint[timeAt + j]);
            }

            Put(TL.Multiply(lapBar, b0), ref adjoint[lapAt + j]);
            Put(f0, ref adjoint[j]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        void Put(TVec v, ref double destination)
            => TL.Store(accumulate ? TL.MultiplyAdd(signs, v, TL.Load(ref destination)) : TL.Multiply(signs, v), ref destination);
    }

    /// <summary>
    /// Through h = tanh a (s = 1 − h², σ'' = −2hs, σ''' = s(4h² − 2s)), in place from H̄ = (h̄, ḡ, τ̄, L̄) to Ā, with the
    /// activation record (h, ∇a, ∂t a, Δa): Δā = sL̄, ∇ā_k = sḡ_k + 2σ''L̄∇_k a, ∂t ā = sτ̄,
    /// ā = sh̄ + σ''(Σ_k ḡ_k ∇_k a + τ̄ ∂t a) + L̄(σ''Δa + σ'''|∇a|²).
    /// </summary>
    private void TanhAdjoint<TL, TVec>(Span<double> record, Span<double> bar)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        TanhJetAdjoint<TL, TVec>(record, bar, bar, _stride, Dimension, HasTime);
        if (WeightedLaplacians > 0)
        {
            WeightedLaplacianJetAdjoint<TL, TVec>(record, bar, bar, _stride, Dimension, _directions, _firstWeighted);
        }
    }
}
