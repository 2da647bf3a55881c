using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeanField;

/// <summary>
/// Up to <see cref="Capacity"/> operator inputs (or gradient entries) at one SIMD width, as fields: the form in which the
/// tile engine hands a pair's inputs to the generated operators in its hot loops. A span over a stack buffer makes
/// every input and every gradient entry a store and a reload per pair (measured: a tanh unit's gradient strip, 8 lanes,
/// 2.6 ms per 2²⁴ pairs with the values in registers against 7.5 ms through spans); a struct whose fields the inlined
/// operator reads and writes by name stays in registers.
/// </summary>
/// <typeparam name="TVec">double, Vector128&lt;double&gt;, Vector256&lt;double&gt; or Vector512&lt;double&gt;.</typeparam>
[StructLayout(LayoutKind.Sequential)]
public struct InputBlock<TVec>
    where TVec : unmanaged
{
    /// <summary>The most inputs a block holds: operators of larger models take spans only.</summary>
    public const int Capacity = 8;

    /// <summary>Input (or gradient entry) 0.</summary>
    public TVec V0;

    /// <summary>Input 1.</summary>
    public TVec V1;

    /// <summary>Input 2.</summary>
    public TVec V2;

    /// <summary>Input 3.</summary>
    public TVec V3;

    /// <summary>Input 4.</summary>
    public TVec V4;

    /// <summary>Input 5.</summary>
    public TVec V5;

    /// <summary>Input 6.</summary>
    public TVec V6;

    /// <summary>Input 7.</summary>
    public TVec V7;

    /// <summary>The block as a span of <see cref="Capacity"/> values (the fallback to the span operators).</summary>
    /// <param name="block">The block.</param>
    /// <returns>A span over its fields, in order.</returns>
    internal static Span<TVec> AsSpan(ref InputBlock<TVec> block) => MemoryMarshal.CreateSpan(ref block.V0, Capacity);

    /// <summary>Field <paramref name="index"/> (the engine's indices are JIT-time constants, so the switch folds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Get(ref InputBlock<TVec> block, int index) => index switch
    {
        0 => block.V0,
        1 => block.V1,
        2 => block.V2,
        3 => block.V3,
        4 => block.V4,
        5 => block.V5,
        6 => block.V6,
        _ => block.V7,
    };

    /// <summary>Sets field <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Set(ref InputBlock<TVec> block, int index, TVec value)
    {
        switch (index)
        {
            case 0: block.V0 = value; break;
            case 1: block.V1 = value; break;
            case 2: block.V2 = value; break;
            case 3: block.V3 = value; break;
            case 4: block.V4 = value; break;
            case 5: block.V5 = value; break;
            case 6: block.V6 = value; break;
            default: block.V7 = value; break;
        }
    }
}
