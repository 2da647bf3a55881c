using MeanField.Pde;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The nested-dissection sparse LU (<see cref="NestedDissectionLu"/>) and the dense front kernels it runs on: residuals
/// ‖Ax − b‖ of systems with the ergodic Jacobian's pattern (the matrix A of <see cref="BorderedSolver"/>, rebuilt here
/// entry by entry from the CSR values, independently of the LU), agreement with the folded band LU, and the ergodic
/// Newton solve with either factorisation.
/// </summary>
public sealed class NestedDissectionLuTests
{
    /// <summary>
    /// The Jacobian of the explicit game at a random state (the A the ergodic solver factors) on grids that dissect
    /// into several levels (odd, even, rectangular): ‖Ax − b‖_∞ / (‖A‖_∞‖x‖_∞) ≤ 1e-13 (backward error of a stable
    /// LU: the front size (≤ 260 unknowns here) times ε ≈ 1.1e-16 times a modest growth factor; measured 1.3e-15 to
    /// 1.4e-14, the band LU's 1.4e-16 to 3.9e-16: pivoting restricted to the fully-summed rows lets more growth
    /// through), and x equals the band LU's solution to
    /// 1e-10 relative (the condition number of these A is ≈ 1e4·(ν/h²) at most, times 1e-16 rounding).
    /// </summary>
    [Theory]
    [InlineData(12, 12, 1)]
    [InlineData(17, 11, 2)]
    [InlineData(9, 40, 3)]
    [InlineData(33, 32, 4)]
    public void SolvesErgodicJacobiansLikeTheBandLu(int nx, int ny, int seed)
    {
        var grid = new PeriodicGrid(nx, ny);
        var system = new ErgodicSystem<ExplicitErgodic2D>(grid);
        system.Assemble(ErgodicJacobianTests.RandomState(grid, seed), new double[system.Size], withJacobian: true);
        CheckAgainstBand(grid, system.Jacobian, system.ReplacedNode, seed, backwardError: 1e-13, agreement: 1e-10);
    }

    /// <summary>
    /// Random values on the pattern with diagonals 100 times weaker than the off-diagonals: the pivots cannot all be
    /// diagonal, so the fronts interchange rows (counted), and the residual stays at rounding level (backward error
    /// ≤ 1e-12: partial pivoting restricted to the fully-summed rows is weaker than full partial pivoting, so a larger
    /// growth than the band LU's is allowed; measured ≈ 1e-15). The band LU solves the same system to compare.
    /// </summary>
    [Theory]
    [InlineData(10, 10, 5)]
    [InlineData(21, 14, 6)]
    public void PivotsWithinFronts(int nx, int ny, int seed)
    {
        (PeriodicGrid grid, CsrMatrix jacobian, int q) = RandomNearSystem(nx, ny, seed);
        NestedDissectionLu lu = CheckAgainstBand(grid, jacobian, q, seed, backwardError: 1e-12, agreement: 1e-8);
        Assert.True(lu.Interchanges() > grid.NodeCount / 10, $"{lu.Interchanges()} row interchanges");
    }

    /// <summary>
    /// A coupling two grid steps apart (the FP rows' far entries, nonzero when Ĥ couples p⁻_k with p⁺_k) is outside the
    /// first analysis: the next factorisation analyses again with 2-node-thick separators and still solves to rounding.
    /// </summary>
    [Fact]
    public void FarCouplingTriggersANewAnalysis()
    {
        (PeriodicGrid grid, CsrMatrix jacobian, int q) = RandomNearSystem(14, 13, 7);
        var lu = new NestedDissectionLu(grid);
        Assert.True(lu.Factor(jacobian, 2 * grid.NodeCount, (2 * q) + 1, 2 * q));
        Assert.Equal(1, lu.Analyses);

        var random = new Random(8);
        int far = 0;
        for (int r = 0; r < 2 * grid.NodeCount; r++)
        {
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                if (jacobian.Values[i] == 0 && jacobian.Columns[i] < 2 * grid.NodeCount && r != (2 * q) + 1)
                {
                    jacobian.Values[i] = random.NextDouble() - 0.5;
                    far++;
                }
            }
        }

