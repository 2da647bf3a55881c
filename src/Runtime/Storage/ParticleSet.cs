namespace MeanField;

/// <summary>
/// The n particles θ_1 … θ_n of an empirical measure μ = (1/n) Σ_i δ_{θ_i} for one
/// <see cref="ParticleLayout"/> and dimension d, stored as structure of arrays.
/// </summary>
/// <remarks>
/// <para>All values live in one contiguous array (<see cref="Values"/>) in this order: the S scalar
/// parameters, each a contiguous length-n array (particle i at index i), then the vector parameters,
/// each an n × d row-major array (particle i's vector at [i·d, (i + 1)·d)). Scalar parameter s starts at
/// s·n, vector parameter a at S·n + a·n·d.</para>
/// <para>Each particle carries a weight w_i ≥ 0 (<see cref="Weights"/>), 1/n for every particle when the set is
/// created (mean-field scaling, total mass 1); birth–death dynamics with weighted particles change them.</para>
/// </remarks>
public sealed class ParticleSet
{
    private readonly double[] _data;
    private readonly double[] _weights;

    private ParticleSet(ParticleLayout layout, int count, int dimension)
    {
        Layout = layout;
        Count = count;
        Dimension = dimension;
        _data = new double[checked(count * ((long)layout.ScalarCount + ((long)layout.VectorParameters.Count * dimension)))];
        _weights = UniformWeights(count);
    }

    private ParticleSet(ParticleLayout layout, int count, int dimension, double[] data)
    {
        Layout = layout;
        Count = count;
        Dimension = dimension;
        _data = data;
        _weights = UniformWeights(count);
    }

    private static double[] UniformWeights(int count)
    {
        var weights = new double[count];
        Array.Fill(weights, 1.0 / count);
        return weights;
    }

    /// <summary>Creates n zero particles for the layout of <typeparamref name="TModel"/>.</summary>
    /// <typeparam name="TModel">The network model whose parameters the particles hold.</typeparam>
    /// <param name="count">n ≥ 1, the number of particles.</param>
    /// <param name="dimension">d ≥ 1, the input dimension (the length of every vector parameter).</param>
    public static ParticleSet Create<TModel>(int count, int dimension)
        where TModel : struct, INetworkModel<TModel> => Create(TModel.Layout, count, dimension);

