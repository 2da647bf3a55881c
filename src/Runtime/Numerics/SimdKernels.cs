using System.Runtime.CompilerServices;

namespace MeanField.Numerics;

/// <summary>
/// Width-generic kernels for the elementary functions that have no BCL vector implementation as of .NET 10
/// (<c>Vector128/256/512</c> offer Exp, Log, Sin, Cos, Sqrt, Abs, Max and Min for double, but no Tanh, Atan, Acos
/// or Pow). Every kernel is branch-free: all paths are evaluated and merged per lane with masks.
/// <list type="bullet">
/// <item><description>Tanh: Cephes <c>tanh.c</c> — odd rational x + x³P(x²)/Q(x²) for |x| &lt; 0.625,
/// (1 − e^{−2|x|})/(1 + e^{−2|x|}) above (exp underflow gives exactly 1), one division shared by both regimes, sign restored from x.</description></item>
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

    /// <summary>tanh, Cephes tanh.c (small |x|), (1 − e^{−2|x|})/(1 + e^{−2|x|}) above; one exp and one division per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x)
    {
        TV sign = And(x, C(SignBit));
        TV z = TOps.Abs(x);
        TV isSmall = TOps.Lt(z, C(0.625));

        // |x| < 0.625: tanh z = z + z·s·P(s)/Q(s), s = z².
        TV s = Mul(z, z);
        TV p = Fma(Fma(C(-9.64399179425052238628E-1), s, C(-9.92877231001918586564E1)), s, C(-1.61468768441708447952E3));
        TV q = Fma(Fma(Add(s, C(1.12811678491632931402E2)), s, C(2.23548839060100448583E3)), s, C(4.84406305325125486048E3));

        // |x| ≥ 0.625: tanh z = (1 − e)/(1 + e), e = e^{−2z} ∈ [0, 0.287]: no cancellation; e underflows to 0 for large z
        // (exactly 1, also for z = ∞), NaN stays NaN.
        TV e = ExpNonPositive(Mul(z, C(-2.0)));

        // One division for both regimes: P/Q where small, (1 − e)/(1 + e) elsewhere.
        TV r = Div(Sel(isSmall, p, Sub(C(1.0), e)), Sel(isSmall, q, Add(C(1.0), e)));
        return Or(Sel(isSmall, Fma(Mul(z, s), r, z), r), sign);
    }

    /// <summary>
    /// e^x for x ≤ 0 (or NaN), the exp that Tanh needs, cheaper than the BCL's general one: x = n·ln2 + r, |r| ≤ ln2/2
    /// (n by the 1.5·2^52 rounding shift, ln2 in two parts), e^r by its degree-12 Taylor polynomial split into even and odd
    /// halves in r² (two short FMA chains; truncation ≤ 2e-16 relative), times 2^n built in the exponent bits.
    /// x &lt; −708 (result below the normal range, incl. −∞) gives 0; NaN stays NaN. Max relative error ≈ 5e-16 measured.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpNonPositive(TV x)
    {
        TV kd = Fma(x, C(1.4426950408889634), C(SimdConstants.RoundShift)); // n = round(x/ln2) in the low bits
        TV n = Sub(kd, C(SimdConstants.RoundShift));
        TV r = Fma(n, C(-6.93147180369123816490e-01), x); // ln2 hi (exact n·ln2hi for |n| < 2^21)
        r = Fma(n, C(-1.90821492927058770002e-10), r); // ln2 lo
        TV r2 = Mul(r, r);
        TV even = Fma(Fma(Fma(Fma(Fma(Fma(C(1.0 / 479001600), r2, C(1.0 / 3628800)), r2, C(1.0 / 40320)),
            r2, C(1.0 / 720)), r2, C(1.0 / 24)), r2, C(0.5)), r2, C(1.0));
        TV odd = Fma(Fma(Fma(Fma(Fma(C(1.0 / 39916800), r2, C(1.0 / 362880)), r2, C(1.0 / 5040)),
            r2, C(1.0 / 120)), r2, C(1.0 / 6)), r2, C(1.0));
        TV result = Mul(Fma(odd, r, even), TOps.Pow2FromShifted(kd));
        return Sel(TOps.Lt(x, C(-708.0)), C(0.0), result);
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

    /// <summary>fdlibm's asin rational: asin(s) = s + s·R(z), z = s², for z ≤ 1/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AsinR(TV z)
    {
        TV p = Mul(z, Fma(Fma(Fma(Fma(Fma(C(3.47933107596021167570e-05), z, C(7.91534994289814532176e-04)),
            z, C(-4.00555345006794114027e-02)), z, C(2.01212532134862925881e-01)), z, C(-3.25565818622400915405e-01)),
            z, C(1.66666666666666657415e-01)));
        TV q = Fma(Fma(Fma(Fma(C(7.70381505559019352791e-02), z, C(-6.88283971605453293030e-01)),
            z, C(2.02094576023350569471e+00)), z, C(-2.40339491173441421878e+00)), z, C(1.0));
        return Div(p, q);
    }

    /// <summary>acos, fdlibm e_acos.c; NaN outside [−1, 1] (via √ of a negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Acos(TV x)
    {
        TV ax = TOps.Abs(x);
        TV central = Or(TOps.Lt(ax, C(0.5)), TOps.Eq(ax, C(0.5)));
        TV z = Sel(central, Mul(x, x), Mul(Sub(C(1.0), ax), C(0.5))); // NaN or negative outside [−1, 1]
        TV r = AsinR(z);
        TV s = TOps.Sqrt(z);

        TV mid = Sub(C(PiOver2Hi), Sub(x, Sub(C(PiOver2Lo), Mul(x, r))));
        TV neg = Mul(C(2.0), Sub(C(PiOver2Hi), Add(s, Sub(Mul(r, s), C(PiOver2Lo)))));
        TV pos = Mul(C(2.0), Fma(s, r, s));

        return Sel(central, mid, Sel(TOps.Lt(x, C(0.0)), neg, pos));
    }
}
