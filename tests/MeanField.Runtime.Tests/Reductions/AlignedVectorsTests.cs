using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The engine's vector scratch on the stack starts on a 64-byte boundary wherever the stack memory starts
/// (specs/performance.md §6, "The step's time per process"): every start offset 0–63 of the raw bytes gives an aligned
/// span of the asked length inside them, the count is what the bytes hold past the slack, and fewer bytes than the
/// slack are refused.
/// </summary>
public sealed class AlignedVectorsTests
{
    [Fact]
    public void EveryStartOffsetGivesAnAlignedSpanInsideTheBytes()
    {
        const int count = 7;
        Span<byte> raw = stackalloc byte[AlignedVectors.Bytes<Vector512<double>>(count) + AlignedVectors.Alignment];
        for (int shift = 0; shift < AlignedVectors.Alignment; shift++)
        {
            Span<byte> bytes = raw.Slice(shift, AlignedVectors.Bytes<Vector512<double>>(count));
            Span<Vector512<double>> vectors = AlignedVectors.Carve<Vector512<double>>(bytes);
            Assert.Equal(count, vectors.Length);
            Assert.Equal(0L, Address(MemoryMarshal.AsBytes(vectors)) % AlignedVectors.Alignment);
            long skip = Address(MemoryMarshal.AsBytes(vectors)) - Address(bytes);
            Assert.InRange(skip, 0, AlignedVectors.Alignment - 1);
            Assert.True(skip + (count * 64) <= bytes.Length, $"shift {shift}: the vectors end past the bytes");

            // Writable through the span, and the writes land in the bytes.
            vectors.Fill(Vector512.Create((double)shift));
            Assert.Equal((double)shift, MemoryMarshal.Cast<byte, double>(bytes[(int)skip..])[0]);
        }
    }

    [Fact]
    public void OtherWidthsAreAlignedToo()
    {
        Span<byte> raw = stackalloc byte[AlignedVectors.Bytes<Vector256<double>>(3) + 5];
        Span<Vector256<double>> ymm = AlignedVectors.Carve<Vector256<double>>(raw.Slice(5, AlignedVectors.Bytes<Vector256<double>>(3)));
        Assert.Equal(0L, Address(MemoryMarshal.AsBytes(ymm)) % AlignedVectors.Alignment);
        Span<double> scalars = AlignedVectors.Carve<double>(raw.Slice(5, AlignedVectors.Bytes<double>(3)));
        Assert.Equal(0L, Address(MemoryMarshal.AsBytes(scalars)) % AlignedVectors.Alignment);
    }

    [Fact]
    public void TheCountIsWhatTheBytesHoldAndTooFewBytesAreRefused()
    {
        Span<byte> raw = stackalloc byte[AlignedVectors.Bytes<Vector512<double>>(4) + 63];
        Assert.Equal(4, AlignedVectors.Carve<Vector512<double>>(raw[..AlignedVectors.Bytes<Vector512<double>>(4)]).Length);
        Assert.Equal(4, AlignedVectors.Carve<Vector512<double>>(raw[..(AlignedVectors.Bytes<Vector512<double>>(5) - 1)]).Length);
        Assert.Equal(0, AlignedVectors.Carve<Vector512<double>>(raw[..63]).Length);
        var error = Assert.Throws<ArgumentException>(() =>
        {
            Span<byte> few = stackalloc byte[62];
            AlignedVectors.Carve<Vector512<double>>(few);
        });
        Assert.Equal("stack", error.ParamName);
        Assert.Contains("62 bytes", error.Message);
    }

    private static long Address(Span<byte> span)
    {
        // The address, as the byte offset from null (stack memory never moves).
        ref byte start = ref MemoryMarshal.GetReference(span);
        return (long)Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref start);
    }
}
