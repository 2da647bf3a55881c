using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MeanField.Reductions;

/// <summary>
/// One SIMD width as a type: the tile loops are written once, generic over <typeparamref name="TVec"/>, and
/// the JIT specialises them per width (the struct implementations below), calling the model's matching
/// <see cref="INetworkModel{TSelf}"/> overload with no virtual dispatch.
/// </summary>
/// <typeparam name="TVec">double, Vector128&lt;double&gt;, Vector256&lt;double&gt; or Vector512&lt;double&gt;.</typeparam>
internal interface ISimdLanes<TVec>
    where TVec : unmanaged
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(ref double source);

    static abstract void Store(TVec value, ref double destination);

    static abstract TVec Broadcast(double value);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>a·b + c, fused.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>The sum of the lanes (a fixed order for a given width).</summary>
    static abstract double Sum(TVec value);

    static abstract TVec Unit<TModel>(ReadOnlySpan<TVec> inputs)
        where TModel : struct, INetworkModel<TModel>;

    static abstract void UnitGradient<TModel>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>φ and the values the cached schedule keeps (<see cref="INetworkModel{TSelf}.CutCount"/>).</summary>
    static abstract TVec UnitAndCut<TModel>(ReadOnlySpan<TVec> inputs, Span<TVec> cut)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>∇φ from the kept values in the pair-channel slots.</summary>
    static abstract void UnitGradientFromCut<TModel>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>φ from a block (see <see cref="InputBlock{TVec}"/>: the values stay in registers).</summary>
    /// <summary>The model's particle-side values for the block operators (<see cref="INetworkModel{TSelf}.PrepareA(ref InputBlock{System.Runtime.Intrinsics.Vector256{double}})"/>; nothing at widths without block operators).</summary>
    static abstract void PrepareA<TModel>(ref InputBlock<TVec> inputs)
        where TModel : struct, INetworkModel<TModel>;

    static abstract TVec Unit<TModel>(ref InputBlock<TVec> inputs)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>∇φ from and into blocks.</summary>
    static abstract void UnitGradient<TModel>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>φ and the kept values from and into blocks.</summary>
    static abstract TVec UnitAndCut<TModel>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> cut)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>∇φ from the kept values, blocks in and out.</summary>
    static abstract void UnitGradientFromCut<TModel>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TModel : struct, INetworkModel<TModel>;

    /// <summary>a − b.</summary>
    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>Bitwise a AND b (with a lane mask of <see cref="FirstLanes"/>: a where the mask is set, +0 elsewhere, NaN included).</summary>
    static abstract TVec And(TVec a, TVec b);

    /// <summary>A lane mask: all bits set in lanes 0 … <paramref name="count"/> − 1, clear in the others.</summary>
    static abstract TVec FirstLanes(int count);

    /// <summary>The interaction kernel K at <see cref="Count"/> pairs.</summary>
    static abstract TVec Kernel<TModel>(ReadOnlySpan<TVec> inputs)
        where TModel : struct, IInteractionModel<TModel>;

    /// <summary>∂K/∂(every input) at <see cref="Count"/> pairs.</summary>
    static abstract void KernelGradient<TModel>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TModel : struct, IInteractionModel<TModel>;

    /// <summary>K, returned, and ∂K/∂(every input) at <see cref="Count"/> pairs, in one evaluation.</summary>
    static abstract TVec KernelWithGradient<TModel>(ReadOnlySpan<TVec> inputs, Span<TVec> gradient)
        where TModel : struct, IInteractionModel<TModel>;

    /// <summary><see cref="KernelWithGradient{TModel}(ReadOnlySpan{TVec}, Span{TVec})"/> from and into blocks (the model's
    /// block overloads at 256 and 512 bits; the span operators on the blocks' fields at the other widths).</summary>
    static abstract TVec KernelWithGradient<TModel>(ref InputBlock<TVec> inputs, ref InputBlock<TVec> gradient)
        where TModel : struct, IInteractionModel<TModel>;

    /// <summary>K from a block (the model's block overloads at 256 and 512 bits; the span operator on the block's fields at the other widths).</summary>
    static abstract TVec Kernel<TModel>(ref InputBlock<TVec> inputs)
        where TModel : struct, IInteractionModel<TModel>;
}

