using System.Globalization;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MeanField.Benchmarks.Throughput;
using MeanField.Reductions;

namespace MeanField.Benchmarks;

/// <summary>
/// The tile product alone (`TileProduct`, the engine's register-blocked C (+)= B·M with a 64-wide M) at the shapes the
/// engine gives it, with each register file's block: <c>wide</c> (32 registers: 6 × 4 above depth 64, else 4 × 4) and
/// <c>narrow</c> (16 registers: 6 × 2), both run on this machine, at its widest accelerated vector (Vector512, else
/// Vector256). On an AVX-512 machine both fit the register file and the columns show what the block shape is worth; on
/// an AVX2 machine <c>wide</c> spills, which is why it is not chosen there (specs/performance.md §2). The operands are
/// reused from one product to the next, so M sits in L1 at depth ≤ 64 and in L2 above — the product's own speed, not the
/// step's (where the forward pass's M is re-read from L2 by every row block; the W1 benchmarks time that).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class TileProductBenchmarks : IFlopCounted
{
    private double[] _b = [];
    private double[] _m = [];
    private double[] _c = [];
    private int _rows;
    private int _depth;
    private int _sa;
    private int _sb;

    /// <summary>
    /// "rows,depth,layout": the forward pair channels at d = 32 and 256 ("64,32,rows": B = 64 sample rows d apart) and the
    /// backward Gᵀ X at the same d ("32,64,packed": B = a packed tile read down its columns, C = d × 64, accumulated).
    /// </summary>
    [Params("64,32,rows", "32,64,packed", "64,256,rows", "256,64,packed")]
    public string Shape { get; set; } = "64,32,rows";

    /// <summary>The register block: "wide" (32-register files) or "narrow" (16-register files).</summary>
    [Params("wide", "narrow")]
    public string Block { get; set; } = "wide";

    /// <summary>Products per invocation (fewer in the tests).</summary>
    public int Repeats { get; set; } = 64;

    /// <inheritdoc/>
    public double FlopsPerOperation
    {
        get
        {
            (int rows, int depth, _) = ParseShape(Shape);
            return 2.0 * rows * depth * Tiles.Particles * Repeats;
        }
    }

    /// <inheritdoc/>
    public int ThreadsUsed(string method) => 1;

    [GlobalSetup]
    public void Setup()
    {
        if (Block is not ("wide" or "narrow"))
        {
            throw new ArgumentException($"Block must be \"wide\" or \"narrow\", not \"{Block}\".", nameof(Block));
        }

        (_rows, _depth, bool packed) = ParseShape(Shape);
        (_sa, _sb) = packed ? (1, _rows) : (_depth, 1);
        var random = new Random(1);
        _b = Enumerable.Range(0, _rows * _depth).Select(_ => random.NextDouble() - 0.5).ToArray();
        _m = Enumerable.Range(0, _depth * Tiles.Particles).Select(_ => random.NextDouble() - 0.5).ToArray();
        _c = new double[_rows * Tiles.Particles];
    }

    /// <summary><see cref="Repeats"/> products, accumulated into one C (so none can be skipped); returns one entry.</summary>
    [Benchmark]
    public double Multiply()
    {
        bool wide = Block == "wide";
        for (int r = 0; r < Repeats; r++)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                TileProduct.Multiply<Lanes512, Vector512<double>>(wide, ref _b[0], _sa, _sb, _rows, _depth, ref _m[0], ref _c[0], accumulate: true);
            }
            else
            {
                TileProduct.Multiply<Lanes256, Vector256<double>>(wide, ref _b[0], _sa, _sb, _rows, _depth, ref _m[0], ref _c[0], accumulate: true);
            }
        }

        return _c[0];
    }

    /// <summary>"rows,depth,rows|packed" → its parts; a clear error naming the value otherwise.</summary>
    internal static (int Rows, int Depth, bool Packed) ParseShape(string shape)
    {
        string[] parts = shape.Split(',');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rows) || rows < 1
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int depth) || depth < 1
            || parts[2] is not ("rows" or "packed"))
        {
            throw new ArgumentException($"Shape must be \"rows,depth,rows|packed\" with positive counts, not \"{shape}\".", nameof(shape));
        }

        return (rows, depth, parts[2] == "packed");
    }
}
