using MeanField.Generators.Helpers;

namespace MeanField.Generators.Pipeline;

/// <summary>The two sides of a model's formulas: side A is the particle θ; side B is what it meets (the sample x of a
/// network, the other particle θ′ of an interaction).</summary>
internal enum Side
{
    /// <summary>The particle θ.</summary>
    A,

    /// <summary>The sample x (network) or the other particle θ′ (interaction).</summary>
    B,
}

/// <summary>A per-particle channel v_First·v_Second of one side (equal indices: |v|²).</summary>
internal readonly record struct ParticleChannelSpec(int First, int Second);

/// <summary>A pair channel: vector <see cref="First"/> of side A with vector <see cref="Second"/> of side B, a·b or |a − b|².</summary>
internal readonly record struct PairChannelSpec(int First, int Second, bool IsSquaredDistance);

/// <summary>
/// The flat input order of a model's operators, for every kind: computed once from the model's channels
/// (<c>ChannelSet.Layout</c>) and read by the emitter, the derivation text (with its chain rule) and the generated
/// runtime layout. The order is
/// <c>[A scalars (S)][A channels (Q)][B scalars (S_B)][B channels (Q_B)][pair channels (P)]</c>: an interaction has
/// S_B = S and the same Q channels on side B; a network has no B scalars and at most one B channel (|x|²).
/// </summary>
/// <param name="Symbols">The input symbols, in input order.</param>
/// <param name="SideAVectors">The names of side A's vectors (θ's vectors), by index.</param>
/// <param name="SideBVectors">The names of side B's vectors (x; or θ′'s vectors, primed), by index.</param>
/// <param name="ScalarCount">S: side A's scalars, the first inputs (their symbols are their names).</param>
/// <param name="SideAChannels">Side A's per-particle channels, in input order.</param>
/// <param name="SideBScalarCount">S_B.</param>
/// <param name="SideBChannels">Side B's per-particle channels, in input order.</param>
/// <param name="PairChannels">The pair channels, in input order.</param>
internal sealed record InputLayout(
    EquatableArray<string> Symbols,
    EquatableArray<string> SideAVectors,
    EquatableArray<string> SideBVectors,
    int ScalarCount,
    EquatableArray<ParticleChannelSpec> SideAChannels,
    int SideBScalarCount,
    EquatableArray<ParticleChannelSpec> SideBChannels,
    EquatableArray<PairChannelSpec> PairChannels)
{
    /// <summary>Q.</summary>
    public int ParticleChannelCount => SideAChannels.Count;

    /// <summary>S + Q: side A's block (the inputs of a potential, a confinement or a regularizer).</summary>
    public int SideInputCount => ScalarCount + SideAChannels.Count;

    /// <summary>Where side B's block starts.</summary>
    public int SideBOffset => SideInputCount;

    /// <summary>Where side B's channels start.</summary>
    public int SideBChannelOffset => SideBOffset + SideBScalarCount;

    /// <summary>Where the pair channels start.</summary>
    public int PairChannelOffset => SideBChannelOffset + SideBChannels.Count;

    /// <summary>All inputs.</summary>
    public int Count => Symbols.Count;

    /// <summary>Whether input <paramref name="k"/> is a scalar parameter (of either side).</summary>
    public bool IsScalar(int k) => k < ScalarCount || (k >= SideBOffset && k < SideBChannelOffset);

    /// <summary>The vectors' names of <paramref name="side"/>.</summary>
    public EquatableArray<string> Vectors(Side side) => side == Side.A ? SideAVectors : SideBVectors;
}
