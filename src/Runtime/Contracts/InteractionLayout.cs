namespace MeanField;

/// <summary>How a pair channel combines a vector of side A with a vector of side B.</summary>
public enum PairChannelKind
{
    /// <summary>a·b.</summary>
    Dot,

    /// <summary>|a − b|², computed directly as Σ_j (a_j − b_j)² (never as |a|² − 2a·b + |b|², which cancels
    /// to negative values when a ≈ b).</summary>
    SquaredDistance,
}

/// <summary>
/// A channel that depends on two particles θ (side A) and θ′ (side B): v_<see cref="First"/>(θ)·v_<see cref="Second"/>(θ′)
/// or |v_First(θ) − v_Second(θ′)|² (indices into <see cref="ParticleLayout.VectorParameters"/>).
/// </summary>
/// <param name="First">Index of the vector parameter read on side A.</param>
/// <param name="Second">Index of the vector parameter read on side B.</param>
/// <param name="Kind">Dot product or squared distance.</param>
public readonly record struct PairChannel(int First, int Second, PairChannelKind Kind);

/// <summary>
/// The shape of an interaction model's kernel K(θ, θ′), potential F(θ) and confinement U(θ), produced by the generator.
/// </summary>
/// <remarks>
/// <para>θ consists of S scalar parameters and V vector parameters (each of dimension d). The kernel sees the vectors
/// only through channels: per-particle channels v_a·v_b (and |v_a|²), the same Q of them (<see cref="ParticleLayout.ParticleChannels"/>) on each side, and pair
/// channels (<see cref="PairChannels"/>, P of them) between side A and side B.</para>
/// <para>The kernel's operators take their inputs in one flat order, the <em>input order</em>:
/// <c>[A scalars (S)] [A channels (Q)] [B scalars (S)] [B channels (Q)] [pair channels (P)] [A side values (H)]
/// [B side values (H)]</c>, and write gradients in the same order for the first 2(S + Q) + P (<see cref="GradientCount"/>).
/// The side values (<see cref="SideValueCount"/>, none for most models) are functions of one particle's block that the
/// generator found in the kernel's formulas (a |w| and its reciprocal, say): the engine computes them once per particle
/// with <see cref="IInteractionModel{TSelf}.SideValues"/> instead of once per pair; the operators read them and are not
/// differentiated by them (their gradient is already through them in the block's entries). The potential and the
/// confinement read the first S + Q inputs (one particle's block). With
/// side B = the samples (no scalars, one vector x), this is the network's order
/// <c>[scalars][particle channels][sample channel][pair channels]</c> (<see cref="NetworkLayout"/>).</para>
/// </remarks>
public sealed class InteractionLayout : ParticleLayout, IEquatable<InteractionLayout>
{
    /// <summary>Creates a layout; called by generated code.</summary>
    public InteractionLayout(
        string modelName,
        string[] scalarParameters,
        string[] vectorParameters,
        ParticleChannel[] particleChannels,
        PairChannel[] pairChannels,
        bool hasPotential,
        bool hasConfinement,
        int sideValueCount = 0)
        : base(modelName, scalarParameters, vectorParameters, particleChannels)
    {
        ArgumentNullException.ThrowIfNull(pairChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(sideValueCount);
        foreach (var channel in pairChannels)
        {
            if ((uint)channel.First >= (uint)vectorParameters.Length || (uint)channel.Second >= (uint)vectorParameters.Length || !Enum.IsDefined(channel.Kind))
            {
                throw new ArgumentOutOfRangeException(nameof(pairChannels), channel, "A pair channel names a vector parameter that does not exist, or an unknown kind.");
            }
        }

        PairChannels = pairChannels;
        HasPotential = hasPotential;
        HasConfinement = hasConfinement;
        SideValueCount = sideValueCount;
    }

    /// <summary>The pair channels, in input order (P of them).</summary>
    public IReadOnlyList<PairChannel> PairChannels { get; }

    /// <summary>Whether the model declares a potential F(θ).</summary>
    public bool HasPotential { get; }

    /// <summary>Whether the model declares a confinement U(θ).</summary>
    public bool HasConfinement { get; }

    /// <summary>P.</summary>
    public int PairChannelCount => PairChannels.Count;

    /// <summary>S + Q: one side's block, and the length of the potential's and the confinement's inputs and gradients.</summary>
    public int SideInputCount => ScalarCount + ParticleChannelCount;

    /// <summary>Index of side B's block in the input order (S + Q).</summary>
    public int SideBOffset => SideInputCount;

    /// <summary>Index of the first pair channel in the input order (2(S + Q)).</summary>
    public int PairChannelOffset => 2 * SideInputCount;

    /// <summary>H: the side values per particle (see the remarks; 0 for most models).</summary>
    public int SideValueCount { get; }

    /// <summary>2(S + Q) + P: the length of a kernel operator's gradient (every input but the side values).</summary>
    public int GradientCount => PairChannelOffset + PairChannelCount;

    /// <summary>Index of side A's side values in the input order (2(S + Q) + P); side B's follow them.</summary>
    public int SideValueOffset => GradientCount;

    /// <summary>2(S + Q) + P + 2H: the length of a kernel operator's input.</summary>
    public int InputCount => GradientCount + (2 * SideValueCount);

    /// <summary>Structural equality: same model name, parameters, channels and flags.</summary>
    /// <param name="other">Another layout.</param>
    public bool Equals(InteractionLayout? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && HasPotential == other.HasPotential
            && HasConfinement == other.HasConfinement
            && SideValueCount == other.SideValueCount
            && SharedPartEquals(other)
            && PairChannels.SequenceEqual(other.PairChannels);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InteractionLayout);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ModelName, ScalarCount, VectorParameters.Count, ParticleChannelCount, PairChannelCount, HasPotential, HasConfinement, SideValueCount);
}
