using System.Numerics.Tensors;

namespace MeanField.Reductions;

/// <summary>
/// What the tile loops need from a particle set, computed once per call in O(n·d): the particle channels
/// v_a·v_b (Q × n̄, n̄ = n rounded up to whole tiles) and, for each vector parameter used by a pair channel,
/// its packed transpose tile by tile ([tile][k][64 particles], zero-padded), so the pair-channel kernel reads
/// contiguous rows of 64 particles. Buffers grow only; a call with the same sizes allocates nothing.
/// </summary>
internal sealed class PreparedParticles
{
    private readonly NetworkLayout _layout;
    private readonly bool[] _transposeVector;

    public PreparedParticles(NetworkLayout layout)
    {
        _layout = layout;
        _transposeVector = new bool[layout.VectorParameters.Count];
        foreach (int j in layout.PairChannels)
        {
            _transposeVector[j] = true;
        }

        Transposed = new double[layout.VectorParameters.Count][];
        for (int j = 0; j < Transposed.Length; j++)
        {
            Transposed[j] = [];
        }
    }

    /// <summary>The prepared set (its scalars are read in place).</summary>
    public ParticleSet? Set { get; private set; }

    public int Count { get; private set; }

    public int TileCount { get; private set; }

    /// <summary>n̄ = <see cref="TileCount"/> · 64, the stride of <see cref="Channels"/>.</summary>
    public int PaddedCount { get; private set; }

    /// <summary>Q × n̄: channel q of particle i at q·n̄ + i.</summary>
    public double[] Channels { get; private set; } = [];

    /// <summary>Per vector parameter j: [tile t][component k][particle i − 64t] = v_j(i)[k], length n̄·d (empty when unused).</summary>
    public double[][] Transposed { get; }

    /// <summary>Σ_i U(θ_i) in particle order (0 unless requested and the model has a regularizer).</summary>
    public double RegularizerSum { get; private set; }

    public void Prepare<TModel>(ParticleSet set, bool regularizerSum)
        where TModel : struct, INetworkModel<TModel>
    {
        int n = set.Count;
        int d = set.Dimension;
        int s = _layout.ScalarCount;
        int q = _layout.ParticleChannelCount;
        Set = set;
        Count = n;
        TileCount = (n + Tiles.Particles - 1) / Tiles.Particles;
        PaddedCount = TileCount * Tiles.Particles;
        if (Channels.Length < q * PaddedCount)
        {
            Channels = new double[q * PaddedCount];
        }

        for (int c = 0; c < q; c++)
        {
            ParticleChannel channel = _layout.ParticleChannels[c];
            ReadOnlySpan<double> first = set.Vector(channel.First);
            ReadOnlySpan<double> second = set.Vector(channel.Second);
            Span<double> target = Channels.AsSpan(c * PaddedCount, PaddedCount);
            for (int i = 0; i < n; i++)
            {
                target[i] = TensorPrimitives.Dot(first.Slice(i * d, d), second.Slice(i * d, d));
            }

            target[n..].Clear();
        }

        for (int j = 0; j < _transposeVector.Length; j++)
        {
            if (_transposeVector[j])
            {
                Transpose(set.Vector(j), j, n, d);
            }
        }

        RegularizerSum = 0;
        if (regularizerSum && _layout.HasRegularizer)
        {
            Span<double> inputs = stackalloc double[s + q];
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                GatherRegularizerInputs(i, inputs);
                sum += TModel.Regularizer(inputs);
            }

            RegularizerSum = sum;
        }
    }

    /// <summary>Writes particle i's regularizer inputs [scalars (S)][particle channels (Q)].</summary>
    public void GatherRegularizerInputs(int i, Span<double> inputs)
    {
        double[] data = Set!.Data;
        int s = _layout.ScalarCount;
        for (int k = 0; k < s; k++)
        {
            inputs[k] = data[(k * Count) + i];
        }

        for (int c = 0; c < _layout.ParticleChannelCount; c++)
        {
            inputs[s + c] = Channels[(c * PaddedCount) + i];
        }
    }

    private void Transpose(ReadOnlySpan<double> vectors, int j, int n, int d)
    {
        const int width = Tiles.Particles;
        if (Transposed[j].Length < PaddedCount * d)
        {
            Transposed[j] = new double[PaddedCount * d];
        }

        Span<double> target = Transposed[j];
        for (int t = 0; t < TileCount; t++)
        {
            int i0 = t * width;
            int cols = Math.Min(width, n - i0);
            Span<double> tile = target.Slice(t * width * d, width * d);
            for (int il = 0; il < cols; il++)
            {
                ReadOnlySpan<double> row = vectors.Slice((i0 + il) * d, d);
                for (int k = 0; k < d; k++)
                {
                    tile[(k * width) + il] = row[k];
                }
            }

            if (cols < width)
            {
                for (int k = 0; k < d; k++)
                {
                    tile.Slice((k * width) + cols, width - cols).Clear();
                }
            }
        }
    }
}
