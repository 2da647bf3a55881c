using System.Runtime.Intrinsics;
using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

/// <summary>
/// A tanh multilayer perceptron u_θ: ℝ^d (× time) → ℝ whose forward pass over a batch propagates, per point, the value,
/// the gradient ∇ₓu and the Laplacian Δₓu through every layer, with no tape (the forward Laplacian; specs/dgm.md §2), and
/// whose reverse pass turns per-point adjoints ∂L/∂u, ∂L/∂(∇u)_k, ∂L/∂Δu into ∂L/∂θ analytically (§3).
/// </summary>
/// <remarks>
/// <para>Architecture: embedding e(x) (<see cref="InputEmbedding"/>, plus t as a last feature when
/// <see cref="HasTime"/>) → <see cref="Depth"/> hidden layers h = tanh(W h_prev + b) of <see cref="Width"/> units → a
/// linear output u = wᵀh + b. Parameters, in this order, per layer (hidden layers first, the output layer last): W
/// (out × in, row-major), then b (out).</para>
/// <para>Layout: the batch is cut into tiles of 64 points; a tile of a layer holds its d + 2 channels (value, the d
/// gradient components, the Laplacian) as blocks of (features × 64 points), points contiguous. The three matrix products
/// per layer (forward W·H, backward Wᵀ·Ā and Ā·Hᵀ) are then <see cref="TileProduct"/> calls on 64-column tiles, the
/// register-blocked micro-kernel of the pair engine (its remarks give the register-file reasoning), with the points as
/// the vectorised, contiguous inner index.</para>
/// <para>What the reverse pass needs is kept per tile and layer: h, ∇a and Δa (a = the pre-activation); ∇h = σ'(a)∇a and
/// Δh are recomputed from them. Workspaces grow to the largest batch seen and are then reused: a forward and reverse pass
/// allocate nothing. One thread; the weight gradient is summed over tiles in order, so results are bit-identical for a
/// given seed and batch.</para>
/// </remarks>
internal sealed partial class LaplacianNetwork : ILaplacianNetwork
{
    private const int Tile = Tiles.Particles;
    private const double TwoPi = 2 * Math.PI;
    private const double FourPiSquared = 4 * Math.PI * Math.PI;

    private readonly double[] _parameters;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly int[] _inputs; // inputs of layer l (l = Depth is the output layer)
    private readonly int _channels; // value, ∂x_1 … ∂x_d, ∂t (with time), Δx
    private readonly int _derivatives; // the first-derivative channels: d, plus ∂t with time
    private readonly int _laplacianChannel;

    /// <summary>
    /// Doubles from one channel's block (width × 64 values) to the next in the per-tile records and scratches: the block
    /// and 8 more (one cache line). The elementwise jet kernels read every channel at one value; with channels a
    /// multiple of 4 KiB apart (or half of one, as width 100 gives) their 3(d + 2) lines share a few L1 sets and evict
    /// each other. Measured alone (AVX-512, Zen 4, d = 10, width 100): TanhJetAdjoint 1.15 → 0.28 ns and TanhJet
    /// 0.58 → 0.16 ns per value and channel (specs/dgm.md §6.3).
    /// </summary>
    private readonly int _stride;

    /// <summary>The padding of <see cref="_stride"/>, in doubles.</summary>
    private const int ChannelPad = 8;
    private readonly double[] _directions; // C, R × d row-major: the weighted Laplacians Σ_k C_rk ∂²/∂x_k² (specs/dgm.md §5.1)
    private readonly int _firstWeighted; // the channel of L_0 (after ∂t)
    private readonly int _chunks; // 64-column chunks of the widest layer input (the transposed operand of Ā·Hᵀ)

    // Per-tile state kept for the reverse pass, and the per-tile scratch (one tile's worth; see the remarks).
    private double[] _embedding = [];
    private double[][] _layers = [];
    private double[] _output = [];
    private readonly double[] _preActivation;
    private readonly double[] _hidden;
    private readonly double[] _hiddenAdjoint;
    private readonly double[] _preActivationAdjoint;
    private readonly double[] _transposed;
    private readonly double[] _outputAdjoint;
    private readonly double[][] _weightGradient;
    private readonly double[][] _biasGradient;
    private int _points;
    private int _tiles;