/// <summary>The scalar width (one lane): remainders and machines without SIMD.</summary>
internal readonly struct Lanes1 : ISimdLanes<double>
{
    public static int Count => 1;

    public static double Zero => 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination) => destination = value;

    public static double Broadcast(double value) => value;

    public static double Add(double a, double b) => a + b;

    public static double Multiply(double a, double b) => a * b;

    public static double MultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    public static double Sum(double value) => value;

    public static double Unit<TModel>(ReadOnlySpan<double> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(inputs);

    public static double UnitAndCut<TModel>(ReadOnlySpan<double> inputs, Span<double> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(inputs, cut);

    // No block overloads at this width (the engine's widths of choice are 256 and 512 bits): the span operators.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrepareA<TModel>(ref InputBlock<double> inputs)
        where TModel : struct, INetworkModel<TModel>
    {
    }

    public static double Unit<TModel>(ref InputBlock<double> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(InputBlock<double>.AsSpan(ref inputs));

    public static void UnitGradient<TModel>(ref InputBlock<double> inputs, ref InputBlock<double> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(InputBlock<double>.AsSpan(ref inputs), InputBlock<double>.AsSpan(ref gradient));

    public static double UnitAndCut<TModel>(ref InputBlock<double> inputs, ref InputBlock<double> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(InputBlock<double>.AsSpan(ref inputs), InputBlock<double>.AsSpan(ref cut));

    public static void UnitGradientFromCut<TModel>(ref InputBlock<double> inputs, ref InputBlock<double> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(InputBlock<double>.AsSpan(ref inputs), InputBlock<double>.AsSpan(ref gradient));

    public static void UnitGradientFromCut<TModel>(ReadOnlySpan<double> inputs, Span<double> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(inputs, gradient);

    public static void UnitGradient<TModel>(ReadOnlySpan<double> inputs, Span<double> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(inputs, gradient);

    public static double Subtract(double a, double b) => a - b;

    public static double And(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));

    public static double FirstLanes(int count) => BitConverter.Int64BitsToDouble(count > 0 ? -1L : 0L);

    public static double Kernel<TModel>(ReadOnlySpan<double> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(inputs);

    public static void KernelGradient<TModel>(ReadOnlySpan<double> inputs, Span<double> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelGradient(inputs, gradient);

    public static double KernelWithGradient<TModel>(ReadOnlySpan<double> inputs, Span<double> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(inputs, gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Kernel<TModel>(ref InputBlock<double> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(InputBlock<double>.AsSpan(ref inputs));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KernelWithGradient<TModel>(ref InputBlock<double> inputs, ref InputBlock<double> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(InputBlock<double>.AsSpan(ref inputs), InputBlock<double>.AsSpan(ref gradient));
}

/// <summary>Two lanes (SSE2 / AdvSimd).</summary>
internal readonly struct Lanes128 : ISimdLanes<Vector128<double>>
{
    public static int Count => 2;

    public static Vector128<double> Zero => Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source) => Vector128.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    public static Vector128<double> Broadcast(double value) => Vector128.Create(value);

    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;

    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);

    public static double Sum(Vector128<double> value) => value.GetElement(0) + value.GetElement(1);

    public static Vector128<double> Unit<TModel>(ReadOnlySpan<Vector128<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(inputs);

    public static Vector128<double> UnitAndCut<TModel>(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(inputs, cut);

    // No block overloads at this width (the engine's widths of choice are 256 and 512 bits): the span operators.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrepareA<TModel>(ref InputBlock<Vector128<double>> inputs)
        where TModel : struct, INetworkModel<TModel>
    {
    }

    public static Vector128<double> Unit<TModel>(ref InputBlock<Vector128<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(InputBlock<Vector128<double>>.AsSpan(ref inputs));

    public static void UnitGradient<TModel>(ref InputBlock<Vector128<double>> inputs, ref InputBlock<Vector128<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(InputBlock<Vector128<double>>.AsSpan(ref inputs), InputBlock<Vector128<double>>.AsSpan(ref gradient));

    public static Vector128<double> UnitAndCut<TModel>(ref InputBlock<Vector128<double>> inputs, ref InputBlock<Vector128<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(InputBlock<Vector128<double>>.AsSpan(ref inputs), InputBlock<Vector128<double>>.AsSpan(ref cut));

    public static void UnitGradientFromCut<TModel>(ref InputBlock<Vector128<double>> inputs, ref InputBlock<Vector128<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(InputBlock<Vector128<double>>.AsSpan(ref inputs), InputBlock<Vector128<double>>.AsSpan(ref gradient));

    public static void UnitGradientFromCut<TModel>(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(inputs, gradient);

    public static void UnitGradient<TModel>(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(inputs, gradient);

    public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;

    public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;

    public static Vector128<double> FirstLanes(int count) => Vector128.LessThan(Vector128.Create(0.0, 1.0), Vector128.Create((double)count));

    public static Vector128<double> Kernel<TModel>(ReadOnlySpan<Vector128<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(inputs);

    public static void KernelGradient<TModel>(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelGradient(inputs, gradient);

    public static Vector128<double> KernelWithGradient<TModel>(ReadOnlySpan<Vector128<double>> inputs, Span<Vector128<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(inputs, gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Kernel<TModel>(ref InputBlock<Vector128<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(InputBlock<Vector128<double>>.AsSpan(ref inputs));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> KernelWithGradient<TModel>(ref InputBlock<Vector128<double>> inputs, ref InputBlock<Vector128<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(InputBlock<Vector128<double>>.AsSpan(ref inputs), InputBlock<Vector128<double>>.AsSpan(ref gradient));
}

/// <summary>Four lanes (AVX2).</summary>
internal readonly struct Lanes256 : ISimdLanes<Vector256<double>>
{
    public static int Count => 4;

    public static Vector256<double> Zero => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    public static double Sum(Vector256<double> value) => Lanes128.Sum(value.GetLower() + value.GetUpper());

    public static Vector256<double> Unit<TModel>(ReadOnlySpan<Vector256<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(inputs);

    public static Vector256<double> UnitAndCut<TModel>(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(inputs, cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrepareA<TModel>(ref InputBlock<Vector256<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.PrepareA(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Unit<TModel>(ref InputBlock<Vector256<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UnitGradient<TModel>(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(ref inputs, ref gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> UnitAndCut<TModel>(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(ref inputs, ref cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UnitGradientFromCut<TModel>(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(ref inputs, ref gradient);

    public static void UnitGradientFromCut<TModel>(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(inputs, gradient);

    public static void UnitGradient<TModel>(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(inputs, gradient);

    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;

    public static Vector256<double> FirstLanes(int count) => Vector256.LessThan(Vector256.Create(0.0, 1.0, 2.0, 3.0), Vector256.Create((double)count));

    public static Vector256<double> Kernel<TModel>(ReadOnlySpan<Vector256<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(inputs);

    public static void KernelGradient<TModel>(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelGradient(inputs, gradient);

    public static Vector256<double> KernelWithGradient<TModel>(ReadOnlySpan<Vector256<double>> inputs, Span<Vector256<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(inputs, gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Kernel<TModel>(ref InputBlock<Vector256<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> KernelWithGradient<TModel>(ref InputBlock<Vector256<double>> inputs, ref InputBlock<Vector256<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(ref inputs, ref gradient);
}

/// <summary>Eight lanes (AVX-512).</summary>
internal readonly struct Lanes512 : ISimdLanes<Vector512<double>>
{
    public static int Count => 8;

    public static Vector512<double> Zero => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination) => value.StoreUnsafe(ref destination);

    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    public static double Sum(Vector512<double> value) => Lanes256.Sum(value.GetLower() + value.GetUpper());

    public static Vector512<double> Unit<TModel>(ReadOnlySpan<Vector512<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(inputs);

    public static Vector512<double> UnitAndCut<TModel>(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(inputs, cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PrepareA<TModel>(ref InputBlock<Vector512<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.PrepareA(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Unit<TModel>(ref InputBlock<Vector512<double>> inputs)
        where TModel : struct, INetworkModel<TModel> => TModel.Unit(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UnitGradient<TModel>(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(ref inputs, ref gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> UnitAndCut<TModel>(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> cut)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitAndCut(ref inputs, ref cut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UnitGradientFromCut<TModel>(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(ref inputs, ref gradient);

    public static void UnitGradientFromCut<TModel>(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradientFromCut(inputs, gradient);

    public static void UnitGradient<TModel>(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient)
        where TModel : struct, INetworkModel<TModel> => TModel.UnitGradient(inputs, gradient);

    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;

    public static Vector512<double> FirstLanes(int count) => Vector512.LessThan(Vector512.Create(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), Vector512.Create((double)count));

    public static Vector512<double> Kernel<TModel>(ReadOnlySpan<Vector512<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(inputs);

    public static void KernelGradient<TModel>(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelGradient(inputs, gradient);

    public static Vector512<double> KernelWithGradient<TModel>(ReadOnlySpan<Vector512<double>> inputs, Span<Vector512<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(inputs, gradient);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Kernel<TModel>(ref InputBlock<Vector512<double>> inputs)
        where TModel : struct, IInteractionModel<TModel> => TModel.Kernel(ref inputs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> KernelWithGradient<TModel>(ref InputBlock<Vector512<double>> inputs, ref InputBlock<Vector512<double>> gradient)
        where TModel : struct, IInteractionModel<TModel> => TModel.KernelWithGradient(ref inputs, ref gradient);
}

/// <summary>The SIMD width the engine uses.</summary>
internal enum SimdWidth
{
    /// <summary>The widest accelerated width (Vector512, else Vector256, else Vector128, else scalar).</summary>
    Auto = 0,

    /// <summary>One double at a time.</summary>
    Scalar = 1,

    /// <summary>Vector128&lt;double&gt;.</summary>
    V128 = 2,

    /// <summary>Vector256&lt;double&gt;.</summary>
    V256 = 4,

    /// <summary>Vector512&lt;double&gt;.</summary>
    V512 = 8,
}
