using MeanField.Generators.Helpers;

namespace MeanField.Generators.Pipeline;

/// <summary>
/// The flat input order of a model's operators, computed once by the parser and read by the emitter and the
/// derivation text: the symbols in order, and where each block starts. Two-sided (interactions):
/// <c>[A scalars (S)][A channels (Q)][B scalars (S)][B channels (Q)][pair channels (P)]</c>.
/// </summary>
/// <param name="Symbols">The input symbols, in input order.</param>
/// <param name="ScalarCount">S.</param>
/// <param name="ParticleChannelCount">Q.</param>
/// <param name="PairChannelCount">P.</param>
internal sealed record InputLayout(EquatableArray<string> Symbols, int ScalarCount, int ParticleChannelCount, int PairChannelCount)
{
    /// <summary>S + Q: one side's block (the inputs of a potential or a confinement).</summary>
    public int SideInputCount => ScalarCount + ParticleChannelCount;

    /// <summary>Where side B's block starts.</summary>
    public int SideBOffset => SideInputCount;

    /// <summary>Where the pair channels start.</summary>
    public int PairChannelOffset => 2 * SideInputCount;

    /// <summary>All inputs: 2(S + Q) + P.</summary>
    public int Count => Symbols.Count;

    /// <summary>Whether input <paramref name="k"/> is a scalar parameter (of either side).</summary>
    public bool IsScalar(int k) => k < ScalarCount || (k >= SideBOffset && k < SideBOffset + ScalarCount);
}