    /// <summary>A network with Glorot-uniform weights from <paramref name="seed"/> and zero biases (specs/dgm.md §2.4).</summary>
    /// <param name="dimension">d ≥ 1, the number of space coordinates.</param>
    /// <param name="width">Units per hidden layer, ≥ 1.</param>
    /// <param name="depth">Hidden layers, ≥ 1.</param>
    /// <param name="embedding">The input embedding.</param>
    /// <param name="hasTime">Whether t is a further input (its x-derivatives are 0); the forward pass then also carries ∂u/∂t.</param>
    /// <param name="seed">The initialisation seed.</param>
    /// <param name="laplacianDirections">
    /// C, R × d row-major (empty: none): the forward pass also carries the weighted Laplacians Σ_k C_rk ∂²u/∂x_k², as R
    /// channels between ∂t and Δ (specs/dgm.md §5.1); finite.
    /// </param>
    public LaplacianNetwork(int dimension, int width, int depth, InputEmbedding embedding, bool hasTime, ulong seed, ReadOnlySpan<double> laplacianDirections = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        if (!Enum.IsDefined(embedding))
        {
            throw new ArgumentOutOfRangeException(nameof(embedding), embedding, "Unknown input embedding.");
        }

        Dimension = dimension;
        Width = width;
        Depth = depth;
        Embedding = embedding;
        HasTime = hasTime;
        Features = (embedding == InputEmbedding.Periodic ? 2 * dimension : dimension) + (hasTime ? 1 : 0);
        _derivatives = dimension + (hasTime ? 1 : 0);
        _directions = DgmKernels.Directions(laplacianDirections, dimension);
        WeightedLaplacians = _directions.Length / dimension;
        _firstWeighted = _derivatives + 1;
        _laplacianChannel = _derivatives + 1 + WeightedLaplacians;
        _channels = _derivatives + 2 + WeightedLaplacians;
        _inputs = new int[depth + 1];
        _weightOffset = new int[depth + 1];
        _biasOffset = new int[depth + 1];
        int offset = 0;
        for (int l = 0; l <= depth; l++)
        {
            int inputs = l == 0 ? Features : width, outputs = l == depth ? 1 : width;
            _inputs[l] = inputs;
            _weightOffset[l] = offset;
            _biasOffset[l] = offset + (inputs * outputs);
            offset += (inputs + 1) * outputs;
        }

        _parameters = new double[offset];
        Initialise(seed);

        _chunks = (Math.Max(Features, width) + Tile - 1) / Tile;
        _preActivation = new double[width * Tile];
        _stride = (width * Tile) + ChannelPad;
        _hidden = new double[_channels * _stride];
        _hiddenAdjoint = new double[_channels * _stride];
        _preActivationAdjoint = new double[_channels * _stride];
        _transposed = new double[_chunks * Tile * Tile];
        _outputAdjoint = new double[_channels * Tile];
        _weightGradient = new double[depth + 1][];
        _biasGradient = new double[depth + 1][];
        for (int l = 0; l <= depth; l++)
        {
            int outputs = l == depth ? 1 : width;
            _weightGradient[l] = new double[l == depth ? width : ((_inputs[l] + Tile - 1) / Tile) * outputs * Tile];
            _biasGradient[l] = new double[outputs];
        }
    }

    /// <summary>d, the number of space coordinates.</summary>
    public int Dimension { get; }

    /// <summary>Units per hidden layer.</summary>
    public int Width { get; }

    /// <summary>Hidden layers.</summary>
    public int Depth { get; }

    /// <summary>The input embedding.</summary>
    public InputEmbedding Embedding { get; }

    /// <summary>Whether t is an input.</summary>
    public bool HasTime { get; }

    /// <summary>Features of the first layer: 2d (periodic) or d (plain), plus 1 with time.</summary>
    public int Features { get; }

    /// <summary>R, the number of weighted Laplacians the forward pass carries.</summary>
    public int WeightedLaplacians { get; }

