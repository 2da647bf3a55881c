namespace MeanField.Pde;

/// <summary>
/// Solves J δ = r for a sparse J that is banded after a symmetric permutation of rows and columns (the folded node
/// ordering within each time block of the finite-horizon system: half-bandwidth ≈ 2n + 9 in 1-D), with one
/// <see cref="BandedLu"/>. The bandwidths are measured from the nonzero values of each Jacobian.
/// </summary>
internal sealed class PermutedBandSolver(int[] bandIndex)
{
    private readonly BandedLu _lu = new();
    private readonly double[] _work = new double[bandIndex.Length];

    public bool Factor(CsrMatrix jacobian)
    {
        int size = jacobian.Size, kl = 0, ku = 0;
        for (int r = 0; r < size; r++)
        {
            int br = bandIndex[r];
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                if (jacobian.Values[i] != 0)
                {
                    int bc = bandIndex[jacobian.Columns[i]];
                    kl = Math.Max(kl, br - bc);
                    ku = Math.Max(ku, bc - br);
                }
            }
        }

        _lu.Reset(size, kl, ku);
        for (int r = 0; r < size; r++)
        {
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                if (jacobian.Values[i] != 0)
                {
                    _lu.Add(bandIndex[r], bandIndex[jacobian.Columns[i]], jacobian.Values[i]);
                }
            }
        }

        return _lu.Factor();
    }

    public void Solve(ReadOnlySpan<double> rhs, Span<double> delta)
    {
        for (int r = 0; r < rhs.Length; r++)
        {
            _work[bandIndex[r]] = rhs[r];
        }

        _lu.Solve(_work);
        for (int r = 0; r < rhs.Length; r++)
        {
            delta[r] = _work[bandIndex[r]];
        }
    }
}
