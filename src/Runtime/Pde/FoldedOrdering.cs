namespace MeanField.Pde;

/// <summary>
/// The node order that makes a periodic grid's stencil matrices banded (specs/mfg.md §3.1): the folded axis is visited
/// 0, N−1, 1, N−2, 2, …, so circle neighbours, 0 and N − 1 included, are at most 2 positions apart; no corner
/// (wrap-around) correction is needed. In 1-D the folded axis is x; in 2-D the longer axis is folded and the shorter one
/// runs fastest, so the half-bandwidth is ≈ 2·min(N_x, N_y) nodes.
/// </summary>
internal static class FoldedOrdering
{
    /// <summary>position[g] for every node g.</summary>
    public static int[] Positions(PeriodicGrid grid)
    {
        int nx = grid.Nx, ny = grid.Ny;
        bool foldX = grid.Dimension == 1 || nx > ny;
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
            position[g] = grid.Dimension == 1 ? fold[ix] : foldX ? (fold[ix] * ny) + iy : (fold[iy] * nx) + ix;
        }

        return position;
    }
}