        Assert.True(far > 0);
        CheckAgainstBand(grid, jacobian, q, 9, backwardError: 1e-12, agreement: 1e-8, lu);
        Assert.Equal(2, lu.Analyses);
    }

    /// <summary>A singular A (a zero row) fails with false, like the band LU; nothing is thrown.</summary>
    [Fact]
    public void SingularBlockReturnsFalse()
    {
        (PeriodicGrid grid, CsrMatrix jacobian, int q) = RandomNearSystem(12, 12, 10);
        int row = 2 * 37;
        jacobian.Values.AsSpan(jacobian.RowStart[row], jacobian.RowStart[row + 1] - jacobian.RowStart[row]).Clear();
        jacobian.Values[jacobian.Find(row, 2 * grid.NodeCount)] = 1; // the Λ column is outside A
        Assert.False(new NestedDissectionLu(grid).Factor(jacobian, 2 * grid.NodeCount, (2 * q) + 1, 2 * q));
        jacobian.Values[jacobian.Find(row, row)] = double.NaN;
        Assert.False(new NestedDissectionLu(grid).Factor(jacobian, 2 * grid.NodeCount, (2 * q) + 1, 2 * q));
    }

    /// <summary>
    /// The factors are the same bit for bit with the root's two subtrees on two threads and on one (the subtrees'
    /// contribution blocks are added to the root in the same order either way), and when the factoring thread runs the
    /// pool's subtree itself (not queued: the busy-pool path).
    /// </summary>
    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        var grid = new PeriodicGrid(40, 40);
        var system = new ErgodicSystem<ExplicitErgodic2D>(grid);
        system.Assemble(ErgodicJacobianTests.RandomState(grid, 11), new double[system.Size], withJacobian: true);
        int q = system.ReplacedNode, size = 2 * grid.NodeCount;
        double[] Run(bool parallel, bool queue = true)
        {
            var lu = new NestedDissectionLu(grid) { AllowParallel = parallel, ParallelFlops = 0, QueueToPool = queue };
            Assert.True(lu.Factor(system.Jacobian, size, (2 * q) + 1, 2 * q));
            double[] b = RandomVector(size, 12);
            lu.Solve(b);
            return b;
        }

        double[] single = Run(parallel: false);
        Assert.Equal(single, Run(parallel: true));
        Assert.Equal(single, Run(parallel: true, queue: false));
    }

    /// <summary>
    /// The product kernel against a plain triple loop on shapes with every kind of remainder (rows not a multiple of
    /// 4, columns not a multiple of the panel width, depths across the 128-deep blocks): equal to 1e-13 relative (the
    /// same products summed in another order: depth·ε at most).
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 33, 5)]
    [InlineData(64, 64, 64)]
    [InlineData(101, 67, 300)]
    [InlineData(4, 130, 129)]
    public void ProductKernelMatchesTheDefinition(int rows, int columns, int depth)
    {
        var random = new Random(rows + (31 * columns) + (977 * depth));
        int lda = depth + 3, ldb = columns + 5, ldc = columns + 2;
        double[] a = RandomVector(rows * lda, random.Next()), b = RandomVector(depth * ldb, random.Next()), c = RandomVector(rows * ldc, random.Next());
        double[] expected = (double[])c.Clone();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double sum = 0;
                for (int p = 0; p < depth; p++)
                {
                    sum += a[(i * lda) + p] * b[(p * ldb) + j];
                }

                expected[(i * ldc) + j] -= sum;
            }
        }

        FrontKernels.SubtractProduct(ref a[0], lda, ref b[0], ldb, ref c[0], ldc, rows, columns, depth, new double[FrontKernels.PackLength(columns)]);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-13 * Math.Max(1, depth), $"entry {i}: {c[i]} vs {expected[i]}");
        }
    }

    /// <summary>
    /// The ergodic Newton solve of the explicit game with the sparse LU equals the band LU's: U, M and λ to 1e-10 (two
    /// factorisations of the same systems, different orders of the same rounding: ≤ 9e-16 measured; Newton's final
    /// residual is 1e-10 in the HJB rows' scale), same iteration count and both converged.
    /// </summary>
    [Fact]
    public void ErgodicSolveMatchesTheBandLu()
    {
        var grid = new PeriodicGrid(20, 18);
        ErgodicSolution band = new ErgodicSolver<ExplicitErgodic2D>(grid, null) { LinearSolver = BlockSolver.Band }.Solve();
        ErgodicSolution sparse = new ErgodicSolver<ExplicitErgodic2D>(grid, null) { LinearSolver = BlockSolver.NestedDissection }.Solve();
        Assert.True(band.Converged && sparse.Converged);
        Assert.Equal(band.Iterations, sparse.Iterations);
        Assert.True(Math.Abs(band.Lambda - sparse.Lambda) <= 1e-10, $"λ {band.Lambda} vs {sparse.Lambda}");
        for (int g = 0; g < grid.NodeCount; g++)
        {
            Assert.True(Math.Abs(band.U[g] - sparse.U[g]) <= 1e-10, $"U[{g}] {band.U[g]} vs {sparse.U[g]}");
            Assert.True(Math.Abs(band.M[g] - sparse.M[g]) <= 1e-10, $"M[{g}] {band.M[g]} vs {sparse.M[g]}");
        }
    }

    /// <summary>The automatic choice: the band LU for 1-D and small 2-D grids, nested dissection from 16 × 16 nodes.</summary>
    [Fact]
    public void AutomaticChoiceFollowsTheGrid()
    {
        Assert.IsType<FoldedBandLu>(BorderedSolver.For(new PeriodicGrid(5000), 4999).Inner);
        Assert.IsType<FoldedBandLu>(BorderedSolver.For(new PeriodicGrid(15, 17), 0).Inner);
        Assert.IsType<NestedDissectionLu>(BorderedSolver.For(new PeriodicGrid(16, 16), 0).Inner);
        Assert.IsType<FoldedBandLu>(BorderedSolver.For(new PeriodicGrid(16, 16), 0, BlockSolver.Band).Inner);
    }

    /// <summary>
    /// Factors A with both LUs and solves A x = b for a random b: the sparse LU's backward error and its agreement with
    /// the band LU's x. A is rebuilt densely from the CSR (rows and columns &lt; 2n, the mass row replaced by the pin row).
    /// </summary>
    private static NestedDissectionLu CheckAgainstBand(
        PeriodicGrid grid, CsrMatrix jacobian, int q, int seed, double backwardError, double agreement, NestedDissectionLu? lu = null)
    {
        int size = 2 * grid.NodeCount, pinRow = (2 * q) + 1, pinColumn = 2 * q;
        lu ??= new NestedDissectionLu(grid);
        var band = new FoldedBandLu(grid);
        Assert.True(lu.Factor(jacobian, size, pinRow, pinColumn));
        Assert.True(band.Factor(jacobian, size, pinRow, pinColumn));
        double[] b = RandomVector(size, seed);
        double[] x = (double[])b.Clone(), y = (double[])b.Clone();
        lu.Solve(x);
        band.Solve(y);

        double normA = 0, normX = 0, residual = 0, difference = 0, normY = 0;
        for (int r = 0; r < size; r++)
        {
            double ax = 0, rowSum = 0;
            if (r == pinRow)
            {
                ax = x[pinColumn];
                rowSum = 1;
            }
            else
            {
                for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
                {
                    int c = jacobian.Columns[i];
                    if (c < size)
                    {
                        ax += jacobian.Values[i] * x[c];
                        rowSum += Math.Abs(jacobian.Values[i]);
                    }
                }
            }

            normA = Math.Max(normA, rowSum);
            residual = Math.Max(residual, Math.Abs(ax - b[r]));
            normX = Math.Max(normX, Math.Abs(x[r]));
            normY = Math.Max(normY, Math.Abs(y[r]));
            difference = Math.Max(difference, Math.Abs(x[r] - y[r]));
        }

        Assert.True(residual <= backwardError * normA * normX, $"‖Ax − b‖ = {residual}, ‖A‖‖x‖ = {normA * normX}");
        Assert.True(difference <= agreement * normY, $"‖x − x_band‖ = {difference}, ‖x_band‖ = {normY}");
        return lu;
    }

    /// <summary>The ergodic Jacobian's pattern on an nx × ny grid with <see cref="RandomNearValues"/>, and its replaced node.</summary>
    private static (PeriodicGrid Grid, CsrMatrix Jacobian, int ReplacedNode) RandomNearSystem(int nx, int ny, int seed)
    {
        var grid = new PeriodicGrid(nx, ny);
        var system = new ErgodicSystem<ExplicitErgodic2D>(grid);
        RandomNearValues(grid, system.Jacobian, seed);
        return (grid, system.Jacobian, system.ReplacedNode);
    }

    /// <summary>Random values on the near pattern (nodes at most one step apart along each axis), diagonals 100× weaker.</summary>
    private static void RandomNearValues(PeriodicGrid grid, CsrMatrix jacobian, int seed)
    {
        var random = new Random(seed);
        int size = 2 * grid.NodeCount;
        Array.Clear(jacobian.Values);
        for (int r = 0; r < jacobian.Size; r++)
        {
            for (int i = jacobian.RowStart[r]; i < jacobian.RowStart[r + 1]; i++)
            {
                int c = jacobian.Columns[i];
                int a = r >> 1, b = c >> 1;
                int dx = Math.Abs((a % grid.Nx) - (b % grid.Nx)), dy = Math.Abs((a / grid.Nx) - (b / grid.Nx));
                bool near = r >= size || c >= size || (Math.Min(dx, grid.Nx - dx) <= 1 && Math.Min(dy, grid.Ny - dy) <= 1);
                if (near)
                {
                    double v = (2 * random.NextDouble()) - 1;
                    jacobian.Values[i] = r == c ? 0.01 * v : v;
                }
            }
        }
    }

    private static double[] RandomVector(int length, int seed)
    {
        var random = new Random(seed);
        var v = new double[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (2 * random.NextDouble()) - 1;
        }

        return v;
    }
}
