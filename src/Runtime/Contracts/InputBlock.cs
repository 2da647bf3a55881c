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
    public const int Capacity = 16;

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

    /// <summary>Input 8.</summary>
    public TVec V8;

    /// <summary>Input 9.</summary>
    public TVec V9;

    /// <summary>Input 10.</summary>
    public TVec V10;

    /// <summary>Input 11.</summary>
    public TVec V11;

    /// <summary>Input 12.</summary>
    public TVec V12;

    /// <summary>Input 13.</summary>
    public TVec V13;

    /// <summary>Input 14.</summary>
    public TVec V14;

    /// <summary>Input 15.</summary>
    public TVec V15;

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
        7 => block.V7,
        8 => block.V8,
        9 => block.V9,
        10 => block.V10,
        11 => block.V11,
        12 => block.V12,
        13 => block.V13,
        14 => block.V14,
        _ => block.V15,
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
            case 7: block.V7 = value; break;
            case 8: block.V8 = value; break;
            case 9: block.V9 = value; break;
            case 10: block.V10 = value; break;
            case 11: block.V11 = value; break;
            case 12: block.V12 = value; break;
            case 13: block.V13 = value; break;
            case 14: block.V14 = value; break;
            default: block.V15 = value; break;
        }
    }
}
