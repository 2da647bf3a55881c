using System.Runtime.CompilerServices;

namespace MeanField.Numerics;

internal static partial class SimdKernels<TV, TOps>
    where TV : struct
    where TOps : struct, ISimdOps<TV>
{
    private const double Ln2Hi = 6.93147180369123816490e-01; // low bits zero: k·Ln2Hi is exact for |k| < 2^11
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>
    /// ln|x| as an unevaluated sum hi + lo with |error| ≲ 2^-60·|ln x| (fdlibm e_log.c reduction, extra-precise
    /// 2s term). Garbage for x = 0, ±∞, NaN: the caller overrides those lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogExtended(TV ax, out TV lo)
    {
        // Subnormals: scale by 2^52 so the exponent field is meaningful.
        TV tiny = TOps.Lt(ax, C(2.2250738585072014e-308));
        ax = Sel(tiny, Mul(ax, C(SimdConstants.TwoPow52)), ax);
        TV k = Sub(Sub(TOps.BiasedExponent(ax), C(1023.0)), And(tiny, C(52.0)));
        TV m = Or(And(ax, Bits(0x000FFFFFFFFFFFFFUL)), C(1.0)); // m ∈ [1, 2)
        TV big = TOps.Gt(m, C(1.41421356237309504880));
        m = Sel(big, Mul(m, C(0.5)), m); // m ∈ [√½, √2)
        k = Add(k, And(big, C(1.0)));

        // log1p(f) = 2s + s·R(s²), s = f/(2+f), |s| ≤ 0.1716; s = sHi + sLo to ~2^-106.
        TV f = Sub(m, C(1.0)); // exact
        TV u = Add(C(2.0), f);
        TV uLo = Add(Sub(C(2.0), u), f); // exact: 2 + f = u + uLo
        TV sHi = Div(f, u);
        TV sLo = Div(Sub(Fma(Neg(sHi), u, f), Mul(sHi, uLo)), u);
        TV z = Mul(sHi, sHi);
        TV w = Mul(z, z);
        TV t1 = Mul(w, Fma(Fma(C(1.531383769920937332e-01), w, C(2.222219843214978396e-01)), w, C(3.999999999940941908e-01)));
        TV t2 = Mul(z, Fma(Fma(Fma(C(1.479819860511658591e-01), w, C(1.818357216161805012e-01)), w,
            C(2.857142874366239149e-01)), w, C(6.666666666666735130e-01)));
        TV r = Add(t1, t2);

        // k·ln2Hi + 2sHi (both exact) by two-sum, the small terms added to the error word, then renormalised.
        TV a = Mul(k, C(Ln2Hi));
        TV b = Add(sHi, sHi);
        TV hi = Add(a, b);
        TV bb = Sub(hi, a);
        TV err = Add(Sub(a, Sub(hi, bb)), Sub(b, bb));
        TV small = Add(err, Fma(k, C(Ln2Lo), Fma(sHi, r, Add(sLo, sLo))));
        TV sum = Add(hi, small);
        lo = Sub(small, Sub(sum, hi));
        return sum;
    }

    /// <summary>pow with Math.Pow's special cases; error ≈ exp error + ~2^-60·|y·ln x| relative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Pow(TV x, TV y)
    {
        TV ax = TOps.Abs(x);
        TV lnHi = LogExtended(ax, out TV lnLo);

        // y·ln|x| = pHi + pLo up to the error of ln; pLo dropped where pHi is huge/∞/NaN (it would be NaN there).
        TV pHi = Mul(y, lnHi);
        TV pLo = Add(Fma(y, lnHi, Neg(pHi)), Mul(y, lnLo));
        pLo = Sel(TOps.Lt(TOps.Abs(pHi), C(1000.0)), pLo, C(0.0));
        TV e = Exp(pHi);
        TV inf = C(double.PositiveInfinity);
        TV result = Sel(TOps.Eq(e, inf), e, Fma(e, pLo, e)); // e·(1 + pLo); ∞·0 would be NaN

        // x = ±0 or ±∞: magnitude ∞ if (|x| = ∞) == (y > 0), else 0.
        TV axInf = TOps.Eq(ax, inf);
        TV zeroOrInf = Or(TOps.Eq(ax, C(0.0)), axInf);
        result = Sel(zeroOrInf, Sel(TOps.Xor(axInf, TOps.Gt(y, C(0.0))), C(0.0), inf), result);

        // Sign: negative x (including −0, −∞) with an odd integer y. |y| ≥ 2^53 and ±∞ count as even.
        TV yInt = TOps.Eq(TOps.Floor(y), y);
        TV yHalf = Mul(y, C(0.5));
        TV yOdd = TOps.AndNot(yInt, TOps.Eq(TOps.Floor(yHalf), yHalf));
        result = Or(result, And(And(x, yOdd), C(SignBit)));

        // Finite negative x with non-integer y: NaN. NaN in either argument: NaN.
        TV negFinite = And(TOps.Lt(x, C(0.0)), TOps.Gt(x, C(double.NegativeInfinity)));
        TV nanLanes = Or(TOps.AndNot(negFinite, yInt), Or(TOps.IsNaN(x), TOps.IsNaN(y)));
        result = Sel(nanLanes, C(double.NaN), result);

        // Exactly 1: y = ±0 (any x, even NaN), x = 1 (any y, even NaN), x = −1 with y = ±∞.
        TV one = C(1.0);
        TV isOne = Or(Or(TOps.Eq(y, C(0.0)), TOps.Eq(x, one)), And(TOps.Eq(ax, one), TOps.Eq(TOps.Abs(y), inf)));
        return Sel(isOne, one, result);
    }
}
