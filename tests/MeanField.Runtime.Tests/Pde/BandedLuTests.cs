using MeanField.Pde;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The band LU (<see cref="BandedLu"/>): the blocked (four columns at a time) factorisation of wide bands gives the same factors,
/// pivots and solutions, bit for bit, as the column-at-a-time one, and both solve random band systems with row
/// interchanges (small diagonals force pivoting).
/// </summary>
public sealed class BandedLuTests
{
    [Theory]
    [InlineData(40, 16, 16)]
    [InlineData(41, 17, 5)]
    [InlineData(200, 24, 30)]
    [InlineData(201, 40, 17)]
    [InlineData(17, 20, 20)]
    [InlineData(2, 16, 16)]
    [InlineData(42, 18, 9)]
    [InlineData(203, 33, 33)]
    [InlineData(3, 16, 16)]
    [InlineData(1, 16, 16)]
    public void PairedEqualsColumnsAndSolves(int n, int kl, int ku)
    {
        var random = new Random((n * 1000) + kl);
        var dense = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
            {
                // Some exact zeros (the skipped updates), a weak diagonal (row interchanges).
                double v = random.NextDouble() < 0.2 ? 0 : (2 * random.NextDouble()) - 1;
                dense[i, j] = i == j ? 0.01 * v : v;
            }
        }

        BandedLu Build()
        {
            var lu = new BandedLu();
            lu.Reset(n, kl, ku);
            for (int i = 0; i < n; i++)
            {
                for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
                {
                    lu.Add(i, j, dense[i, j]);
                }
            }

            return lu;
        }

        BandedLu columns = Build(), paired = Build();
        bool okColumns = columns.FactorColumns(), okPaired = paired.FactorBlocked();
        Assert.Equal(okColumns, okPaired);
        Assert.True(okPaired);
        (double[] bandColumns, int[] pivotsColumns) = columns.Snapshot();
        (double[] bandPaired, int[] pivotsPaired) = paired.Snapshot();
        Assert.Equal(pivotsColumns, pivotsPaired);
        for (int i = 0; i < bandColumns.Length; i++)
        {
            Assert.Equal(bandColumns[i], bandPaired[i]); // values equal (a zero's sign may differ)
        }

        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (2 * random.NextDouble()) - 1;
        }

        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                b[i] += dense[i, j] * x[j];
            }
        }

        double[] b1 = [.. b], b2 = [.. b], b3 = [.. b];
        columns.Solve(b1);
        paired.Solve(b2, b3);
        Assert.Equal(b1, b2);
        Assert.Equal(b1, b3);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i], b1[i], 1e-8);
        }
    }
}