    /// <summary>Creates n zero particles for a layout (of any model kind: <c>ParticleSet.Create(TModel.Layout, n, d)</c>).</summary>
    /// <param name="layout">The model's parameters.</param>
    /// <param name="count">n ≥ 1, the number of particles.</param>
    /// <param name="dimension">d ≥ 1, the input dimension (the length of every vector parameter).</param>
    public static ParticleSet Create(ParticleLayout layout, int count, int dimension)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A particle set needs at least one particle.");
        }

        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The input dimension must be at least 1.");
        }

        long perParticle = layout.ScalarCount + ((long)layout.VectorParameters.Count * dimension);
        if (perParticle > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"One particle of dimension {dimension} needs {perParticle} values, more than one array holds.");
        }

        long total = count * perParticle;
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} particles of dimension {dimension} need {total} values, more than one array holds.");
        }

        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && total * sizeof(double) > available)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, $"{count} particles of dimension {dimension} need {total * sizeof(double)} bytes; this process has {available} bytes of memory available.");
        }

        return new ParticleSet(layout, count, dimension);
    }

    /// <summary>Particles over an existing array of n·(S + V·d) values (the caller checked the length; ParticleFile).</summary>
    internal static ParticleSet Wrap(ParticleLayout layout, int count, int dimension, double[] values)
    {
        if (values.LongLength != count * ((long)layout.ScalarCount + ((long)layout.VectorParameters.Count * dimension)))
        {
            throw new ArgumentException($"values has {values.Length} values; {count} particles of dimension {dimension} need another count.", nameof(values));
        }

        return new ParticleSet(layout, count, dimension, values);
    }

    /// <summary>
    /// Writes the particles (layout, n, d, every value and weight, bit for bit, with a CRC-64) to a file, atomically: the
    /// file is written to a new temporary file with a random name beside <paramref name="path"/>, flushed to disk and
    /// renamed over it, so a crash never leaves it truncated and a link at the path is replaced, not followed.
    /// </summary>
    /// <param name="path">The file to create or replace, in a directory that exists.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank, names no file, or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    public void Save(string path) => ParticleFile.Write(path, this, null);

    /// <summary>Reads particles written by <see cref="Save(string)"/> (or a flow checkpoint).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The particles, with the layout stored in the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The path is not a regular non-empty file (a directory, FIFO or device), or the file is not a
    /// MeanField particle file of format 2 or 3, is truncated or corrupt (the message names the path and says which).</exception>
    public static ParticleSet Load(string path) => ParticleFile.Read(path).Particles;

    /// <summary>The model's parameters (a <see cref="NetworkLayout"/>, an <see cref="InteractionLayout"/>, …).</summary>
    public ParticleLayout Layout { get; }

    /// <summary>n, the number of particles.</summary>
    public int Count { get; }

    /// <summary>d, the input dimension (the length of each vector parameter).</summary>
    public int Dimension { get; }

    /// <summary>Every value, in the order described in the remarks: length n·(S + V·d).</summary>
    public Span<double> Values => _data;

    /// <summary>
    /// The weights w_i of the measure μ = Σ_i w_i δ_{θ_i}, length n; 1/n each when the set is created. Writable (the
    /// weighted birth–death dynamics change them); every consumer requires them finite and ≥ 0.
    /// </summary>
    public Span<double> Weights => _weights;

    /// <summary>Whether every weight is exactly 1/n (as created).</summary>
    public bool HasUniformWeights
    {
        get
        {
            double uniform = 1.0 / Count;
            foreach (double w in _weights)
            {
                if (w != uniform)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The backing array of the weights.</summary>
    internal double[] WeightData => _weights;

    /// <summary>The backing array (the engine reads it without span bounds in the hot loops).</summary>
    internal double[] Data => _data;

    /// <summary>Start of scalar parameter <paramref name="index"/> in <see cref="Values"/>.</summary>
    internal int ScalarOffset(int index) => index * Count;

    /// <summary>Start of vector parameter <paramref name="index"/> in <see cref="Values"/>.</summary>
    internal int VectorOffset(int index) => (Layout.ScalarCount * Count) + (index * Count * Dimension);

    /// <summary>Scalar parameter <paramref name="index"/> of every particle (length n; particle i at i).</summary>
    /// <param name="index">Index into <see cref="ParticleLayout.ScalarParameters"/>.</param>
    public Span<double> Scalar(int index)
    {
        if ((uint)index >= (uint)Layout.ScalarCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Layout.ModelName} has {Layout.ScalarCount} scalar parameters.");
        }

        return _data.AsSpan(ScalarOffset(index), Count);
    }

    /// <summary>The scalar parameter called <paramref name="name"/> of every particle (length n).</summary>
    /// <param name="name">A name from <see cref="ParticleLayout.ScalarParameters"/>.</param>
    public Span<double> Scalar(string name) => Scalar(IndexOf(Layout.ScalarParameters, name, "scalar"));

    /// <summary>Vector parameter <paramref name="index"/> of every particle: n × d, row-major (particle i is row i).</summary>
    /// <param name="index">Index into <see cref="ParticleLayout.VectorParameters"/>.</param>
    public Span<double> Vector(int index)
    {
        if ((uint)index >= (uint)Layout.VectorParameters.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Layout.ModelName} has {Layout.VectorParameters.Count} vector parameters.");
        }

        return _data.AsSpan(VectorOffset(index), Count * Dimension);
    }

    /// <summary>The vector parameter called <paramref name="name"/> of every particle: n × d, row-major.</summary>
    /// <param name="name">A name from <see cref="ParticleLayout.VectorParameters"/>.</param>
    public Span<double> Vector(string name) => Vector(IndexOf(Layout.VectorParameters, name, "vector"));

    /// <summary>A deep copy (same layout, count, dimension, values and weights).</summary>
    public ParticleSet Clone()
    {
        var copy = new ParticleSet(Layout, Count, Dimension);
        _data.AsSpan().CopyTo(copy._data);
        _weights.AsSpan().CopyTo(copy._weights);
        return copy;
    }

    /// <summary>Copies every value and weight into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">A particle set with the same layout, count and dimension.</param>
    public void CopyTo(ParticleSet destination)
    {
        RequireSameShape(destination, nameof(destination));
        _data.AsSpan().CopyTo(destination._data);
        _weights.AsSpan().CopyTo(destination._weights);
    }

    /// <summary>
    /// Fills every parameter with independent Gaussian values: scalars ~ N(0, <paramref name="scalarStd"/>²),
    /// vector components ~ N(0, <paramref name="vectorStd"/>²) (default 1/√d, so |v|² ≈ 1).
    /// </summary>
    /// <remarks>Counter-based (splitmix64 of seed, parameter, particle, component): particle i gets the same
    /// values whatever n is and whichever thread fills it.</remarks>
    /// <param name="seed">The seed.</param>
    /// <param name="scalarStd">Standard deviation of the scalar parameters (≥ 0).</param>
    /// <param name="vectorStd">Standard deviation of each vector component (≥ 0); null for 1/√d.</param>
    public void InitializeGaussian(ulong seed, double scalarStd = 1.0, double? vectorStd = null)
    {
        double vStd = vectorStd ?? (1.0 / Math.Sqrt(Dimension));
        RequireStd(scalarStd, nameof(scalarStd));
        RequireStd(vStd, nameof(vectorStd));
        for (int s = 0; s < Layout.ScalarCount; s++)
        {
            FillGaussian(s, seed, 0.0, scalarStd);
        }

        for (int a = 0; a < Layout.VectorParameters.Count; a++)
        {
            FillGaussian(Layout.ScalarCount + a, seed, 0.0, vStd);
        }
    }

    /// <summary>
    /// Fills one parameter (scalar or vector, by name) with independent N(<paramref name="mean"/>, <paramref name="std"/>²)
    /// values, counter-based like <see cref="InitializeGaussian(ulong, double, double?)"/> (and giving the same
    /// values as it does for that parameter when the mean is 0 and the deviation the same).
    /// </summary>
    /// <param name="parameter">A scalar or vector parameter name of the layout.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="mean">The mean of every value (every component for a vector).</param>
    /// <param name="std">The standard deviation (≥ 0).</param>
    public void InitializeGaussian(string parameter, ulong seed, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        RequireStd(std, nameof(std));
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        }

        for (int s = 0; s < Layout.ScalarCount; s++)
        {
            if (Layout.ScalarParameters[s] == parameter)
            {
                FillGaussian(s, seed, mean, std);
                return;
            }
        }

        for (int a = 0; a < Layout.VectorParameters.Count; a++)
        {
            if (Layout.VectorParameters[a] == parameter)
            {
                FillGaussian(Layout.ScalarCount + a, seed, mean, std);
                return;
            }
        }

        throw new ArgumentException($"{Layout.ModelName} has no parameter '{parameter}'.", nameof(parameter));
    }

    /// <summary>Whether every value is finite (no NaN, no ±∞).</summary>
    public bool AllFinite()
    {
        // x − x is 0 for finite x and NaN for NaN/±∞, so the sum is NaN exactly when some value is not finite.
        return double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(_data)) || AllFiniteSlow();
    }

    private bool AllFiniteSlow()
    {
        foreach (double v in _data)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="other"/> has the same count, dimension and an equivalent layout.</summary>
    internal bool HasSameShape(ParticleSet other) =>
        other.Count == Count && other.Dimension == Dimension && Layout.Equals(other.Layout);

    internal void RequireSameShape(ParticleSet? other, string paramName)
    {
        ArgumentNullException.ThrowIfNull(other, paramName);
        if (!Layout.Equals(other.Layout))
        {
            throw new ArgumentException($"The particle set holds {other.Layout.ModelName} parameters; expected {Layout.ModelName}.", paramName);
        }

        if (other.Count != Count || other.Dimension != Dimension)
        {
            throw new ArgumentException($"The particle set has {other.Count} particles of dimension {other.Dimension}; expected {Count} of dimension {Dimension}.", paramName);
        }
    }

    private void FillGaussian(int parameter, ulong seed, double mean, double std)
    {
        ulong key = CounterRandom.StreamKey(seed, parameter);
        Span<double> target = parameter < Layout.ScalarCount
            ? Scalar(parameter)
            : Vector(parameter - Layout.ScalarCount);
        for (int c = 0; c < target.Length; c++)
        {
            target[c] = mean + (std * CounterRandom.Normal(key, (ulong)c));
        }
    }

    private static void RequireStd(double std, string paramName)
    {
        if (!(std >= 0) || !double.IsFinite(std))
        {
            throw new ArgumentOutOfRangeException(paramName, std, "A standard deviation must be finite and ≥ 0.");
        }
    }

    private int IndexOf(IReadOnlyList<string> names, string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"{Layout.ModelName} has no {kind} parameter '{name}' (it has: {string.Join(", ", names)}).", nameof(name));
    }
}
