using System.Runtime.Intrinsics;
using MeanField.Reductions;
using static MeanField.Dgm.DgmKernels;

namespace MeanField.Dgm;

/// <summary>
/// The gated layer of the Deep Galerkin Method (Sirignano–Spiliopoulos 2018), σ = tanh, as a tape-free forward-Laplacian
/// network: the forward pass over a batch propagates, per point, the value, ∇ₓu, ∂u/∂t (with time) and Δₓu through
/// every gate, and the reverse pass turns per-point adjoints of those into ∂L/∂θ analytically (specs/dgm-gated.md).
/// </summary>
/// <remarks>
/// <para>Architecture, e the embedding of (x, t) (<see cref="InputEmbedding"/>, t the last feature when
/// <see cref="HasTime"/>), L = <see cref="Depth"/>, N = <see cref="Width"/>:
/// S¹ = σ(W¹e + b¹); for ℓ = 1 … L: Z = σ(U^z e + W^z S + b^z), G = σ(U^g e + W^g S + b^g), R = σ(U^r e + W^r S + b^r),
/// H = σ(U^h e + W^h (S ⊙ R) + b^h), S^{ℓ+1} = (1 − G) ⊙ H + Z ⊙ S; u = wᵀS^{L+1} + b.</para>
/// <para>Parameters, in this order: W¹ (N × F, row-major; F = <see cref="Features"/>), b¹ (N); then for ℓ = 1 … L and
/// each gate in the order z, g, r, h: U (N × F), W (N × N), b (N); then the output w (N) and b (1).
/// Initialisation: every matrix Glorot–Bengio uniform, entries U(−√(6/(in + out)), √(6/(in + out))) from the
/// counter-based stream (seed, m) at counter (row·in + column), where the matrix index m is 0 for W¹, then
/// 1 + 2(4(ℓ − 1) + q) for U and 2 + 2(4(ℓ − 1) + q) for W of gate q (z = 0, g = 1, r = 2, h = 3) of layer ℓ, and
/// 1 + 8L for the output w; every bias 0.</para>
/// <para>Layout: tiles of 64 points, points contiguous; a tile of a "jet" holds its channels (value, ∇_0 … ∇_{d−1},
/// ∂t when <see cref="HasTime"/>, Δ last) as blocks of N × 64. Kept per tile for the reverse pass: the embedding,
/// S¹'s and each gate's activation record (h in channel 0, the pre-activation's derivative channels in the others;
/// the gate's own derivatives are recomputed from it) and every S^ℓ. Workspaces grow to the largest batch seen and are
/// then reused: a forward and reverse pass allocate nothing. One thread; the weight gradient is summed over tiles in
/// order, so results are bit-identical for a given seed and batch.</para>
/// </remarks>
internal sealed partial class GatedLaplacianNetwork : ILaplacianNetwork
{
    private const int Tile = Tiles.Particles;
    private const int Gates = 4; // z, g, r, h
    private const double TwoPi = 2 * Math.PI;
    private const double FourPiSquared = 4 * Math.PI * Math.PI;

    private readonly double[] _parameters;
    private readonly int _firstWeight;
    private readonly int _firstBias;
    private readonly int[] _gateInput;  // U of gate (ℓ, q) at [4ℓ + q]
    private readonly int[] _gateWeight; // W
    private readonly int[] _gateBias;   // b
    private readonly int _outputWeight;
    private readonly int _outputBias;

    private readonly int _channels;     // 1 + d + (time ? 1 : 0) + R + 1
    private readonly int _firstOrder;   // channels 1 … _firstOrder carry first derivatives (∇, then ∂t)
    private readonly int _laplacian;    // the Laplacian channel, the last
    private readonly double[] _directions; // C, R × d: the weighted Laplacians Σ_k C_rk ∂²/∂x_k² (specs/dgm.md §5.1)
    private readonly int _firstWeighted; // the channel of L_0 (after ∂t)
    private readonly int _block;        // N × 64
    private readonly int _stride;       // N × 64 + 8: one channel of a jet to the next (LaplacianNetwork's _stride explains the 8)
    private readonly int _jet;          // channels × stride

