using MeanField.Dgm;
using MeanField.Numerics;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// <see cref="DgmKernels.Transpose"/>, the reverse pass's H (inputs × 64 points) into 64-column chunks (64 points × 64
/// inputs, point-major): the 8 × 8 register transposes (AVX-512), the 4 × 4 ones (AVX) and the element loop (the
/// remainder, and machines with neither) each put every value where the element-by-element definition does, and leave the
/// columns beyond the last input as they were (specs/dgm.md §6.3). Every block size the machine has is run.
/// </summary>
public sealed class TransposeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(130)]
    public void EveryValueLandsInItsChunkRowAndColumn(int inputs)
    {
        foreach (int block in new[] { 0, 4, 8 }.Where(b => b <= BlockTranspose.Size))
        {
            Check(inputs, block);
        }
    }

    private static void Check(int inputs, int block)
    {
        const int tile = 64;
        var random = new Random(inputs);
        double[] input = Enumerable.Range(0, inputs * tile).Select(_ => random.NextDouble()).ToArray();
        int chunks = (inputs + tile - 1) / tile;
        double[] transposed = new double[chunks * tile * tile];
        Array.Fill(transposed, -7.0);

        DgmKernels.Transpose(input, transposed, block);

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            for (int p = 0; p < tile; p++)
            {
                for (int column = 0; column < tile; column++)
                {
                    int j = (chunk * tile) + column;
                    double expected = j < inputs ? input[(j * tile) + p] : -7.0;
                    Assert.Equal(expected, transposed[(chunk * tile * tile) + (p * tile) + column]);
                }
            }
        }
    }

    [Fact]
    public void ABufferTooSmallIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DgmKernels.Transpose(new double[65 * 64], new double[64 * 64]));
        Assert.Contains("8192", e.Message);
    }
}