    /// <summary>The number of parameters.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The parameters (layout in the remarks), writable in place (an optimiser steps them).</summary>
    public Span<double> Parameters => _parameters;

    /// <summary>The number of points of the last <see cref="Forward"/>.</summary>
    public int Points => _points;

    /// <summary>The offset of W of layer <paramref name="layer"/> (0 … <see cref="Depth"/>) in <see cref="Parameters"/>.</summary>
    public int WeightOffset(int layer) => _weightOffset[layer];

    /// <summary>The offset of b of layer <paramref name="layer"/> in <see cref="Parameters"/>.</summary>
    public int BiasOffset(int layer) => _biasOffset[layer];

    /// <summary>
    /// Glorot–Bengio uniform weights, W_ij ~ U(−√(6/(in + out)), √(6/(in + out))) from the counter-based stream of
    /// (seed, layer) at counter (i·in + j); biases 0.
    /// </summary>
    private void Initialise(ulong seed)
    {
        for (int l = 0; l <= Depth; l++)
        {
            int inputs = _inputs[l], outputs = l == Depth ? 1 : Width;
            double limit = Math.Sqrt(6.0 / (inputs + outputs));
            ulong key = CounterRandom.StreamKey(seed, l);
            for (int i = 0; i < inputs * outputs; i++)
            {
                _parameters[_weightOffset[l] + i] = limit * ((2 * CounterRandom.Uniform(key, (ulong)i)) - 1);
            }
        }
    }

