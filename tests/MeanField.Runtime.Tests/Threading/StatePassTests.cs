using System.Numerics.Tensors;
using MeanField.Models;
using MeanField.Reductions;
using MeanField.Threading;

namespace MeanField.Runtime.Tests.Threading;

/// <summary>
/// <see cref="StatePass"/> (specs/performance.md §5, "The passes over the state"): the save, move and check of a flow
/// step in one chunked pass on the workers give the bits of the three serial passes they replace, catch a non-finite
/// value in any chunk, keep the saved state, and allocate nothing; <see cref="PairSide.Prepare"/> on the workers lays the
/// particles out exactly as on the calling thread.
/// </summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class StatePassTests
{
    private const int Chunk = StatePass.Chunk;

    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int threads in new[] { 1, 2, 3 })
        {
            foreach (int length in new[] { 1, 7, Chunk - 1, Chunk, Chunk + 1, (3 * Chunk) + 5 })
            {
                data.Add(length, threads);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SaveMoveCheckGivesTheBitsOfTheSerialPasses(int length, int threads)
    {
        double[] values = Random(length, 1), direction = Random(length, 2);
        double[] original = (double[])values.Clone();
        double[] expected = (double[])values.Clone();
        TensorPrimitives.MultiplyAdd(direction, -0.37, expected, expected);
        double[] saved = new double[length];

        using var pool = new TileWorkerPool(threads);
        Assert.True(new StatePass(pool).SaveMoveCheck(values, direction, -0.37, saved));

        Assert.Equal(Bits(original), Bits(saved));
        Assert.Equal(Bits(expected), Bits(values));
    }

    /// <summary>A NaN from the direction, or an overflow of the move to ∞, in the first, a middle or the last chunk.</summary>
    [Theory]
    [InlineData(0, 2)]
    [InlineData(Chunk - 1, 2)]
    [InlineData(Chunk + 3, 1)]
    [InlineData((3 * Chunk) + 4, 2)]
    public void ANonFiniteMoveIsCaughtInEveryChunkAndTheStateIsSaved(int bad, int threads)
    {
        int length = (3 * Chunk) + 5;
        using var pool = new TileWorkerPool(threads);
        var pass = new StatePass(pool);

        double[] values = Random(length, 3), direction = Random(length, 4), saved = new double[length];
        double[] original = (double[])values.Clone();
        direction[bad] = double.NaN;
        Assert.False(pass.SaveMoveCheck(values, direction, 0.5, saved));
        Assert.Equal(Bits(original), Bits(saved));
        Assert.True(double.IsNaN(values[bad]));

        values = Random(length, 5);
        direction = Random(length, 6);
        values[bad] = 1e308;
        direction[bad] = 1e308;
        Assert.False(pass.SaveMoveCheck(values, direction, 10.0, saved));
        Assert.True(double.IsPositiveInfinity(values[bad]));
    }

    /// <summary>Finite values whose sum overflows are finite (the check's fast path sums; the slow path decides).</summary>
    [Fact]
    public void AllFiniteSeesThroughASumThatOverflows()
    {
        using var pool = new TileWorkerPool(2);
        var pass = new StatePass(pool);
        double[] values = new double[(2 * Chunk) + 1];
        Array.Fill(values, 1e308);
        Assert.True(pass.AllFinite(values));

        values[Chunk + 1] = double.NegativeInfinity;
        Assert.False(pass.AllFinite(values));
    }

    [Fact]
    public void ArraysOfAnotherLengthAreRefused()
    {
        using var pool = new TileWorkerPool(1);
        var e = Assert.Throws<ArgumentException>(() => new StatePass(pool).SaveMoveCheck(new double[4], new double[3], 1.0, new double[4]));
        Assert.Contains("(3)", e.Message);
    }

    [Fact]
    public void APassAllocatesNothingAfterTheFirst()
    {
        int length = (4 * Chunk) + 9;
        double[] values = Random(length, 7), direction = Random(length, 8), saved = new double[length];
        using var pool = new TileWorkerPool(2);
        var pass = new StatePass(pool);
        pass.SaveMoveCheck(values, direction, 1e-9, saved);
        pass.AllFinite(values);

        long bytes = SteadyAllocation.Bytes(
            () =>
            {
                pass.SaveMoveCheck(values, direction, 1e-9, saved);
                pass.AllFinite(values);
            },
            () => pool.BackgroundAllocatedBytes);
        Assert.Equal(0, bytes);
    }

    /// <summary>
    /// A flow core given workers moves a dynamic with a linear move (as <see cref="GradientFlow{TModel}"/>) in the one
    /// pass, never through <see cref="IFlowStepper.Move"/>, and still restores the saved state when the move diverges.
    /// </summary>
    [Fact]
    public void AFlowCoreWithWorkersMovesALinearDynamicInOnePass()
    {
        var particles = ParticleSet.Create(Layout, 2000, 40); // 82 000 values: three chunks
        particles.InitializeGaussian(3, 1.0);
        double[] start = particles.Values.ToArray();
        using var pool = new TileWorkerPool(2);
        var stepper = new LinearStepper(particles.Values.Length);
        var core = new FlowCore(particles, new FlowSchedule(10, false, 0, 0, 1, 0, null), "Stub", static () => { }, pool);
        core.Attach(stepper);

        core.Step();
        double[] expected = (double[])start.Clone();
        TensorPrimitives.MultiplyAdd(stepper.Direction, LinearStepper.Factor, expected, expected);
        Assert.Equal(Bits(expected), Bits(particles.Values.ToArray()));
        Assert.Equal(0, stepper.MoveCalls);

        stepper.Direction[(particles.Values.Length / 2) + 1] = double.PositiveInfinity;
        Assert.Throws<DivergenceException>(() => core.Step());
        Assert.Equal(Bits(expected), Bits(particles.Values.ToArray()));
        Assert.Equal(1, core.StepsTaken);
    }

    private sealed class LinearStepper(int length) : IFlowStepper, ILinearFlowMove
    {
        public const double Factor = -0.25;

        public double[] Direction { get; } = Random(length, 9);

        public int MoveCalls { get; private set; }

        public double Evaluate(int step) => 1.0;

        public void Move(int step) => MoveCalls++;

        public double Energy() => 1.0;

        public void OnRecorded(GradientFlowProgress entry)
        {
        }

        public void WriteCheckpoint(string path) => throw new NotSupportedException();

        public (double[] Direction, double Factor) LinearMove(int step) => (Direction, Factor);
    }

    /// <summary>
    /// The particle side of an interaction (|w|² channels, rows and transposed tiles) prepared on 2 workers and on the
    /// calling thread: the same arrays, bit for bit, with the identity placement and with a scattered one (Random Batch).
    /// </summary>
    [Theory]
    [InlineData(150, false, 5)]
    [InlineData(150, true, 5)]
    [InlineData(64, false, 5)]
    [InlineData(1, true, 5)]
    [InlineData(150, false, 19)]
    [InlineData(150, true, 19)]
    [InlineData(200, false, 32)]
    public void PreparingOnTheWorkersLaysOutTheSameSide(int n, bool scattered, int dimension)
    {
        var set = ParticleSet.Create(Layout, n, dimension);
        set.InitializeGaussian(11, 1.0);
        int capacity = 0;
        int[] slotOf = [];
        if (scattered)
        {
            capacity = ((n / Tiles.Particles) + 2) * Tiles.Particles;
            slotOf = new int[n + 3]; // longer than the count, as the evaluator's reused buffer is
            for (int i = 0; i < n; i++)
            {
                slotOf[i] = ((7 * i) + 5) % capacity; // distinct: 7 is prime to the capacity (128 or 256 here)
            }
        }

        var serial = PairSide.Of<ArcCosineKernel>();
        var parallel = PairSide.Of<ArcCosineKernel>();
        serial.Prepare(set, slotOf, capacity);
        using var pool = new TileWorkerPool(2);
        parallel.Prepare(set, slotOf, capacity, pool);

        Assert.Equal(Bits(serial.Block), Bits(parallel.Block));
        for (int j = 0; j < serial.Transposed.Length; j++)
        {
            Assert.Equal(Bits(serial.Rows[j]), Bits(parallel.Rows[j]));
            Assert.Equal(Bits(serial.Transposed[j]), Bits(parallel.Transposed[j]));
        }

        // And the layout itself (8 × 8 register transposes where the CPU has AVX-512, an element loop for the rest):
        // particle i's component k in its slot's column of its tile, its row in its slot.
        int d = set.Dimension;
        ReadOnlySpan<double> w = set.Vector("w");
        for (int at = 0; at < n; at++)
        {
            int slot = scattered ? slotOf[at] : at;
            for (int k = 0; k < d; k++)
            {
                Assert.Equal(w[(at * d) + k], parallel.Transposed[0][(slot / Tiles.Particles * Tiles.Particles * d) + (k * Tiles.Particles) + (slot % Tiles.Particles)]);
                Assert.Equal(w[(at * d) + k], parallel.Rows[0][(slot * d) + k]);
            }
        }
    }

    private static InteractionLayout Layout => LayoutOf<ArcCosineKernel>();

    private static InteractionLayout LayoutOf<TModel>()
        where TModel : struct, IInteractionModel<TModel> => TModel.Layout;

    private static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return values;
    }

    private static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);
}
