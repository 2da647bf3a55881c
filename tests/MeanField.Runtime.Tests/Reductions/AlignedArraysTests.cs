using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The engine's tile buffers and pair cache start their vectors on cache lines (AlignedArrays; specs/performance.md §5):
/// small buffers are aligned at index 0, the padded cache from <see cref="AlignedArrays.Start"/> on, and both are zeroed
/// or of the asked length as documented; a negative length is refused naming the argument.
/// </summary>
public sealed class AlignedArraysTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(8192)]
    [InlineData(32768)]
    public void SmallBuffersStartOnALineAndAreZeroed(int length)
    {
        for (int k = 0; k < 5; k++)
        {
            double[] buffer = AlignedArrays.Allocate(length);
            Assert.Equal(length, buffer.Length);
            Assert.Equal(0, AlignedArrays.Start(buffer));
            Assert.Equal(0L, Address(ref buffer[0]) % 64);
            Assert.All(buffer, value => Assert.Equal(0.0, value));
        }
    }

    [Fact]
    public void ThePaddedCacheHoldsItsLengthFromItsFirstLineOn()
    {
        double[] cache = AlignedArrays.AllocatePadded(100_000);
        Assert.Equal(100_000 + AlignedArrays.Slack, cache.Length);
        int start = AlignedArrays.Start(cache);
        Assert.InRange(start, 0, AlignedArrays.Slack - 1);
        Assert.Equal(0L, Address(ref cache[start]) % 64);
        Assert.True(start + 100_000 <= cache.Length);
    }

    [Fact]
    public void StartFindsTheFirstBoundaryOfAnyArray()
    {
        double[] plain = new double[64];
        int start = AlignedArrays.Start(plain);
        Assert.InRange(start, 0, 7);
        Assert.Equal(0L, Address(ref plain[start]) % 64);
        Assert.Equal(0, AlignedArrays.Start([]));
    }

    [Fact]
    public void NegativeLengthsAreRefusedNamingTheArgument()
    {
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => AlignedArrays.Allocate(-1)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => AlignedArrays.AllocatePadded(-1)).ParamName);
    }

    private static long Address(ref double value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.As<double, byte>(ref value));
}
