using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Numerics;

public static partial class SimdMath
{
    /// <summary>Absolute value: exactly <see cref="Math.Abs(double)"/> (the reference semantics).</summary>
    /// <param name="x">The argument.</param>
    /// <returns><c>Math.Abs(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Abs(double x) => Math.Abs(x);

    /// <summary>Absolute value per lane: exact, as <see cref="Math.Abs(double)"/> (clears the sign bit; NaN stays NaN).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is abs(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Abs(Vector128<double> x) => Vector128.Abs(x);

    /// <summary>Absolute value per lane: exact, as <see cref="Math.Abs(double)"/> (clears the sign bit; NaN stays NaN).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is abs(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    /// <summary>Absolute value per lane: exact, as <see cref="Math.Abs(double)"/> (clears the sign bit; NaN stays NaN).</summary>
    /// <param name="x">The arguments.</param>
    /// <returns>Lane k is abs(x[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);

    /// <summary>Larger of two values: exactly <see cref="Math.Max(double, double)"/> (the reference semantics).</summary>
    /// <param name="x">The first argument.</param>
    /// <param name="y">The second argument.</param>
    /// <returns><c>Math.Max(x, y)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double x, double y) => Math.Max(x, y);

    /// <summary>Larger of two values per lane: the BCL vector Max (.NET 9+ IEEE 754:2019 maximum), which matches <see cref="Math.Max(double, double)"/>: NaN in either lane propagates and +0 is larger than −0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is max(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> x, Vector128<double> y) => Vector128.Max(x, y);

    /// <summary>Larger of two values per lane: the BCL vector Max (.NET 9+ IEEE 754:2019 maximum), which matches <see cref="Math.Max(double, double)"/>: NaN in either lane propagates and +0 is larger than −0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is max(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> x, Vector256<double> y) => Vector256.Max(x, y);

    /// <summary>Larger of two values per lane: the BCL vector Max (.NET 9+ IEEE 754:2019 maximum), which matches <see cref="Math.Max(double, double)"/>: NaN in either lane propagates and +0 is larger than −0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is max(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> x, Vector512<double> y) => Vector512.Max(x, y);

    /// <summary>Smaller of two values: exactly <see cref="Math.Min(double, double)"/> (the reference semantics).</summary>
    /// <param name="x">The first argument.</param>
    /// <param name="y">The second argument.</param>
    /// <returns><c>Math.Min(x, y)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double x, double y) => Math.Min(x, y);

    /// <summary>Smaller of two values per lane: the BCL vector Min (.NET 9+ IEEE 754:2019 minimum), which matches <see cref="Math.Min(double, double)"/>: NaN in either lane propagates and −0 is smaller than +0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is min(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> x, Vector128<double> y) => Vector128.Min(x, y);

    /// <summary>Smaller of two values per lane: the BCL vector Min (.NET 9+ IEEE 754:2019 minimum), which matches <see cref="Math.Min(double, double)"/>: NaN in either lane propagates and −0 is smaller than +0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is min(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> x, Vector256<double> y) => Vector256.Min(x, y);

    /// <summary>Smaller of two values per lane: the BCL vector Min (.NET 9+ IEEE 754:2019 minimum), which matches <see cref="Math.Min(double, double)"/>: NaN in either lane propagates and −0 is smaller than +0.</summary>
    /// <param name="x">The first arguments.</param>
    /// <param name="y">The second arguments.</param>
    /// <returns>Lane k is min(x[k], y[k]).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Min(Vector512<double> x, Vector512<double> y) => Vector512.Min(x, y);
}
