namespace MeanField.Runtime.Tests.Pde;

/// <summary>Errors of a discrete solution against the explicit one (specs/mfg.md §5).</summary>
internal static class ErgodicReference
{
    /// <summary>(max|U − u|, max|M − m|, h^dΣ|M − m|, |Λ − λ|) at the grid nodes.</summary>
    public static (double U, double M, double ML1, double Lambda) Errors(ErgodicSolution solution)
    {
        PeriodicGrid grid = solution.Grid;
        Span<double> x = stackalloc double[2];
        double eu = 0, em = 0, l1 = 0;
        for (int g = 0; g < grid.NodeCount; g++)
        {
            grid.Position(g, x);
            ReadOnlySpan<double> position = x[..grid.Dimension];
            eu = Math.Max(eu, Math.Abs(solution.U[g] - ExplicitErgodic.U(position)));
            double dm = Math.Abs(solution.M[g] - ExplicitErgodic.M(position));
            em = Math.Max(em, dm);
            l1 += dm;
        }

        return (eu, em, grid.CellVolume * l1, Math.Abs(solution.Lambda - ExplicitErgodic.Lambda(grid.Dimension)));
    }
}
