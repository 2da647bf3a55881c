using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Numerics;

public static partial class SimdMath
{
    /// <summary>Hyperbolic tangent: exactly <see cref="Math.Tanh(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Tanh(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>Hyperbolic tangent per lane: −m/(2 + m), m = expm1(−2|x|) from an own exp core (one path for all x, one division). Max error vs <see cref="Math.Tanh(double)"/> 3 ulp measured over 8.7·10⁵ lanes on Linux x64 (contract ≤ 4 ulp; specs/networks.md); tanh(±∞) = ±1, tanh(±0) = ±0, tiny x → x, |x| ≥ 19.1 → ±1, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is tanh(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Tanh(Vector128<double> x) => SimdKernels<Vector128<double>, Simd128Ops>.Tanh(x);

    /// <summary>Hyperbolic tangent per lane: −m/(2 + m), m = expm1(−2|x|) from an own exp core (one path for all x, one division). Max error vs <see cref="Math.Tanh(double)"/> 3 ulp measured over 8.7·10⁵ lanes on Linux x64 (contract ≤ 4 ulp; specs/networks.md); tanh(±∞) = ±1, tanh(±0) = ±0, tiny x → x, |x| ≥ 19.1 → ±1, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is tanh(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x) => SimdKernels<Vector256<double>, Simd256Ops>.Tanh(x);

    /// <summary>Hyperbolic tangent per lane: −m/(2 + m), m = expm1(−2|x|) from an own exp core (one path for all x, one division). Max error vs <see cref="Math.Tanh(double)"/> 3 ulp measured over 8.7·10⁵ lanes on Linux x64 (contract ≤ 4 ulp; specs/networks.md); tanh(±∞) = ±1, tanh(±0) = ±0, tiny x → x, |x| ≥ 19.1 → ±1, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is tanh(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x) => SimdKernels<Vector512<double>, Simd512Ops>.Tanh(x);

    /// <summary>Arctangent: exactly <see cref="Math.Atan(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Atan(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Atan(double x) => Math.Atan(x);

    /// <summary>Arctangent per lane: Cephes <c>atan.c</c> (reduction to |t| ≤ 0.66, rational in t²). Max relative error vs <see cref="Math.Atan(double)"/> ≈ 2.2e-16 measured; atan(±∞) = ±π/2.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is atan(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Atan(Vector128<double> x) => SimdKernels<Vector128<double>, Simd128Ops>.Atan(x);

    /// <summary>Arctangent per lane: Cephes <c>atan.c</c> (reduction to |t| ≤ 0.66, rational in t²). Max relative error vs <see cref="Math.Atan(double)"/> ≈ 2.2e-16 measured; atan(±∞) = ±π/2.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is atan(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Atan(Vector256<double> x) => SimdKernels<Vector256<double>, Simd256Ops>.Atan(x);

    /// <summary>Arctangent per lane: Cephes <c>atan.c</c> (reduction to |t| ≤ 0.66, rational in t²). Max relative error vs <see cref="Math.Atan(double)"/> ≈ 2.2e-16 measured; atan(±∞) = ±π/2.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is atan(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Atan(Vector512<double> x) => SimdKernels<Vector512<double>, Simd512Ops>.Atan(x);

    /// <summary>Arccosine: exactly <see cref="Math.Acos(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Acos(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Acos(double x) => Math.Acos(x);

    /// <summary>Arccosine per lane: fdlibm <c>e_acos.c</c> (π/2 − asin x, 2·asin √((1−x)/2), π − 2·asin √((1+x)/2)). Max relative error vs <see cref="Math.Acos(double)"/> ≈ 2.2e-16 measured; NaN outside [−1, 1].</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is acos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Acos(Vector128<double> x) => SimdKernels<Vector128<double>, Simd128Ops>.Acos(x);

    /// <summary>Arccosine per lane: fdlibm <c>e_acos.c</c> (π/2 − asin x, 2·asin √((1−x)/2), π − 2·asin √((1+x)/2)). Max relative error vs <see cref="Math.Acos(double)"/> ≈ 2.2e-16 measured; NaN outside [−1, 1].</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is acos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Acos(Vector256<double> x) => SimdKernels<Vector256<double>, Simd256Ops>.Acos(x);

    /// <summary>Arccosine per lane: fdlibm <c>e_acos.c</c> (π/2 − asin x, 2·asin √((1−x)/2), π − 2·asin √((1+x)/2)). Max relative error vs <see cref="Math.Acos(double)"/> ≈ 2.2e-16 measured; NaN outside [−1, 1].</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is acos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Acos(Vector512<double> x) => SimdKernels<Vector512<double>, Simd512Ops>.Acos(x);

    /// <summary>x raised to y: exactly <see cref="Math.Pow(double, double)"/> (the reference semantics).</summary>
    /// <param name="x">The first argument.</param>
    /// <param name="y">The second argument.</param>
    /// <returns><c>Math.Pow(x, y)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Pow(double x, double y) => Math.Pow(x, y);

    /// <summary>x raised to y per lane: exp(y·ln|x|) with ln|x| and the product carried in double-double, so the error does not grow with |y·ln x| (max relative error vs <see cref="Math.Pow(double, double)"/> ≈ 6e-16 measured, ≲ 1e-15 wherever the result is a normal double; subnormal results to 1e-300 absolute). Special cases as Math.Pow: x^±0 = 1 and 1^y = 1 (even for NaN), negative x with an odd integer y gives a negative result, with a non-integer y gives NaN, 0^y &gt; 0 = 0, 0^y &lt; 0 = ∞.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is pow(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow(Vector128<double> x, Vector128<double> y) => SimdKernels<Vector128<double>, Simd128Ops>.Pow(x, y);

    /// <summary>x raised to y per lane: exp(y·ln|x|) with ln|x| and the product carried in double-double, so the error does not grow with |y·ln x| (max relative error vs <see cref="Math.Pow(double, double)"/> ≈ 6e-16 measured, ≲ 1e-15 wherever the result is a normal double; subnormal results to 1e-300 absolute). Special cases as Math.Pow: x^±0 = 1 and 1^y = 1 (even for NaN), negative x with an odd integer y gives a negative result, with a non-integer y gives NaN, 0^y &gt; 0 = 0, 0^y &lt; 0 = ∞.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is pow(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow(Vector256<double> x, Vector256<double> y) => SimdKernels<Vector256<double>, Simd256Ops>.Pow(x, y);

    /// <summary>x raised to y per lane: exp(y·ln|x|) with ln|x| and the product carried in double-double, so the error does not grow with |y·ln x| (max relative error vs <see cref="Math.Pow(double, double)"/> ≈ 6e-16 measured, ≲ 1e-15 wherever the result is a normal double; subnormal results to 1e-300 absolute). Special cases as Math.Pow: x^±0 = 1 and 1^y = 1 (even for NaN), negative x with an odd integer y gives a negative result, with a non-integer y gives NaN, 0^y &gt; 0 = 0, 0^y &lt; 0 = ∞.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is pow(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Pow(Vector512<double> x, Vector512<double> y) => SimdKernels<Vector512<double>, Simd512Ops>.Pow(x, y);
}