    // Per-tile state kept for the reverse pass (grown to the largest batch).
    private double[] _embedding = [];
    private double[] _first = [];
    private double[][] _states = [];
    private double[][] _gates = [];
    private double[] _output = [];

    // One tile's scratch: the gates' jets, S ⊙ R, and the adjoints of the reverse pass.
    private readonly double[][] _gateJets;
    private readonly double[] _product;
    private readonly double[] _nextAdjoint;
    private readonly double[] _stateAdjoint;
    private readonly double[][] _gateAdjoints;
    private readonly double[] _productAdjoint;
    private readonly double[] _dense;
    private readonly double[] _transposed;
    private readonly double[] _transposedEmbedding;
    private readonly double[] _outputAdjoint;

    // Chunked weight-gradient accumulators ([j / 64][o][j mod 64]; see DgmKernels.ChunkedIndex) and bias gradients.
    private readonly double[] _firstWeightGradient;
    private readonly double[] _firstBiasGradient;
    private readonly double[][] _gateInputGradient;
    private readonly double[][] _gateWeightGradient;
    private readonly double[][] _gateBiasGradient;
    private readonly double[] _outputWeightGradient;
    private double _outputBiasGradient;

    private int _points;
    private double[] _valuesGradient = [], _valuesLaplacian = [], _valuesTime = [], _valuesWeighted = []; // ForwardValues' scratch
    private int _tiles;

    /// <summary>A network with Glorot-uniform weights from <paramref name="seed"/> and zero biases (layout and streams in the remarks).</summary>
    /// <param name="dimension">d ≥ 1, the number of space coordinates.</param>
    /// <param name="width">Units per layer (N), ≥ 1.</param>
    /// <param name="depth">Gated layers (L), ≥ 1.</param>
    /// <param name="embedding">The input embedding.</param>
    /// <param name="hasTime">Whether t is a further input (its x-derivatives are 0).</param>
    /// <param name="seed">The initialisation seed.</param>
    /// <param name="laplacianDirections">
    /// C, R × d row-major (empty: none): the forward pass also carries the weighted Laplacians Σ_k C_rk ∂²u/∂x_k², as R
    /// channels between ∂t and Δ (specs/dgm.md §5.1); finite.
    /// </param>
    public GatedLaplacianNetwork(int dimension, int width, int depth, InputEmbedding embedding, bool hasTime, ulong seed, ReadOnlySpan<double> laplacianDirections = default)
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
        int f = (embedding == InputEmbedding.Periodic ? 2 * dimension : dimension) + (hasTime ? 1 : 0);
        Features = f;
        _firstOrder = dimension + (hasTime ? 1 : 0);
        _directions = DgmKernels.Directions(laplacianDirections, dimension);
        WeightedLaplacians = _directions.Length / dimension;
        _firstWeighted = _firstOrder + 1;
        _laplacian = _firstOrder + 1 + WeightedLaplacians;
        _channels = _firstOrder + 2 + WeightedLaplacians;
        _block = width * Tile;
        _stride = _block + 8;
        _jet = _channels * _stride;

        int offset = 0;
        _firstWeight = offset;
        _firstBias = offset + (width * f);
        offset += (f + 1) * width;
        _gateInput = new int[Gates * depth];
        _gateWeight = new int[Gates * depth];
        _gateBias = new int[Gates * depth];
        for (int g = 0; g < Gates * depth; g++)
        {
            _gateInput[g] = offset;
            _gateWeight[g] = offset + (width * f);
            _gateBias[g] = _gateWeight[g] + (width * width);
            offset = _gateBias[g] + width;
        }

        _outputWeight = offset;
        _outputBias = offset + width;
        _parameters = new double[offset + width + 1];
        Initialise(seed);

