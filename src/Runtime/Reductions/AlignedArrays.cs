using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeanField.Reductions;

/// <summary>
/// Pinned arrays for the engine's tile buffers and pair cache, used from their first 64-byte boundary.
/// </summary>
/// <remarks>
/// A <c>double[]</c>'s data starts 16 bytes into an object that is only 8-byte aligned, so a Vector512 read or written at
/// index 8k straddles two cache lines unless the array happens to start on a line: every vector of the tile buffers
/// and of the streamed pair cache then costs two accesses. The engine allocates them pinned (they never move, so the
/// boundary found stays) with <see cref="Slack"/> doubles more, and reads and writes them from <see cref="Start"/> on.
/// Measured on one Zen 4 core (2026-12-07, `w1 --threads 1 --steps 10`, three alternations with the build before):
/// (4096, 64, 4096) tanh 102.9–113.5 → 100.7–106.8 ms, (16384, 32, 1024) ReLU 47.8–51.1 → 46.8–48.9 ms, tanh 62.0–66.2 →
/// 60.4–63.6 ms (specs/performance.md §5).
/// </remarks>
internal static class AlignedArrays
{
    /// <summary>Doubles per 64-byte line: the slack of <see cref="AllocatePadded"/>.</summary>
    public const int Slack = 8;

    /// <summary>A pinned array of <paramref name="length"/> + <see cref="Slack"/> doubles: its <paramref name="length"/>
    /// values from <see cref="Start"/> on start a cache line. Zeroed when asked (the tile buffers), else uninitialised
    /// (the cache, which every run writes before it reads).</summary>
    public static double[] AllocatePadded(long length, bool zeroed = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int size = checked((int)(length + Slack));
        return zeroed ? GC.AllocateArray<double>(size, pinned: true) : GC.AllocateUninitializedArray<double>(size, pinned: true);
    }

    /// <summary>The first index of <paramref name="array"/> on a 64-byte boundary (0–7; 0 for an empty array). Stable for
    /// a pinned array; for another one the GC may move it later, which costs the alignment, never a wrong value.</summary>
    public static unsafe int Start(double[] array)
    {
        if (array.Length == 0)
        {
            return 0;
        }

        nuint address = (nuint)Unsafe.AsPointer(ref array[0]);
        return (int)((64 - (address % 64)) % 64) / sizeof(double);
    }
}

/// <summary>
/// A growable scratch buffer of the engine that starts on a cache line: a pinned array from
/// <see cref="AlignedArrays.AllocatePadded"/> (zeroed) and the index of its first boundary. Read it through
/// <see cref="Data"/> and <see cref="Span"/>, never from index 0 of the array.
/// </summary>
internal struct AlignedBuffer
{
    private double[] _array;
    private int _start;

    /// <summary>The first value (on a 64-byte boundary).</summary>
    public readonly ref double Data => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array ?? []), _start);

    /// <summary>Values [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>).</summary>
    public readonly Span<double> Span(int offset, int length) => (_array ?? []).AsSpan(_start + offset, length);

    /// <summary>Makes room for <paramref name="length"/> values (a new zeroed buffer when the old one is shorter).</summary>
    public void Grow(int length)
    {
        if (_array is null || _array.Length < length + AlignedArrays.Slack)
        {
            _array = AlignedArrays.AllocatePadded(length, zeroed: true);
            _start = AlignedArrays.Start(_array);
        }
    }
}
