using System.Runtime.CompilerServices;
using MeanField.Reductions;

namespace MeanField.Runtime.Tests.Reductions;

/// <summary>
/// The engine's tile buffers and pair cache are used from a cache line on (AlignedArrays; specs/performance.md §5): a
/// padded array holds the asked length from <see cref="AlignedArrays.Start"/> on, whose address is a multiple of 64,
/// zeroed when asked; a negative length is refused naming the argument.
/// </summary>
public sealed class AlignedArraysTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void APaddedArrayHoldsItsLengthFromItsFirstLineOn(int length)
    {
        foreach (bool zeroed in new[] { true, false })
        {
            double[] array = AlignedArrays.AllocatePadded(length, zeroed);
            Assert.Equal(length + AlignedArrays.Slack, array.Length);
            int start = AlignedArrays.Start(array);
            Assert.InRange(start, 0, AlignedArrays.Slack - 1);
            Assert.Equal(0L, Address(ref array[start]) % 64);
            Assert.True(start + length <= array.Length);
            if (zeroed)
            {
                Assert.All(array, value => Assert.Equal(0.0, value));
            }
        }
    }

    [Fact]
    public void StartFindsTheFirstBoundaryOfAnyArray()
    {
        for (int length = 1; length <= 16; length++)
        {
            double[] plain = new double[64 + length];
            int start = AlignedArrays.Start(plain);
            Assert.InRange(start, 0, 7);
            Assert.Equal(0L, Address(ref plain[start]) % 64);
        }

        Assert.Equal(0, AlignedArrays.Start([]));
    }

    [Fact]
    public void ABufferGrowsOnlyWhenShortAndStaysOnALine()
    {
        var buffer = default(AlignedBuffer);
        buffer.Grow(1000);
        Assert.Equal(0L, Address(ref buffer.Data) % 64);
        buffer.Span(0, 1000).Fill(2.0);
        Assert.Equal(2.0, buffer.Data);
        Assert.Equal(2.0, buffer.Span(999, 1)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Span(1, 1000 + AlignedArrays.Slack));

        buffer.Grow(500); // room enough: the same values
        Assert.Equal(2.0, buffer.Span(499, 1)[0]);
        buffer.Grow(5000); // a new zeroed buffer, on a line again
        Assert.Equal(0.0, buffer.Span(4999, 1)[0]);
        Assert.Equal(0L, Address(ref buffer.Data) % 64);
    }

    [Fact]
    public void NegativeLengthsAreRefusedNamingTheArgument()
        => Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => AlignedArrays.AllocatePadded(-1)).ParamName);

    private static long Address(ref double value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.As<double, byte>(ref value));
}
