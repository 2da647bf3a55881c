using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MeanField.Reductions;

/// <summary>
/// Vector scratch on the stack that starts on a 64-byte boundary: the caller stackallocs <see cref="Bytes{TVec}"/> bytes
/// and takes its vectors with <see cref="Carve{TVec}"/>: <c>Carve&lt;TVec&gt;(stackalloc byte[Bytes&lt;TVec&gt;(n)])</c>.
/// </summary>
/// <remarks>
/// x64 Unix aligns a stack frame to 16 bytes only, so a <c>stackalloc</c> of vectors lands anywhere modulo 64 — decided by
/// the stack pointer the thread starts with, which address-space randomisation varies per process. An operator too big to
/// inline reads its inputs from such a span and writes its gradient to another; when they straddled cache lines every
/// Vector512 access cost two, and the interaction step took 449–494 ms in some processes and 306–321 ms in others on one
/// Zen 4 core, the same binary (with randomisation off, `setarch -R`, the mode followed the environment's size modulo 32
/// bytes). Aligned, every process gets the fast one (specs/performance.md §6).
/// </remarks>
internal static class AlignedVectors
{
    /// <summary>The alignment: a cache line, and the width of a Vector512.</summary>
    public const int Alignment = 64;

    /// <summary>Bytes to stackalloc for <paramref name="count"/> aligned vectors.</summary>
    public static int Bytes<TVec>(int count)
        where TVec : unmanaged
        => (count * Unsafe.SizeOf<TVec>()) + Alignment - 1;

    /// <summary>
    /// The vectors that <paramref name="stack"/> (stack memory of <see cref="Bytes{TVec}"/>(count) bytes, which never
    /// moves) holds from its first 64-byte boundary on: count of them.
    /// </summary>
    public static unsafe Span<TVec> Carve<TVec>(Span<byte> stack)
        where TVec : unmanaged
    {
        if (stack.Length < Alignment - 1)
        {
            throw new ArgumentException($"{stack.Length} bytes are fewer than the {Alignment - 1} bytes of slack an aligned span needs.", nameof(stack));
        }

        int count = (stack.Length - (Alignment - 1)) / Unsafe.SizeOf<TVec>();
        ref byte first = ref MemoryMarshal.GetReference(stack);
        int skip = (int)((Alignment - ((nuint)Unsafe.AsPointer(ref first) % Alignment)) % Alignment);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<byte, TVec>(ref Unsafe.Add(ref first, skip)), count);
    }
}

