using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Numerics;

/// <summary>
/// Vectorised elementary functions for generated model code: one overload per width (double, Vector128, Vector256,
/// Vector512 of double) for every function, so generated code can call the same name at every width.
/// </summary>
/// <remarks>
/// <para>The <see cref="double"/> overloads call <see cref="Math"/> and define the reference semantics. Lane k of every
/// vector overload equals the scalar overload on lane k to within 1e-14 relative error (1e-300 absolute where the result
/// is subnormal), with the same results for ±0, ±∞ and NaN (NaN in gives NaN out).</para>
/// <para>Log, Sin, Cos, Sqrt, Abs, Max and Min forward to the BCL vector implementations (<c>Vector256.Log</c>
/// etc.). The BCL's vector Log, Sin and Cos do not give the same bits in every JIT tier: under
/// <c>DOTNET_JITMinOpts=1</c> against <c>DOTNET_TieredCompilation=0</c>, 188 of 34 000 gradient entries of the tests'
/// KitchenSinkNetwork at Vector256 differed by 1 ulp (their inner multiply–adds are fused in optimised code and not
/// in unoptimised code, as far as we can tell), so a result depended on whether the calling code had been tiered up yet —
/// found as a 1-ulp difference between two identical gradient calls on two threads (BlockedCacheTests). Their
/// wrappers here are therefore <c>AggressiveInlining | AggressiveOptimization</c>: optimised callers inline them as
/// before, and an unoptimised caller calls a body compiled optimised from the start, so every caller gets the bits of
/// optimised code. (<c>NoInlining</c> on top, the first version of this fix, cost a call per vector: Vector256 Log over
/// 4096 values 7.5 → 9.1 µs, Vector512 15.4 → 21.5 µs; with inlining kept 7.2 and 4.9 µs, ElementwiseBenchmarks.Ours*,
/// Zen 4.) Exp is an own kernel (faster and more accurate than the BCL's on AVX-512). Tanh, Atan, Acos, Pow, Softplus and
/// Logistic have no BCL vector implementation as of .NET 10, so they are implemented here as branch-free vector code
/// (see <see cref="SimdKernels{TV, TOps}"/>), shared across widths through a generic kernel the JIT specialises per
/// width. The ulp contracts (max error measured against the double overloads) are in specs/networks.md, "Accuracy of
/// the vector math".</para>
/// </remarks>
public static partial class SimdMath
{
    /// <summary>e raised to x: exactly <see cref="Math.Exp(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Exp(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x) => Math.Exp(x);

    /// <summary>e raised to x per lane: own kernel (reduction by n·ln2 in two parts, degree-10 fit, 2^n applied in two normal factors), faster than the BCL's <c>VectorN.Exp</c> on AVX-512 and more accurate (max 1 ulp vs <see cref="Math.Exp(double)"/> measured for normal results, BCL 2 ulp; subnormal results within one subnormal ulp); overflow to +∞ above ln(MaxValue) ≈ 709.78, 0 below −745.2, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is exp(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x) => SimdKernels<Vector128<double>, Simd128Ops>.Exp(x);

    /// <summary>e raised to x per lane: own kernel (reduction by n·ln2 in two parts, degree-10 fit, 2^n applied in two normal factors), faster than the BCL's <c>VectorN.Exp</c> on AVX-512 and more accurate (max 1 ulp vs <see cref="Math.Exp(double)"/> measured for normal results, BCL 2 ulp; subnormal results within one subnormal ulp); overflow to +∞ above ln(MaxValue) ≈ 709.78, 0 below −745.2, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is exp(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => SimdKernels<Vector256<double>, Simd256Ops>.Exp(x);

    /// <summary>e raised to x per lane: own kernel (reduction by n·ln2 in two parts, degree-10 fit, 2^n applied in two normal factors), faster than the BCL's <c>VectorN.Exp</c> on AVX-512 and more accurate (max 1 ulp vs <see cref="Math.Exp(double)"/> measured for normal results, BCL 2 ulp; subnormal results within one subnormal ulp); overflow to +∞ above ln(MaxValue) ≈ 709.78, 0 below −745.2, NaN → NaN.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is exp(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x) => SimdKernels<Vector512<double>, Simd512Ops>.Exp(x);

    /// <summary>Natural logarithm: exactly <see cref="Math.Log(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Log(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x) => Math.Log(x);

    /// <summary>Natural logarithm per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Log(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is log(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<double> Log(Vector128<double> x) => Vector128.Log(x);

    /// <summary>Natural logarithm per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Log(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is log(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Log(Vector256<double> x) => Vector256.Log(x);

    /// <summary>Natural logarithm per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Log(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is log(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Log(Vector512<double> x) => Vector512.Log(x);

    /// <summary>Square root: exactly <see cref="Math.Sqrt(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Sqrt(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double x) => Math.Sqrt(x);

    /// <summary>Square root per lane: correctly rounded, as <see cref="Math.Sqrt(double)"/>.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sqrt(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sqrt(Vector128<double> x) => Vector128.Sqrt(x);

    /// <summary>Square root per lane: correctly rounded, as <see cref="Math.Sqrt(double)"/>.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sqrt(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sqrt(Vector256<double> x) => Vector256.Sqrt(x);

    /// <summary>Square root per lane: correctly rounded, as <see cref="Math.Sqrt(double)"/>.</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sqrt(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sqrt(Vector512<double> x) => Vector512.Sqrt(x);

    /// <summary>Sine: exactly <see cref="Math.Sin(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Sin(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sin(double x) => Math.Sin(x);

    /// <summary>Sine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Sin(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sin(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<double> Sin(Vector128<double> x) => Vector128.Sin(x);

    /// <summary>Sine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Sin(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sin(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Sin(Vector256<double> x) => Vector256.Sin(x);

    /// <summary>Sine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Sin(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is sin(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Sin(Vector512<double> x) => Vector512.Sin(x);

    /// <summary>Cosine: exactly <see cref="Math.Cos(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Cos(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Cos(double x) => Math.Cos(x);

    /// <summary>Cosine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Cos(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is cos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector128<double> Cos(Vector128<double> x) => Vector128.Cos(x);

    /// <summary>Cosine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Cos(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is cos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<double> Cos(Vector256<double> x) => Vector256.Cos(x);

    /// <summary>Cosine per lane: the BCL vector implementation (.NET 9+); agrees with <see cref="Math.Cos(double)"/> to within a few ulp (tested to 1e-14 relative).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is cos(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<double> Cos(Vector512<double> x) => Vector512.Cos(x);
}
