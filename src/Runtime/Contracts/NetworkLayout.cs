namespace MeanField;

/// <summary>
/// A channel that depends on one particle only: v_<see cref="First"/>·v_<see cref="Second"/>
/// (indices into <see cref="ParticleLayout.VectorParameters"/>; equal indices give a squared norm).
/// </summary>
/// <param name="First">Index of the first vector parameter.</param>
/// <param name="Second">Index of the second vector parameter (≥ <paramref name="First"/>).</param>
public readonly record struct ParticleChannel(int First, int Second);

/// <summary>
/// The shape of a network model's unit φ(x; θ), produced by the generator.
/// </summary>
/// <remarks>
/// <para>θ consists of scalar parameters (one value per particle) and vector parameters (d values per
/// particle, d = the input dimension). The unit sees its vectors only through channels:</para>
/// <list type="bullet">
/// <item><b>particle channels</b> v_a·v_b (and |v_a|²), one value per particle;</item>
/// <item><b>the sample channel</b> |x|² (when <see cref="UsesSquaredNormOfInput"/>), one value per sample;</item>
/// <item><b>pair channels</b> v_j·x for the vector parameters listed in <see cref="PairChannels"/>, one
/// value per (sample, particle) pair, computed by the runtime as a tiled matrix product.</item>
/// </list>
/// <para>Every generated operator takes its inputs in one flat order, the <em>input order</em>:
/// <c>[scalars (S)] [particle channels (Q)] [sample channel (R = 0 or 1)] [pair channels (P)]</c>,
/// and gradients are written in the same order. The regularizer's inputs are the first S + Q of them.</para>
/// <para>Two layouts are equal when the model name, the parameters and the channels agree (the generator
/// may hand out a new instance from each <c>TModel.Layout</c> call, or a file may carry a copy).</para>
/// </remarks>
public sealed class NetworkLayout : ParticleLayout, IEquatable<NetworkLayout>
{
    /// <summary>Creates a layout; called by generated code.</summary>
    public NetworkLayout(
        string modelName,
        string[] scalarParameters,
        string[] vectorParameters,
        ParticleChannel[] particleChannels,
        bool usesSquaredNormOfInput,
        int[] pairChannels,
        bool hasRegularizer)
        : base(modelName, scalarParameters, vectorParameters, particleChannels)
    {
        ArgumentNullException.ThrowIfNull(pairChannels);
        foreach (int j in pairChannels)
        {
            if ((uint)j >= (uint)vectorParameters.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(pairChannels), j, "A pair channel names a vector parameter that does not exist.");
            }
        }

        UsesSquaredNormOfInput = usesSquaredNormOfInput;
        PairChannels = pairChannels;
        HasRegularizer = hasRegularizer;
    }

    /// <summary>Whether the unit uses |x|² (R = 1).</summary>
    public bool UsesSquaredNormOfInput { get; }

    /// <summary>For each pair channel v_j·x, in input order, the vector parameter index j (P of them).</summary>
    public IReadOnlyList<int> PairChannels { get; }

    /// <summary>Whether the model declares a regularizer U(θ).</summary>
    public bool HasRegularizer { get; }

    /// <summary>R (0 or 1).</summary>
    public int SampleChannelCount => UsesSquaredNormOfInput ? 1 : 0;

    /// <summary>P.</summary>
    public int PairChannelCount => PairChannels.Count;

    /// <summary>S + Q + R + P: the length of a unit operator's input and gradient.</summary>
    public int InputCount => ScalarCount + ParticleChannelCount + SampleChannelCount + PairChannelCount;

    /// <summary>S + Q: the length of the regularizer's input and gradient.</summary>
    public int RegularizerInputCount => ScalarCount + ParticleChannelCount;

    /// <summary>Index of the first particle channel in the input order.</summary>
    public int ParticleChannelOffset => ScalarCount;

    /// <summary>Index of the sample channel |x|² in the input order (meaningful when R = 1).</summary>
    public int SampleChannelOffset => ScalarCount + ParticleChannelCount;

    /// <summary>Index of the first pair channel in the input order.</summary>
    public int PairChannelOffset => ScalarCount + ParticleChannelCount + SampleChannelCount;

    /// <summary>Structural equality: same model name, parameters, channels and regularizer flag.</summary>
    /// <param name="other">Another layout.</param>
    public bool Equals(NetworkLayout? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && UsesSquaredNormOfInput == other.UsesSquaredNormOfInput
            && HasRegularizer == other.HasRegularizer
            && SharedPartEquals(other)
            && PairChannels.SequenceEqual(other.PairChannels);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NetworkLayout);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ModelName, ScalarCount, VectorParameters.Count, ParticleChannelCount, PairChannelCount, UsesSquaredNormOfInput, HasRegularizer);
}
