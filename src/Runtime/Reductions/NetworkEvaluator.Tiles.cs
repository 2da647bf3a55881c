using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MeanField.Reductions;

namespace MeanField;

/// <content>The tile loops, written once and specialised per SIMD width.</content>
public sealed partial class NetworkEvaluator<TModel>
{
    private const int PairTileLength = Tiles.Samples * Tiles.Particles;

    private void ExecuteTile(Phase phase, int tile, WorkerScratch scratch)
    {
        switch (_width)
        {
            case SimdWidth.V512:
                ExecuteTile<Lanes512, Vector512<double>>(phase, tile, scratch);
                break;
            case SimdWidth.V256:
                ExecuteTile<Lanes256, Vector256<double>>(phase, tile, scratch);
                break;
            case SimdWidth.V128:
                ExecuteTile<Lanes128, Vector128<double>>(phase, tile, scratch);
                break;
            default:
                ExecuteTile<Lanes1, double>(phase, tile, scratch);
                break;
        }
    }

    private void ExecuteTile<TL, TVec>(Phase phase, int tile, WorkerScratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        switch (phase)
        {
            case Phase.Forward:
                ForwardTile<TL, TVec>(tile, scratch);
                break;
            case Phase.Backward:
                BackwardTile<TL, TVec>(tile, scratch);
                break;
            default:
                ProbeTile<TL, TVec>(tile, scratch);
                break;
        }
    }

