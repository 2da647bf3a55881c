using System.Runtime.CompilerServices;

namespace MeanField.Reductions;

/// <summary>
/// Pinned arrays for the engine's tile buffers and pair cache, with their vectors on 64-byte boundaries.
/// </summary>
/// <remarks>
/// A <c>double[]</c>'s data starts 16 bytes into an object that is only 8-byte aligned, so a Vector512 read or written at
/// index 8k straddles two cache lines unless the array happens to start on a line: every vector of the tile buffers
/// and of the streamed pair cache then costs two accesses. Measured on one Zen 4 core (2026-12-07, `w1 --threads 1`,
/// three alternations, the same build with alignment switched off): (4096, 64, 4096) tanh 102.9–104.6 → 100.7–102.0 ms,
/// (16384, 32, 1024) ReLU 47.8–48.4 → 46.8–47.3 ms and tanh 62.0–62.9 → 60.4–61.3 ms (specs/performance.md §5).
/// Two ways, both on pinned arrays (which never move, so an alignment found stays): small buffers are allocated again
/// until one starts on a line (<see cref="Allocate"/>: a few tries, each a few KB to 1 MiB), and the large cache is
/// allocated with one line of slack and used from its first boundary (<see cref="AllocatePadded"/>, <see cref="Start"/>).
/// </remarks>
internal static class AlignedArrays
{
    /// <summary>Doubles per 64-byte line: the slack of <see cref="AllocatePadded"/>.</summary>
    public const int Slack = 8;

    /// <summary>Beyond this size <see cref="Allocate"/> takes the first pinned array it gets (no retries).</summary>
    private const int RetryLimitBytes = 1 << 20;

    /// <summary>Tries before <see cref="Allocate"/> takes a misaligned array (the first filler normally does it; the
    /// discarded arrays are garbage).</summary>
    private const int Tries = 16;

    /// <summary>A zeroed pinned array of <paramref name="length"/> doubles whose index 0 starts a cache line where a few
    /// tries give one (misaligned is slower, never wrong).</summary>
    public static double[] Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        double[] array = GC.AllocateArray<double>(length, pinned: true);
        if (length == 0 || (long)length * sizeof(double) > RetryLimitBytes)
        {
            return array;
        }

        for (int attempt = 1; attempt < Tries && Start(array) != 0; attempt++)
        {
            // The pinned heap hands out addresses in order: after this array (its data 8·length bytes from its start, an
            // object 24 bytes longer) a filler of 24 + 8k bytes puts the next array's data (16 bytes into it) on a line.
            nuint end = Address(array) + 8 + ((nuint)length * sizeof(double));
            int k = (int)((64 - ((end + 40) % 64)) % 64) / sizeof(double);
            GC.KeepAlive(GC.AllocateArray<double>(k, pinned: true));
            array = GC.AllocateArray<double>(length, pinned: true);
        }

        return array;
    }

    /// <summary>An uninitialised pinned array of <paramref name="length"/> + <see cref="Slack"/> doubles: its
    /// <paramref name="length"/> values from <see cref="Start"/> on start a cache line.</summary>
    public static double[] AllocatePadded(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return GC.AllocateUninitializedArray<double>(checked((int)(length + Slack)), pinned: true);
    }

    /// <summary>The first index of <paramref name="array"/> on a 64-byte boundary (0–7; 0 for an empty array). Stable for
    /// a pinned array; for another one the GC may move it later, which costs the alignment, never a wrong value.</summary>
    public static unsafe int Start(double[] array)
    {
        if (array.Length == 0)
        {
            return 0;
        }

        return (int)((64 - (Address(array) % 64)) % 64) / sizeof(double);
    }

    private static unsafe nuint Address(double[] array) => (nuint)Unsafe.AsPointer(ref array[0]);
}
