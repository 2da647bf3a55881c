using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Numerics;

/// <summary>
/// The per-width primitives the generic kernels in <see cref="SimdKernels{TV, TOps}"/> are written in.
/// <c>System.Runtime.Intrinsics.ISimdVector</c> would serve but is internal to the BCL (and the reference assemblies
/// do not expose the generic-math operator interfaces on <c>Vector128/256/512</c>), so each width gets a tiny struct of
/// forwarding calls; the JIT specialises the kernels per struct and inlines everything.
/// Masks are vectors whose lanes are all-ones (true) or all-zeros (false), as the BCL comparisons return.
/// </summary>
internal interface ISimdOps<TV>
    where TV : struct
{
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    static abstract TV And(TV a, TV b);
    static abstract TV Or(TV a, TV b);
    static abstract TV Xor(TV a, TV b);
    /// <summary>a &amp; ~b.</summary>
    static abstract TV AndNot(TV a, TV b);
    static abstract TV Create(double value);
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Abs(TV x);
    static abstract TV Sqrt(TV x);
    static abstract TV Floor(TV x);
    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);
    static abstract TV Eq(TV a, TV b);
    static abstract TV Lt(TV a, TV b);
    static abstract TV Gt(TV a, TV b);
    static abstract TV IsNaN(TV x);

    /// <summary>Whether every lane of the mask is true (all-ones): for lane-uniform fast paths.</summary>
    static abstract bool All(TV mask);

    /// <summary>Whether a ≤ b in every lane (false where either is NaN): one compare and one mask test.</summary>
    static abstract bool AllLessOrEqual(TV a, TV b);

    /// <summary>max(a, b) per lane with the hardware's NaN rule (x86 <c>maxpd</c>: b when either lane is NaN), so
    /// <c>MaxNative(constant, x)</c> keeps a NaN x. One instruction, unlike the IEEE <c>Max</c>.</summary>
    static abstract TV MaxNative(TV a, TV b);

    /// <summary>min(a, b) per lane with the hardware's NaN rule (b when either lane is NaN), as <see cref="MaxNative"/>.</summary>
    static abstract TV MinNative(TV a, TV b);

    /// <summary>The 11-bit biased exponent field of each lane (x must have its sign bit clear), as a double.</summary>
    static abstract TV BiasedExponent(TV x);

    /// <summary>2^n per lane for kd = n + 1.5·2^52 (n an integer in [−1022, 1023] held in kd's low mantissa bits): the
    /// bits (kd &lt;&lt; 52) + bits(1.0).</summary>
    static abstract TV Pow2FromShifted(TV kd);
}

/// <summary><see cref="ISimdOps{TV}"/> for <see cref="Vector128{T}"/>.</summary>
internal readonly struct Simd128Ops : ISimdOps<Vector128<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Mul(Vector128<double> a, Vector128<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Div(Vector128<double> a, Vector128<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Or(Vector128<double> a, Vector128<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Xor(Vector128<double> a, Vector128<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AndNot(Vector128<double> a, Vector128<double> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Create(double value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Fma(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Abs(Vector128<double> x) => Vector128.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sqrt(Vector128<double> x) => Vector128.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Floor(Vector128<double> x) => Vector128.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Select(Vector128<double> mask, Vector128<double> whenTrue, Vector128<double> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Eq(Vector128<double> a, Vector128<double> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Lt(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Gt(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> IsNaN(Vector128<double> x) => Vector128.IsNaN(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector128<double> mask) => Vector128.EqualsAll(mask.AsUInt64(), Vector128<ulong>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MaxNative(Vector128<double> a, Vector128<double> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MinNative(Vector128<double> a, Vector128<double> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> BiasedExponent(Vector128<double> x) =>
        (Vector128.ShiftRightLogical(x.AsUInt64(), 52) | Vector128.Create(SimdConstants.TwoPow52Bits)).AsDouble()
        - Vector128.Create(SimdConstants.TwoPow52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Pow2FromShifted(Vector128<double> kd) =>
        (Vector128.ShiftLeft(kd.AsUInt64(), 52) + Vector128.Create(SimdConstants.OneBits)).AsDouble();
}

/// <summary><see cref="ISimdOps{TV}"/> for <see cref="Vector256{T}"/>.</summary>
internal readonly struct Simd256Ops : ISimdOps<Vector256<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Div(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Or(Vector256<double> a, Vector256<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Xor(Vector256<double> a, Vector256<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AndNot(Vector256<double> a, Vector256<double> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Create(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sqrt(Vector256<double> x) => Vector256.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Floor(Vector256<double> x) => Vector256.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whenTrue, Vector256<double> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Eq(Vector256<double> a, Vector256<double> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Lt(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Gt(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> IsNaN(Vector256<double> x) => Vector256.IsNaN(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector256<double> mask) => Vector256.EqualsAll(mask.AsUInt64(), Vector256<ulong>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MaxNative(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MinNative(Vector256<double> a, Vector256<double> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> BiasedExponent(Vector256<double> x) =>
        (Vector256.ShiftRightLogical(x.AsUInt64(), 52) | Vector256.Create(SimdConstants.TwoPow52Bits)).AsDouble()
        - Vector256.Create(SimdConstants.TwoPow52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Pow2FromShifted(Vector256<double> kd) =>
        (Vector256.ShiftLeft(kd.AsUInt64(), 52) + Vector256.Create(SimdConstants.OneBits)).AsDouble();
}

/// <summary><see cref="ISimdOps{TV}"/> for <see cref="Vector512{T}"/>.</summary>
internal readonly struct Simd512Ops : ISimdOps<Vector512<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Div(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Or(Vector512<double> a, Vector512<double> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Xor(Vector512<double> a, Vector512<double> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AndNot(Vector512<double> a, Vector512<double> b) => Vector512.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Create(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sqrt(Vector512<double> x) => Vector512.Sqrt(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Floor(Vector512<double> x) => Vector512.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<double> mask, Vector512<double> whenTrue, Vector512<double> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Eq(Vector512<double> a, Vector512<double> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Lt(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Gt(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> IsNaN(Vector512<double> x) => Vector512.IsNaN(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool All(Vector512<double> mask) => Vector512.EqualsAll(mask.AsUInt64(), Vector512<ulong>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllLessOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqualAll(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MaxNative(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MinNative(Vector512<double> a, Vector512<double> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> BiasedExponent(Vector512<double> x) =>
        (Vector512.ShiftRightLogical(x.AsUInt64(), 52) | Vector512.Create(SimdConstants.TwoPow52Bits)).AsDouble()
        - Vector512.Create(SimdConstants.TwoPow52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Pow2FromShifted(Vector512<double> kd) =>
        (Vector512.ShiftLeft(kd.AsUInt64(), 52) + Vector512.Create(SimdConstants.OneBits)).AsDouble();
}

/// <summary>Bit patterns shared by the kernels.</summary>
internal static class SimdConstants
{
    /// <summary>2^52; <c>(e | bits(2^52)) − 2^52</c> converts a small integer e held in the mantissa to a double.</summary>
    public const double TwoPow52 = 4503599627370496.0;
    public const ulong TwoPow52Bits = 0x4330000000000000UL;

    /// <summary>1.5·2^52: x + this rounds x to an integer n held in the low mantissa bits (|x| &lt; 2^51).</summary>
    public const double RoundShift = 6755399441055744.0;

    /// <summary>The bits of 1.0.</summary>
    public const ulong OneBits = 0x3FF0000000000000UL;
}