        int featureChunks = (f + Tile - 1) / Tile, widthChunks = (width + Tile - 1) / Tile;
        _gateJets = new double[Gates][];
        _gateAdjoints = new double[Gates][];
        for (int q = 0; q < Gates; q++)
        {
            _gateJets[q] = new double[_jet];
            _gateAdjoints[q] = new double[_jet];
        }

        _product = new double[_jet];
        _nextAdjoint = new double[_jet];
        _stateAdjoint = new double[_jet];
        _productAdjoint = new double[_jet];
        _dense = new double[_block];
        _transposed = new double[widthChunks * Tile * Tile];
        _transposedEmbedding = new double[featureChunks * Tile * Tile];
        _outputAdjoint = new double[_channels * Tile];
        _firstWeightGradient = new double[featureChunks * _block];
        _firstBiasGradient = new double[width];
        _gateInputGradient = new double[Gates * depth][];
        _gateWeightGradient = new double[Gates * depth][];
        _gateBiasGradient = new double[Gates * depth][];
        for (int g = 0; g < Gates * depth; g++)
        {
            _gateInputGradient[g] = new double[featureChunks * _block];
            _gateWeightGradient[g] = new double[widthChunks * _block];
            _gateBiasGradient[g] = new double[width];
        }

        _outputWeightGradient = new double[width];
    }

    /// <summary>d, the number of space coordinates.</summary>
    public int Dimension { get; }

    /// <summary>Units per layer (N).</summary>
    public int Width { get; }

    /// <summary>Gated layers (L).</summary>
    public int Depth { get; }

    /// <summary>The input embedding.</summary>
    public InputEmbedding Embedding { get; }

    /// <summary>Whether t is an input.</summary>
    public bool HasTime { get; }

    /// <summary>Features of the embedding: 2d (periodic) or d (plain), plus 1 with time.</summary>
    public int Features { get; }

    /// <summary>R, the number of weighted Laplacians the forward pass carries.</summary>
    public int WeightedLaplacians { get; }

    /// <summary>The number of parameters.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The parameters (layout in the remarks), writable in place (an optimiser steps them).</summary>
    public Span<double> Parameters => _parameters;

    /// <summary>The number of points of the last <see cref="Forward"/>.</summary>
    public int Points => _points;

    /// <summary>The offset of W¹ in <see cref="Parameters"/>.</summary>
    public int FirstWeightOffset => _firstWeight;

    /// <summary>The offset of b¹ in <see cref="Parameters"/>.</summary>
    public int FirstBiasOffset => _firstBias;

    /// <summary>The offset of U of gate <paramref name="gate"/> (z = 0, g = 1, r = 2, h = 3) of layer <paramref name="layer"/> (0 … L − 1).</summary>
    public int GateInputOffset(int layer, int gate) => _gateInput[(Gates * layer) + gate];

    /// <summary>The offset of W of gate <paramref name="gate"/> of layer <paramref name="layer"/>.</summary>
    public int GateWeightOffset(int layer, int gate) => _gateWeight[(Gates * layer) + gate];

    /// <summary>The offset of b of gate <paramref name="gate"/> of layer <paramref name="layer"/>.</summary>
    public int GateBiasOffset(int layer, int gate) => _gateBias[(Gates * layer) + gate];

    /// <summary>The offset of the output weights w.</summary>
    public int OutputWeightOffset => _outputWeight;

    /// <summary>The offset of the output bias.</summary>
    public int OutputBiasOffset => _outputBias;

    /// <summary>
    /// The value, ∇ₓu, Δₓu and (with time) ∂u/∂t at every point of a batch, keeping what <see cref="Backward"/> needs.
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    /// <param name="gradient">Receives ∇ₓu, d × n (component-major: component k of every point, then k + 1).</param>
    /// <param name="laplacian">Receives Δₓu at the n points.</param>
    /// <param name="timeDerivative">Receives ∂u/∂t at the n points when <see cref="HasTime"/>, else empty.</param>
    /// <param name="weightedLaplacians">Receives Σ_k C_rk ∂²u/∂x_k², R × n (component-major); empty when R = 0.</param>
    public void Forward(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value, Span<double> gradient, Span<double> laplacian, Span<double> timeDerivative, Span<double> weightedLaplacians = default)
    {
        int d = Dimension;
        int n = DgmKernels.CheckForward(d, HasTime, points, times.Length, value.Length, gradient.Length, laplacian.Length, timeDerivative.Length, weightedLaplacians.Length, WeightedLaplacians);
        Reserve(n);
        _points = n;
        _tiles = (n + Tile - 1) / Tile;
        FillEmbedding(points, times, d, Embedding, HasTime, Features, n, _tiles, _embedding);
        if (Vector512.IsHardwareAccelerated)
        {
            ForwardTiles<Lanes512, Vector512<double>>();
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ForwardTiles<Lanes256, Vector256<double>>();
        }
        else
        {
            ForwardTiles<Lanes128, Vector128<double>>();
        }

        DgmKernels.ScatterOutput(_output, _channels, d, HasTime, n, value, gradient, laplacian, timeDerivative, weightedLaplacians);
    }

    /// <summary>
    /// u alone at every point (<see cref="ILaplacianNetwork.ForwardValues"/>): the whole forward pass in batches of the
    /// last <see cref="Forward"/>'s size (1024 points before the first), the derivative channels into scratch that grows
    /// to one batch and is then reused. Unlike the MLP's, it replaces the batch <see cref="Backward"/> would use.
    /// </summary>
    /// <param name="points">n × d, row-major.</param>
    /// <param name="times">n times when <see cref="HasTime"/>, else empty.</param>
    /// <param name="value">Receives u at the n points.</param>
    public void ForwardValues(ReadOnlySpan<double> points, ReadOnlySpan<double> times, Span<double> value)
    {
        int d = Dimension;
        int n = DgmKernels.CheckValues(d, HasTime, points, times.Length, value.Length);
        int batch = _points > 0 ? _points : 1024;
        if (_valuesGradient.Length < batch * d)
        {
            _valuesGradient = new double[batch * d];
            _valuesLaplacian = new double[batch];
            _valuesTime = new double[batch];
            _valuesWeighted = new double[WeightedLaplacians * batch];
        }

        for (int start = 0; start < n; start += batch)
        {
            int count = Math.Min(batch, n - start);
            Forward(
                points.Slice(start * d, count * d), HasTime ? times.Slice(start, count) : [], value.Slice(start, count),
                _valuesGradient.AsSpan(0, count * d), _valuesLaplacian.AsSpan(0, count), HasTime ? _valuesTime.AsSpan(0, count) : [],
                _valuesWeighted.AsSpan(0, WeightedLaplacians * count));
        }
    }

    /// <summary>
    /// ∂L/∂θ for a loss L whose per-point adjoints at the last <see cref="Forward"/> batch are given (the analytic reverse
    /// pass; specs/dgm-gated.md §3).
    /// </summary>
    /// <param name="valueAdjoint">∂L/∂u at the n points.</param>
    /// <param name="gradientAdjoint">∂L/∂(∇u)_k, d × n (component-major).</param>
    /// <param name="laplacianAdjoint">∂L/∂Δu at the n points.</param>
    /// <param name="timeDerivativeAdjoint">∂L/∂(∂u/∂t) at the n points when <see cref="HasTime"/>, else empty.</param>
    /// <param name="parameterGradient">Receives ∂L/∂θ, <see cref="ParameterCount"/> values (overwritten).</param>
    /// <param name="weightedLaplacianAdjoint">∂L/∂(Σ_k C_rk ∂²u/∂x_k²), R × n (component-major); empty when R = 0.</param>
    public void Backward(ReadOnlySpan<double> valueAdjoint, ReadOnlySpan<double> gradientAdjoint, ReadOnlySpan<double> laplacianAdjoint, ReadOnlySpan<double> timeDerivativeAdjoint, Span<double> parameterGradient, ReadOnlySpan<double> weightedLaplacianAdjoint = default)
    {
        int n = _points, d = Dimension;
        DgmKernels.CheckBackward(n, d, HasTime, ParameterCount, valueAdjoint.Length, gradientAdjoint.Length, laplacianAdjoint.Length, timeDerivativeAdjoint.Length, parameterGradient.Length, weightedLaplacianAdjoint.Length, WeightedLaplacians);
        Array.Clear(_firstWeightGradient);
        Array.Clear(_firstBiasGradient);
        for (int g = 0; g < Gates * Depth; g++)
        {
            Array.Clear(_gateInputGradient[g]);
            Array.Clear(_gateWeightGradient[g]);
            Array.Clear(_gateBiasGradient[g]);
        }

        Array.Clear(_outputWeightGradient);
        _outputBiasGradient = 0;
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

    /// <summary>
    /// Glorot–Bengio uniform weights, M_ij ~ U(−√(6/(in + out)), √(6/(in + out))) from the counter-based stream of
    /// (seed, matrix index) at counter (i·in + j) (matrix indices in the remarks); biases 0.
    /// </summary>
    private void Initialise(ulong seed)
    {
        int f = Features, n = Width;
        Fill(0, _firstWeight, n, f);
        for (int g = 0; g < Gates * Depth; g++)
        {
            Fill(1 + (2 * g), _gateInput[g], n, f);
            Fill(2 + (2 * g), _gateWeight[g], n, n);
        }

        Fill(1 + (2 * Gates * Depth), _outputWeight, 1, n);

        void Fill(int matrix, int offset, int outputs, int inputs)
        {
            double limit = Math.Sqrt(6.0 / (inputs + outputs));
            ulong key = CounterRandom.StreamKey(seed, matrix);
            for (int i = 0; i < inputs * outputs; i++)
            {
                _parameters[offset + i] = limit * ((2 * CounterRandom.Uniform(key, (ulong)i)) - 1);
            }
        }
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
        _first = new double[tiles * _jet];
        _states = new double[Depth + 1][];
        _gates = new double[Depth][];
        for (int l = 0; l <= Depth; l++)
        {
            _states[l] = new double[tiles * _jet];
        }

        for (int l = 0; l < Depth; l++)
        {
            _gates[l] = new double[tiles * Gates * _jet];
        }
    }

    /// <summary>The chunked weight-gradient accumulators into the parameter layout.</summary>
    private void GatherGradient(Span<double> gradient)
    {
        int f = Features, n = Width;
        Gather(gradient, _firstWeightGradient, _firstWeight, n, f);
        _firstBiasGradient.CopyTo(gradient[_firstBias..]);
        for (int g = 0; g < Gates * Depth; g++)
        {
            Gather(gradient, _gateInputGradient[g], _gateInput[g], n, f);
            Gather(gradient, _gateWeightGradient[g], _gateWeight[g], n, n);
            _gateBiasGradient[g].CopyTo(gradient[_gateBias[g]..]);
        }

        _outputWeightGradient.CopyTo(gradient[_outputWeight..]);
        gradient[_outputBias] = _outputBiasGradient;
    }

    /// <summary>A chunked accumulator of an outputs × inputs matrix into its row-major place at <paramref name="offset"/>.</summary>
    private static void Gather(Span<double> gradient, double[] chunked, int offset, int outputs, int inputs)
    {
        for (int o = 0; o < outputs; o++)
        {
            for (int j = 0; j < inputs; j++)
            {
                gradient[offset + (o * inputs) + j] = chunked[ChunkedIndex(o, j, outputs)];
            }
        }
    }
}