    /// <summary>f(x_l) for the samples of one sample tile: Σ over particle tiles in order, then / n.</summary>
    private void ForwardTile<TL, TVec>(int sampleTile, WorkerScratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PreparedParticles prepared = _prepared;
        int w = TL.Count;
        int n = prepared.Count;
        int l0 = sampleTile * Tiles.Samples;
        int rows = Math.Min(Tiles.Samples, _sampleCount - l0);
        Span<TVec> inputs = stackalloc TVec[_inputCount];
        Span<double> scalarInputs = stackalloc double[_inputCount];
        ref double sums = ref MemoryMarshal.GetArrayDataReference(scratch.SampleSums);
        ref double pair = ref MemoryMarshal.GetArrayDataReference(scratch.Pair);
        scratch.SampleSums.AsSpan(0, rows * w).Clear();
        Span<double> tail = scratch.SampleTail.AsSpan(0, rows);
        tail.Clear();
        for (int pt = 0; pt < prepared.TileCount; pt++)
        {
            if (_cacheActive)
            {
                // Cached schedule: the pair channels go straight into this (sample tile, particle tile)'s block,
                // where the backward pass finds them.
                pair = ref CacheBlock(pt, sampleTile);
            }

            ComputePairChannels<TL, TVec>(prepared, pt, l0, rows, ref pair);
            int i0 = pt * Tiles.Particles;
            int cols = Math.Min(Tiles.Particles, n - i0);
            int full = cols - (cols % w);
            for (int il = 0; il < full; il += w)
            {
                LoadParticleInputs<TL, TVec>(prepared, i0 + il, inputs);
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<TL, TVec>(ref pair, l0, a, il, inputs);
                    ref double sum = ref Unsafe.Add(ref sums, a * w);
                    TL.Store(TL.Add(TL.Load(ref sum), TL.Unit<TModel>(inputs)), ref sum);
                }
            }

            for (int il = full; il < cols; il++)
            {
                LoadParticleInputs<Lanes1, double>(prepared, i0 + il, scalarInputs);
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<Lanes1, double>(ref pair, l0, a, il, scalarInputs);
                    tail[a] += TModel.Unit(scalarInputs);
                }
            }
        }

        for (int a = 0; a < rows; a++)
        {
            _predictions[l0 + a] = (TL.Sum(TL.Load(ref Unsafe.Add(ref sums, a * w))) + tail[a]) / n;
        }
    }

    /// <summary>V(θ_i) for the particles of one particle tile: Σ over sample tiles in order.</summary>
    private void BackwardTile<TL, TVec>(int particleTile, WorkerScratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PreparedParticles prepared = _prepared;
        int w = TL.Count;
        int n = prepared.Count;
        int d = _dimension;
        int sq = _scalarCount + _channelCount;
        int i0 = particleTile * Tiles.Particles;
        int cols = Math.Min(Tiles.Particles, n - i0);
        int full = cols - (cols % w);
        Span<TVec> inputs = stackalloc TVec[_inputCount];
        Span<TVec> gradient = stackalloc TVec[_inputCount];
        Span<TVec> blockSums = stackalloc TVec[sq];
        Span<double> scalarInputs = stackalloc double[_inputCount];
        Span<double> scalarGradient = stackalloc double[_inputCount];
        Span<double> scalarSums = stackalloc double[sq];
        ref double pair = ref MemoryMarshal.GetArrayDataReference(scratch.Pair);
        ref double particleSums = ref MemoryMarshal.GetArrayDataReference(scratch.ParticleSums);
        ref double x = ref MemoryMarshal.GetArrayDataReference(_x);
        scratch.ParticleSums.AsSpan(0, sq * Tiles.Particles).Clear();
        scratch.PairSums.AsSpan(0, _pairCount * d * Tiles.Particles).Clear();
        int sampleTiles = (_sampleCount + Tiles.Samples - 1) / Tiles.Samples;
        for (int st = 0; st < sampleTiles; st++)
        {
            int l0 = st * Tiles.Samples;
            int rows = Math.Min(Tiles.Samples, _sampleCount - l0);
            if (_cacheActive)
            {
                // Cached schedule: the forward pass left this tile's pair channels here (bit-identical to recomputing
                // them); they are overwritten below by r·∂φ/∂(v_j·x), which nothing reads afterwards.
                pair = ref CacheBlock(particleTile, st);
            }
            else
            {
                ComputePairChannels<TL, TVec>(prepared, particleTile, l0, rows, ref pair);
            }

            for (int il = 0; il < full; il += w)
            {
                LoadParticleInputs<TL, TVec>(prepared, i0 + il, inputs);
                blockSums.Clear();
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<TL, TVec>(ref pair, l0, a, il, inputs);
                    TL.UnitGradient<TModel>(inputs, gradient);
                    TVec r = TL.Broadcast(_residuals[l0 + a]);
                    for (int k = 0; k < sq; k++)
                    {
                        blockSums[k] = TL.MultiplyAdd(r, gradient[k], blockSums[k]);
                    }

                    for (int p = 0; p < _pairCount; p++)
                    {
                        TL.Store(TL.Multiply(r, gradient[_pairOffset + p]), ref Unsafe.Add(ref pair, (p * PairTileLength) + (a * Tiles.Particles) + il));
                    }
                }

                for (int k = 0; k < sq; k++)
                {
                    ref double target = ref Unsafe.Add(ref particleSums, (k * Tiles.Particles) + il);
                    TL.Store(TL.Add(TL.Load(ref target), blockSums[k]), ref target);
                }
            }

            for (int il = full; il < cols; il++)
            {
                LoadParticleInputs<Lanes1, double>(prepared, i0 + il, scalarInputs);
                scalarSums.Clear();
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<Lanes1, double>(ref pair, l0, a, il, scalarInputs);
                    TModel.UnitGradient(scalarInputs, scalarGradient);
                    double r = _residuals[l0 + a];
                    for (int k = 0; k < sq; k++)
                    {
                        scalarSums[k] = Math.FusedMultiplyAdd(r, scalarGradient[k], scalarSums[k]);
                    }

                    for (int p = 0; p < _pairCount; p++)
                    {
                        Unsafe.Add(ref pair, (p * PairTileLength) + (a * Tiles.Particles) + il) = r * scalarGradient[_pairOffset + p];
                    }
                }

                for (int k = 0; k < sq; k++)
                {
                    Unsafe.Add(ref particleSums, (k * Tiles.Particles) + il) += scalarSums[k];
                }
            }

            // Σ_l x_l[k] · r_l ∂φ/∂(v_j·x)(l, i): the pair-channel part of the velocity, Gᵀ X over the tile.
            for (int p = 0; p < _pairCount; p++)
            {
                TileProduct.Multiply<TL, TVec>(
                    ref Unsafe.Add(ref x, l0 * d), 1, d, d, rows,
                    ref Unsafe.Add(ref pair, p * PairTileLength),
                    ref scratch.PairSums[p * d * Tiles.Particles],
                    accumulate: true);
            }
        }

        WriteVelocities(prepared, i0, cols, scratch);
    }

    /// <summary>Chain rule from the summed channel gradients back to θ for the particles [i0, i0 + cols).</summary>
    private void WriteVelocities(PreparedParticles prepared, int i0, int cols, WorkerScratch scratch)
    {
        ParticleSet particles = prepared.Set!;
        ParticleSet velocity = _velocity!;
        int n = prepared.Count;
        int d = _dimension;
        int s = _scalarCount;
        bool regularizer = _layout.HasRegularizer;
        Span<double> regularizerInputs = scratch.RegularizerInputs.AsSpan(0, s + _channelCount);
        Span<double> regularizerGradient = scratch.RegularizerGradient.AsSpan(0, s + _channelCount);
        double[] sums = scratch.ParticleSums;
        double[] pairSums = scratch.PairSums;
        double[] theta = particles.Data;
        double[] v = velocity.Data;
        for (int il = 0; il < cols; il++)
        {
            int i = i0 + il;
            if (regularizer)
            {
                prepared.GatherRegularizerInputs(i, regularizerInputs);
                TModel.RegularizerGradient(regularizerInputs, regularizerGradient);
            }
            else
            {
                regularizerGradient.Clear();
            }

            for (int k = 0; k < s; k++)
            {
                v[(k * n) + i] = sums[(k * Tiles.Particles) + il] + regularizerGradient[k];
            }

            for (int a = 0; a < _layout.VectorParameters.Count; a++)
            {
                v.AsSpan(velocity.VectorOffset(a) + (i * d), d).Clear();
            }

            for (int p = 0; p < _pairCount; p++)
            {
                Span<double> row = v.AsSpan(velocity.VectorOffset(_pairVector[p]) + (i * d), d);
                int baseIndex = (p * d * Tiles.Particles) + il;
                for (int k = 0; k < d; k++)
                {
                    row[k] += pairSums[baseIndex + (k * Tiles.Particles)];
                }
            }

            // ∂(v_a·v_b)/∂v_a = v_b, ∂|v_a|²/∂v_a = 2 v_a: the shared chain rule.
            for (int q = 0; q < _channelCount; q++)
            {
                double coefficient = sums[((s + q) * Tiles.Particles) + il] + regularizerGradient[s + q];
                ParticleChannel channel = _layout.ParticleChannels[q];
                ChannelChainRule.AddParticleChannel(
                    channel,
                    coefficient,
                    theta.AsSpan(particles.VectorOffset(channel.First) + (i * d), d),
                    theta.AsSpan(particles.VectorOffset(channel.Second) + (i * d), d),
                    v.AsSpan(velocity.VectorOffset(channel.First) + (i * d), d),
                    v.AsSpan(velocity.VectorOffset(channel.Second) + (i * d), d));
            }
        }
    }

    /// <summary>δL/δμ at the probes of one probe tile: Σ_l (r_l / L) φ(x_l; θ) over sample tiles in order, + U(θ).</summary>
    private void ProbeTile<TL, TVec>(int probeTile, WorkerScratch scratch)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        PreparedParticles prepared = _preparedProbes;
        int w = TL.Count;
        int m = prepared.Count;
        int i0 = probeTile * Tiles.Particles;
        int cols = Math.Min(Tiles.Particles, m - i0);
        int full = cols - (cols % w);
        Span<TVec> inputs = stackalloc TVec[_inputCount];
        Span<double> scalarInputs = stackalloc double[_inputCount];
        ref double pair = ref MemoryMarshal.GetArrayDataReference(scratch.Pair);
        ref double probeSums = ref MemoryMarshal.GetArrayDataReference(scratch.ProbeSums);
        scratch.ProbeSums.AsSpan().Clear();
        int sampleTiles = (_sampleCount + Tiles.Samples - 1) / Tiles.Samples;
        for (int st = 0; st < sampleTiles; st++)
        {
            int l0 = st * Tiles.Samples;
            int rows = Math.Min(Tiles.Samples, _sampleCount - l0);
            ComputePairChannels<TL, TVec>(prepared, probeTile, l0, rows, ref pair);
            for (int il = 0; il < full; il += w)
            {
                LoadParticleInputs<TL, TVec>(prepared, i0 + il, inputs);
                TVec sum = TL.Zero;
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<TL, TVec>(ref pair, l0, a, il, inputs);
                    sum = TL.MultiplyAdd(TL.Broadcast(_residuals[l0 + a]), TL.Unit<TModel>(inputs), sum);
                }

                ref double target = ref Unsafe.Add(ref probeSums, il);
                TL.Store(TL.Add(TL.Load(ref target), sum), ref target);
            }

            for (int il = full; il < cols; il++)
            {
                LoadParticleInputs<Lanes1, double>(prepared, i0 + il, scalarInputs);
                double sum = 0;
                for (int a = 0; a < rows; a++)
                {
                    LoadPairInputs<Lanes1, double>(ref pair, l0, a, il, scalarInputs);
                    sum = Math.FusedMultiplyAdd(_residuals[l0 + a], TModel.Unit(scalarInputs), sum);
                }

                Unsafe.Add(ref probeSums, il) += sum;
            }
        }

        Span<double> regularizerInputs = scratch.RegularizerInputs.AsSpan(0, _scalarCount + _channelCount);
        for (int il = 0; il < cols; il++)
        {
            double value = scratch.ProbeSums[il];
            if (_layout.HasRegularizer)
            {
                prepared.GatherRegularizerInputs(i0 + il, regularizerInputs);
                value += TModel.Regularizer(regularizerInputs);
            }

            _probeValues[i0 + il] = value;
        }
    }

    /// <summary>Z_p[a, i] = v_j(i0 + i)·x_(l0 + a) for every pair channel p (j = its vector) into the P × 64 × 64 tile buffer.</summary>
    private void ComputePairChannels<TL, TVec>(PreparedParticles prepared, int particleTile, int l0, int rows, ref double pairBuffer)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        int d = _dimension;
        for (int p = 0; p < _pairCount; p++)
        {
            double[] transposed = prepared.Transposed[_pairVector[p]];
            TileProduct.Multiply<TL, TVec>(
                ref _x[l0 * d], d, 1, rows, d,
                ref transposed[particleTile * Tiles.Particles * d],
                ref Unsafe.Add(ref pairBuffer, p * PairTileLength),
                accumulate: false);
        }
    }

    /// <summary>The cached schedule's P × 64 × 64 block of (particle tile, sample tile): blocks ordered particle tile major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref double CacheBlock(int particleTile, int sampleTile)
    {
        long block = ((long)particleTile * _cacheSampleTiles) + sampleTile;
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pairCache), (nint)(block * _pairCount * PairTileLength));
    }

    /// <summary>Inputs [scalars][particle channels] of particles i … i + W − 1 (contiguous in the SoA arrays).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LoadParticleInputs<TL, TVec>(PreparedParticles prepared, int i, Span<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        ref double data = ref MemoryMarshal.GetArrayDataReference(prepared.Set!.Data);
        int n = prepared.Count;
        for (int k = 0; k < _scalarCount; k++)
        {
            inputs[k] = TL.Load(ref Unsafe.Add(ref data, (k * n) + i));
        }

        ref double channels = ref MemoryMarshal.GetArrayDataReference(prepared.Channels);
        int stride = prepared.PaddedCount;
        for (int q = 0; q < _channelCount; q++)
        {
            inputs[_scalarCount + q] = TL.Load(ref Unsafe.Add(ref channels, (q * stride) + i));
        }
    }

    /// <summary>Inputs [sample channel][pair channels] of sample l0 + a and tile columns il … il + W − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LoadPairInputs<TL, TVec>(ref double pair, int l0, int a, int il, Span<TVec> inputs)
        where TL : struct, ISimdLanes<TVec>
        where TVec : unmanaged
    {
        if (_sampleOffset != _pairOffset)
        {
            inputs[_sampleOffset] = TL.Broadcast(_squaredNorms[l0 + a]);
        }

        int offset = (a * Tiles.Particles) + il;
        for (int p = 0; p < _pairCount; p++)
        {
            inputs[_pairOffset + p] = TL.Load(ref Unsafe.Add(ref pair, (p * PairTileLength) + offset));
        }
    }
}