    /// <summary>
    /// The value, gradient and Laplacian in x (and, with time, ∂u/∂t) at every point of a batch, keeping what
    /// <see cref="Backward"/> needs.
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    /// <param name="gradient">Receives ∇ₓu, d × n (component-major: component k of every point, then k + 1).</param>
    /// <param name="laplacian">Receives Δₓu at the n points.</param>
    /// <param name="timeDerivative">Receives ∂u/∂t at the n points when <see cref="HasTime"/>; else empty.</param>
    /// <param name="weightedLaplacians">Receives Σ_k C_rk ∂²u/∂x_k², R × n (component-major); empty when R = 0.</param>
    public void Forward(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value, Span<double> gradient, Span<double> laplacian, Span<double> timeDerivative, Span<double> weightedLaplacians = default)
    {
        int d = Dimension;
        int n = DgmKernels.CheckForward(d, HasTime, points, times.Length, value.Length, gradient.Length, laplacian.Length, timeDerivative.Length, weightedLaplacians.Length, WeightedLaplacians);
        Reserve(n);
        _points = n;
        _tiles = (n + Tile - 1) / Tile;
        FillEmbedding(points, times);
        if (Vector512.IsHardwareAccelerated)
        {
            for (int t = 0; t < _tiles; t++)
            {
                ForwardTile<Lanes512, Vector512<double>>(t);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (int t = 0; t < _tiles; t++)
            {
                ForwardTile<Lanes256, Vector256<double>>(t);
            }
        }
        else
        {
            for (int t = 0; t < _tiles; t++)
            {
                ForwardTile<Lanes128, Vector128<double>>(t);
            }
        }

        DgmKernels.ScatterOutput(_output, _channels, d, HasTime, n, value, gradient, laplacian, timeDerivative, weightedLaplacians);
    }

    /// <summary>
    /// u alone at every point of <paramref name="points"/>, any number of them, for read-outs (specs/dgm.md §2.5): one
    /// tile at a time through the value channel only — the same products, bias and tanh as <see cref="Forward"/>'s value
    /// channel, so the same bits — with no derivative channel and no record. It leaves what <see cref="Backward"/> needs
    /// from the last <see cref="Forward"/> as it was, and allocates nothing.
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    public void ForwardValues(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value)
    {
        int d = Dimension;
        int n = DgmKernels.CheckValues(d, HasTime, points, times.Length, value.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            ForwardValueTiles<Lanes512, Vector512<double>>(points, times, value, n);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ForwardValueTiles<Lanes256, Vector256<double>>(points, times, value, n);
        }
        else
        {
            ForwardValueTiles<Lanes128, Vector128<double>>(points, times, value, n);
        }
    }

    /// <summary>
    /// ∂L/∂θ for a loss L whose per-point adjoints at the last <see cref="Forward"/> batch are given (the analytic reverse
    /// pass; specs/dgm.md §3).
    /// </summary>
    /// <param name="valueAdjoint">∂L/∂u at the n points.</param>
    /// <param name="gradientAdjoint">∂L/∂(∇u)_k, d × n (component-major).</param>
    /// <param name="laplacianAdjoint">∂L/∂Δu at the n points.</param>
    /// <param name="timeDerivativeAdjoint">∂L/∂(∂u/∂t) at the n points when <see cref="HasTime"/>; else empty.</param>
    /// <param name="parameterGradient">Receives ∂L/∂θ, <see cref="ParameterCount"/> values (overwritten).</param>
    /// <param name="weightedLaplacianAdjoint">∂L/∂(Σ_k C_rk ∂²u/∂x_k²), R × n (component-major); empty when R = 0.</param>
    public void Backward(ReadOnlySpan<double> valueAdjoint, ReadOnlySpan<double> gradientAdjoint, ReadOnlySpan<double> laplacianAdjoint, ReadOnlySpan<double> timeDerivativeAdjoint, Span<double> parameterGradient, ReadOnlySpan<double> weightedLaplacianAdjoint = default)
    {
        int n = _points, d = Dimension;
        DgmKernels.CheckBackward(n, d, HasTime, ParameterCount, valueAdjoint.Length, gradientAdjoint.Length, laplacianAdjoint.Length, timeDerivativeAdjoint.Length, parameterGradient.Length, weightedLaplacianAdjoint.Length, WeightedLaplacians);
        for (int l = 0; l <= Depth; l++)
        {
            Array.Clear(_weightGradient[l]);
            Array.Clear(_biasGradient[l]);
        }

        for (int t = 0; t < _tiles; t++)
        {
            DgmKernels.GatherOutputAdjoint(t, n, d, HasTime, valueAdjoint, gradientAdjoint, laplacianAdjoint, timeDerivativeAdjoint, _outputAdjoint, weightedLaplacianAdjoint);
            if (Vector512.IsHardwareAccelerated)
            {
                BackwardTile<Lanes512, Vector512<double>>(t);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                BackwardTile<Lanes256, Vector256<double>>(t);
            }
            else
            {
                BackwardTile<Lanes128, Vector128<double>>(t);
            }
        }

        GatherGradient(parameterGradient);
    }

    /// <summary>Grows the per-tile state to <paramref name="points"/> points (allocates only when the batch grows).</summary>
    private void Reserve(int points)
    {
        int tiles = (points + Tile - 1) / Tile;
        if (tiles * Features * Tile <= _embedding.Length)
        {
            return;
        }

        _embedding = new double[tiles * Features * Tile];
        _output = new double[tiles * _channels * Tile];
        _layers = new double[Depth][];
        for (int l = 0; l < Depth; l++)
        {
            _layers[l] = new double[tiles * _channels * _stride];
        }
    }

    /// <summary>e(x) per tile, features × 64; the padding points of the last tile get x = 0 (and t = 0).</summary>
    private void FillEmbedding(ReadOnlySpan<double> points, ReadOnlySpan<double> times)
        => DgmKernels.FillEmbedding(points, times, Dimension, Embedding, HasTime, Features, _points, _tiles, _embedding);

    /// <summary>The chunked weight-gradient accumulators (see <see cref="BackwardTile{TL, TVec}"/>) into the parameter layout.</summary>
    private void GatherGradient(Span<double> gradient)
    {
        for (int l = 0; l < Depth; l++)
        {
            int inputs = _inputs[l];
            double[] wbar = _weightGradient[l];
            for (int o = 0; o < Width; o++)
            {
                for (int j = 0; j < inputs; j++)
                {
                    gradient[_weightOffset[l] + (o * inputs) + j] = wbar[ChunkedIndex(o, j, Width)];
                }
            }

            _biasGradient[l].CopyTo(gradient[_biasOffset[l]..]);
        }

        _weightGradient[Depth].CopyTo(gradient[_weightOffset[Depth]..]);
        gradient[_biasOffset[Depth]] = _biasGradient[Depth][0];
    }
}
