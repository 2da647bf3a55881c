namespace MeanField.Benchmarks.Tests;

/// <summary>
/// The tile-product benchmark: both register blocks compute the same product (so the columns compare block shapes, not
/// different work), its flop count is 2 · rows · depth · 64 per product, and a bad shape or block is refused by name.
/// </summary>
public sealed class TileProductBenchmarksTests
{
    [Theory]
    [InlineData("64,32,rows")]
    [InlineData("32,64,packed")]
    [InlineData("64,256,rows")]
    [InlineData("256,64,packed")]
    public void BothBlocksComputeTheSameProduct(string shape)
    {
        double Run(string block)
        {
            var benchmark = new TileProductBenchmarks { Shape = shape, Block = block, Repeats = 3 };
            benchmark.Setup();
            return benchmark.Multiply();
        }

        double wide = Run("wide");
        Assert.Equal(wide, Run("narrow"));
        Assert.NotEqual(0.0, wide);
    }

    [Fact]
    public void CountsTwoFlopsPerMultiplyAdd()
    {
        var benchmark = new TileProductBenchmarks { Shape = "64,256,rows", Repeats = 5 };
        Assert.Equal(2.0 * 64 * 256 * 64 * 5, benchmark.FlopsPerOperation);
        Assert.Equal(1, benchmark.ThreadsUsed(nameof(TileProductBenchmarks.Multiply)));
    }

    [Theory]
    [InlineData("64,32")]
    [InlineData("64,0,rows")]
    [InlineData("-1,32,rows")]
    [InlineData("64,32,columns")]
    [InlineData("a,32,rows")]
    public void ABadShapeIsRefusedWithItsValue(string shape)
    {
        var error = Assert.Throws<ArgumentException>(() => new TileProductBenchmarks { Shape = shape }.Setup());
        Assert.Contains(shape, error.Message);
    }

    [Fact]
    public void ABadBlockIsRefusedWithItsValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new TileProductBenchmarks { Block = "huge" }.Setup());
        Assert.Contains("huge", error.Message);
        Assert.Equal("Block", error.ParamName);
    }
}
