namespace MeanField.Pde;

/// <summary>
/// The node order that makes a periodic grid's stencil matrices banded (specs/mfg.md §3.1): the periodic axis (x in
/// 1-D, y in 2-D with x fastest) is visited 0, N−1, 1, N−2, 2, …, so circle neighbours, 0 and N − 1 included, are at
/// most 2 positions apart; no corner (wrap-around) correction is needed.
/// </summary>
internal static class FoldedOrdering
{
    /// <summary>position[g] for every node g.</summary>
    public static int[] Positions(PeriodicGrid grid)
    {
        int nx = grid.Nx, ny = grid.Ny;
        bool foldX = grid.Dimension == 1;
        int count = foldX ? nx : ny;
        var fold = new int[count];
        for (int i = 0; i < count; i++)
        {
            // i in the first half goes to 2i, N−1−j to 2j + 1.
            fold[i] = 2 * i < count ? 2 * i : (2 * (count - 1 - i)) + 1;
        }

        var position = new int[grid.NodeCount];
        for (int g = 0; g < position.Length; g++)
        {
            int ix = g % nx, iy = g / nx;
            position[g] = foldX ? fold[ix] : (fold[iy] * nx) + ix;
        }

        return position;
    }
}
