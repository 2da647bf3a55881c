using System.Runtime.CompilerServices;

namespace MeanField.Numerics;

/// <summary>
/// Width-generic kernels for the elementary functions that have no BCL vector implementation as of .NET 10
/// (<c>Vector128/256/512</c> offer Exp, Log, Sin, Cos, Sqrt, Abs, Max and Min for double, but no Tanh, Atan, Acos,
/// Pow, Softplus or Logistic). Every kernel is branch-free: all paths are evaluated and merged per lane with masks.
/// <list type="bullet">
/// <item><description>Tanh: −m/(2 + m) with m = expm1(−2|x|) from one exp core (reduction by n·ln2, degree-10 fit
/// of expm1 on |r| ≤ ln2/2), one division, sign copied from x.</description></item>
/// <item><description>Logistic and Softplus (no BCL counterpart): the same exp core on −|x|, so nothing overflows,
/// plus fdlibm's log1p for softplus.</description></item>
/// <item><description>Atan: Cephes <c>atan.c</c> — reduction to |t| ≤ 0.66 via t = −1/|x| (|x| &gt; tan 3π/8) or
/// t = (|x| − 1)/(|x| + 1) (|x| &gt; 0.66), then the degree 4/5 rational in t², with the π/2, π/4 tail bits.</description></item>
/// <item><description>Acos: fdlibm <c>e_acos.c</c> — π/2 − asin(x) for |x| ≤ 0.5, 2·asin(√((1−x)/2)) for x &gt; 0.5,
/// π − 2·asin(√((1+x)/2)) for x &lt; −0.5, asin from fdlibm's rational R(z) on z ≤ 1/4.</description></item>
/// <item><description>Pow: |x|^y = exp(y·ln|x|) with ln|x| in double-double (fdlibm <c>e_log.c</c> reduction
/// x = 2^k·m, m ∈ [√½, √2), log1p(f) = 2s + s·R(s²), s = f/(2+f), the 2s term and k·ln2 carried exactly), the product
/// y·ln|x| split hi + lo with an FMA, and exp(hi)·(1 + lo); then the C99/IEEE special cases that Math.Pow follows.</description></item>
/// </list>
/// </summary>
internal static partial class SimdKernels<TV, TOps>
    where TV : struct
    where TOps : struct, ISimdOps<TV>
{
    private const double SignBit = -0.0; // as a bit mask: only the sign bit set
    private const double PiOver2Hi = 1.57079632679489655800e+00;
    private const double PiOver2Lo = 6.12323399573676603587e-17;
    private const double PiOver4 = 7.85398163397448309616e-01;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV C(double v) => TOps.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Bits(ulong v) => TOps.Create(BitConverter.UInt64BitsToDouble(v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Add(TV a, TV b) => TOps.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Sub(TV a, TV b) => TOps.Sub(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Mul(TV a, TV b) => TOps.Mul(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Div(TV a, TV b) => TOps.Div(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV And(TV a, TV b) => TOps.And(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Or(TV a, TV b) => TOps.Or(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Fma(TV a, TV b, TV c) => TOps.Fma(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Sel(TV mask, TV whenTrue, TV whenFalse) => TOps.Select(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static TV Neg(TV a) => TOps.Xor(a, C(SignBit));

    /// <summary>
    /// tanh x = sign(x)·(−m)/(2 + m), m = expm1(−2|x|) ∈ [−1, 0]: one code path for every |x| (no cancellation: m is
    /// computed directly, not as e − 1), one division (denominator in [1, 2]). On this Zen 5 CPU <c>vdivpd</c> beat
    /// <c>rcp14</c> + Newton + remainder correction (0.49 vs 0.60 ns per element at 512 bits): the kernel is latency-bound
    /// and the division has the shorter latency, so there is no reciprocal path.
    /// −2|x| is clamped at −40 (tanh = 1 to double precision beyond |x| ≈ 19.06; also ±∞), NaN passes the clamp.
    /// The sign is copied from x with one bitwise select, so ±0 → ±0 and tiny x → x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x)
    {
        // u = −2|x| ≥ −40; kd from −|x| directly (one op shorter than from u); NaN passes MaxNative(c, NaN).
        TV nz = TOps.MaxNative(C(-20.0), Or(x, C(SignBit)));
        TV kd = Fma(nz, C(2.0 * 1.4426950408889634), C(SimdConstants.RoundShift));
        TV p = ExpCore(Add(nz, nz), kd, kd, preciseLn2: false, out TV scale);
        TV m = Fma(scale, p, Sub(scale, C(1.0))); // expm1(u) = 2^n·expm1(r) + (2^n − 1), 2^n − 1 exact for n ≥ −53
        TV t = Div(m, Sub(C(-2.0), m));
        return Sel(C(SignBit), x, t);
    }

    /// <summary>
    /// logistic x = 1/(1 + e^{−x}) as 1/(1 + e) for x ≥ 0 and e/(1 + e) for x &lt; 0, e = e^{−|x|} ∈ (0, 1]: never
    /// overflows, the denominator is in [1, 2]. x &lt; ln 2^-1022 ≈ −708.4 (result below the normal range, &lt; 2.3e-308)
    /// gives +0; ±∞ give 1 and 0; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Logistic(TV x)
    {
        TV e = ExpNonPositive(Neg(TOps.Abs(x)));
        return Div(Sel(TOps.Lt(x, C(0.0)), e, C(1.0)), Add(C(1.0), e));
    }

    /// <summary>
    /// softplus x = log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}): never overflows; log1p(e) for e ∈ (0, 1] by fdlibm's
    /// s_log1p.c with an exact reduction (f = e for e ≤ √2 − 1, f = (e − 1)/2 and k = 1 above, both exact), so the
    /// argument carries no rounding error. x &lt; −708.4 gives +0 (true value &lt; 2.3e-308); +∞ → +∞, −∞ → 0, NaN → NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Softplus(TV x)
    {
        TV e = ExpNonPositive(Neg(TOps.Abs(x)));
        TV big = TOps.Gt(e, C(0.41421356237309503)); // √2 − 1
        TV f = Sel(big, Fma(e, C(0.5), C(-0.5)), e); // exact
        TV hfsq = Mul(Mul(f, f), C(0.5));
        TV s = Div(f, Add(C(2.0), f));
        TV r = Log1pR(Mul(s, s));
        TV log1p = Add(And(big, C(Ln2Hi)), Sub(f, Sub(hfsq, Fma(s, Add(hfsq, r), And(big, C(Ln2Lo))))));
        return Add(TOps.MaxNative(C(0.0), x), log1p);
    }

    /// <summary>fdlibm's log1p/log remainder R(z) = z·(Lg1 + Lg2·z + … + Lg7·z⁶), z = s², by Estrin's scheme.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Log1pR(TV z)
    {
        TV z2 = Mul(z, z);
        TV z4 = Mul(z2, z2);
        TV a = Fma(C(3.999999999940941908e-01), z, C(6.666666666666735130e-01));
        TV b = Fma(C(2.222219843214978396e-01), z, C(2.857142874366239149e-01));
        TV c = Fma(C(1.531383769920937332e-01), z, C(1.818357216161805012e-01));
        TV hi = Fma(C(1.479819860511658591e-01), z2, c);
        return Mul(z, Fma(hi, z4, Fma(b, z2, a)));
    }

    /// <summary>
    /// The shared exp core: for u = n·ln2 + r, |r| ≤ ln2/2, with kd = n + 1.5·2^52 (n = round(u/ln2) by the rounding
    /// shift), returns expm1(r) and writes 2^m to <paramref name="scale"/> for scaleKd = m + 1.5·2^52 (m in
    /// [−1022, 1023]; usually scaleKd = kd). expm1(r) = r + r²·Q(r), Q the degree-10 Chebyshev fit of (e^r − 1 − r)/r²
    /// (|error| ≤ 2.6e-18 with the coefficients rounded to double, mpmath.chebyfit), evaluated by Estrin's scheme (depth
    /// 4 instead of Horner's 10: these kernels are latency-bound). Then e^u = 2^n·(1 + p) and expm1(u) = 2^n·p + (2^n − 1),
    /// each one FMA. With <paramref name="preciseLn2"/> the reduction uses ln2 in two parts (r good to ~2^-60·|u|);
    /// without, one FMA with ln2 rounded to double: r is then off by up to |n|·2.3e-17, harmless where the result is
    /// scaled by 2^n anyway (tanh: ≤ 1.2e-17 absolute in expm1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpCore(TV u, TV kd, TV scaleKd, bool preciseLn2, out TV scale)
    {
        TV n = Sub(kd, C(SimdConstants.RoundShift));
        TV r;
        if (preciseLn2)
        {
            r = Fma(n, C(-Ln2Hi), u); // exact n·ln2hi for |n| < 2^11
            r = Fma(n, C(-Ln2Lo), r);
        }
        else
        {
            r = Fma(n, C(-0.6931471805599453), u);
        }

        // Estrin's scheme (depth 4 instead of Horner's 10: the kernels are latency-bound, not throughput-bound).
        TV r2 = Mul(r, r);
        TV r4 = Mul(r2, r2);
        TV q01 = Fma(C(1.666666666666667e-01), r, C(0.5));
        TV q23 = Fma(C(8.333333333326141e-03), r, C(4.166666666666667e-02));
        TV q45 = Fma(C(1.9841269874800493e-04), r, C(1.3888888888883752e-03));
        TV q67 = Fma(C(2.7557255425746435e-06), r, C(2.4801587325533363e-05));
        TV q89 = Fma(C(2.510520637395701e-08), r, C(2.7557273661348637e-07));
        TV q03 = Fma(q23, r2, q01);
        TV q47 = Fma(q67, r2, q45);
        TV q810 = Fma(C(2.0914679376583935e-09), r2, q89);
        TV q = Fma(Fma(q810, r4, q47), r4, q03);
        scale = TOps.Pow2FromShifted(scaleKd);
        return Fma(r2, q, r);
    }

    /// <summary>
    /// e^x over the whole double range by <see cref="ExpCore"/>: x clamped to [−746, 710] (NaN
    /// passes; beyond, the result is 0 or ∞ anyway), n = round(x/ln2) ∈ [−1076, 1024], and 2^n applied as
    /// 2^(n ± 100)·2^(∓100) so both factors are normal: exact scaling for normal results, one extra rounding only for
    /// subnormal ones, overflow to +∞ above ln(MaxValue).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x)
    {
        TV u = TOps.MinNative(C(710.0), TOps.MaxNative(C(-746.0), x));
        TV kd = Fma(u, C(1.4426950408889634), C(SimdConstants.RoundShift));
        TV negative = TOps.Lt(u, C(0.0));
        TV p = ExpCore(u, kd, Add(kd, Sel(negative, C(100.0), C(-100.0))), preciseLn2: true, out TV scale);
        return Mul(Fma(scale, p, scale), Sel(negative, C(7.888609052210118e-31), C(1.2676506002282294e30))); // 2^∓100
    }

    /// <summary>e^u for u ≤ 0 (or NaN) by <see cref="ExpCore"/>; u &lt; ln 2^-1022 ≈ −708.4 (result below the normal
    /// range, incl. −∞) gives 0; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpNonPositive(TV u)
    {
        TV kd = Fma(u, C(1.4426950408889634), C(SimdConstants.RoundShift));
        TV p = ExpCore(u, kd, kd, preciseLn2: true, out TV scale);
        return Sel(TOps.Lt(u, C(-708.39641853226408)), C(0.0), Fma(scale, p, scale));
    }

    /// <summary>atan, Cephes atan.c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Atan(TV x)
    {
        TV sign = And(x, C(SignBit));
        TV z = TOps.Abs(x);

        TV big = TOps.Gt(z, C(2.41421356237309504880)); // tan(3π/8)
        TV mid = TOps.AndNot(TOps.Gt(z, C(0.66)), big);

        TV t = Sel(big, Div(C(-1.0), z), Sel(mid, Div(Sub(z, C(1.0)), Add(z, C(1.0))), z));
        TV y0 = Sel(big, C(PiOver2Hi), Sel(mid, C(PiOver4), C(0.0)));
        TV tail = Sel(big, C(PiOver2Lo), Sel(mid, C(0.5 * PiOver2Lo), C(0.0)));

        TV w = Mul(t, t);
        TV p = Fma(Fma(Fma(Fma(C(-8.750608600031904122785E-1), w, C(-1.615753718733365076637E1)),
            w, C(-7.500855792314704667340E1)), w, C(-1.228866684490136173410E2)), w, C(-6.485021904942025371773E1));
        TV q = Fma(Fma(Fma(Fma(Add(w, C(2.485846490142306297962E1)), w, C(1.650270098316988542046E2)),
            w, C(4.328810604912902668951E2)), w, C(4.853903996359136964868E2)), w, C(1.945506571482613964425E2));
        TV r = Fma(t, Div(Mul(w, p), q), t);

        return Or(Add(y0, Add(r, tail)), sign);
    }

    /// <summary>
    /// fdlibm's asin rational: asin(s) = s + s·R(z), z = s², for z ≤ 1/4; fdlibm's coefficients, its numerator and
    /// denominator each evaluated by Estrin's scheme (pairs of terms, then powers z² and z⁴) rather than Horner's: the
    /// chain from z to R is 3 dependent FMAs and the division instead of 5, which is what bounds the arc-cosine
    /// kernel's strip (its rows overlap only as far as the core's scheduler reaches).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AsinR(TV z)
    {
        TV z2 = Mul(z, z);
        TV p = Mul(z, Fma(Fma(Fma(C(3.47933107596021167570e-05), z, C(7.91534994289814532176e-04)), z2,
            Fma(C(-4.00555345006794114027e-02), z, C(2.01212532134862925881e-01))), z2,
            Fma(C(-3.25565818622400915405e-01), z, C(1.66666666666666657415e-01))));
        TV q = Fma(Fma(C(7.70381505559019352791e-02), z2, Fma(C(-6.88283971605453293030e-01), z, C(2.02094576023350569471e+00))), z2,
            Fma(C(-2.40339491173441421878e+00), z, C(1.0)));
        return Div(p, q);
    }

    /// <summary>
    /// acos, fdlibm e_acos.c; NaN outside [−1, 1] (via √ of a negative). When every lane has |x| ≤ 0.5 (the usual case
    /// for the cosine of two random directions in more than a few dimensions) only the central formula is evaluated:
    /// no square root and no selects, and the same bits as the general path, which selects that formula for those lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Acos(TV x)
    {
        TV ax = TOps.Abs(x);
        if (TOps.AllLessOrEqual(ax, C(0.5)))
        {
            return AcosCentral(x, AsinR(Mul(x, x)));
        }

        TV central = Or(TOps.Lt(ax, C(0.5)), TOps.Eq(ax, C(0.5)));

        TV z = Sel(central, Mul(x, x), Mul(Sub(C(1.0), ax), C(0.5))); // NaN or negative outside [−1, 1]
        TV r = AsinR(z);
        TV s = TOps.Sqrt(z);

        TV mid = AcosCentral(x, r);
        TV neg = Mul(C(2.0), Sub(C(PiOver2Hi), Add(s, Sub(Mul(r, s), C(PiOver2Lo)))));
        TV pos = Mul(C(2.0), Fma(s, r, s));

        return Sel(central, mid, Sel(TOps.Lt(x, C(0.0)), neg, pos));
    }

    /// <summary>acos x = π/2 − (x + x·R(x²)) for |x| ≤ 0.5, r = R(x²) (<see cref="AsinR"/>), π/2 in two parts: the one
    /// formula both of <see cref="Acos"/>'s paths use, so they give the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AcosCentral(TV x, TV r) => Sub(C(PiOver2Hi), Sub(x, Sub(C(PiOver2Lo), Mul(x, r))));
}
