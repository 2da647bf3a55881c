using MeanField.Pde;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The work of a Newton iteration — assembling R and J, factoring, solving — allocates nothing once the buffers exist
/// (DESIGN.md: allocation-free hot loops). Allocation counts are deterministic, so this is a test, not a benchmark.
/// </summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class PdeAllocationTests
{
    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(2, true, false)]
    [InlineData(2, true, true)]
    public void ErgodicIterationAllocatesNothing(int dimension, bool nestedDissection, bool twoThreads)
    {
        BlockSolver linear = nestedDissection ? BlockSolver.NestedDissection : BlockSolver.Band;
        double parallelFlops = twoThreads ? 0 : 2e8; // 0: the root's subtrees on two threads whatever the size
        PeriodicGrid grid = dimension == 1 ? new PeriodicGrid(64) : linear == BlockSolver.Band ? new PeriodicGrid(8, 9) : new PeriodicGrid(20, 21);
        long allocated = dimension == 1 ? ErgodicIteration<ExplicitErgodic1D>(grid, linear, parallelFlops) : ErgodicIteration<ExplicitErgodic2D>(grid, linear, parallelFlops);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FiniteHorizonIterationAllocatesNothing()
    {
        var grid = new PeriodicGrid(16);
        var m0 = new double[16];
        Array.Fill(m0, 1.0);
        var system = new FiniteHorizonSystem<TerminalCoupling1D>(grid, 1, 5, m0);
        int[] position = FoldedOrdering.Positions(grid);
        var bandIndex = new int[system.Size];
        for (int i = 0; i < system.Size; i++)
        {
            int block = i / 32, g = (i % 32) / 2;
            bandIndex[i] = (32 * block) + (2 * position[g]) + (i & 1);
        }

        var linear = new PermutedBandSolver(bandIndex);
        double[] x = State(system.Size, 3);
        var r = new double[system.Size];
        var delta = new double[system.Size];
        void Iteration()
        {
            system.Assemble(x, r, withJacobian: true);
            Assert.True(linear.Factor(system.Jacobian));
            linear.Solve(r, delta);
            system.Assemble(x, r, withJacobian: false);
        }

        Iteration();
        Assert.Equal(0, SteadyAllocation.Bytes(Iteration));
    }

    private static long ErgodicIteration<TGame>(PeriodicGrid grid, BlockSolver choice, double parallelFlops)
        where TGame : struct, IGameModel<TGame>
    {
        var system = new ErgodicSystem<TGame>(grid);
        var linear = BorderedSolver.For(grid, system.ReplacedNode, choice);
        if (linear.Inner is NestedDissectionLu sparse)
        {
            sparse.ParallelFlops = parallelFlops;
            sparse.AllowParallel = parallelFlops == 0;
        }

        double[] x = ErgodicJacobianTests.RandomState(grid, 2);
        var r = new double[system.Size];
        var delta = new double[system.Size];
        void Iteration()
        {
            system.Assemble(x, r, withJacobian: true);
            Assert.True(linear.Factor(system.Jacobian));
            linear.Solve(system.Jacobian, r, delta);
            system.Assemble(x, r, withJacobian: false);
        }

        Iteration();
        return SteadyAllocation.Bytes(Iteration);
    }

    private static double[] State(int size, int seed)
    {
        var random = new Random(seed);
        var x = new double[size];
        for (int i = 0; i < size; i += 2)
        {
            x[i] = (2 * random.NextDouble()) - 1;
            x[i + 1] = 0.5 + random.NextDouble();
        }

        return x;
    }
}
