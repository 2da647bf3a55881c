namespace MeanField.Reductions;

/// <summary>
/// What the pairwise tile engine reads at a pair, for both model kinds: the operator's inputs are
/// [side A block (<see cref="ABlock"/>)][side B block (<see cref="BBlock"/>)][pair channels (<see cref="Pairs"/>)],
/// each pair channel a dot product or squared distance between vector <see cref="PairChannel.First"/> of the A point and
/// vector <see cref="PairChannel.Second"/> of the B point.
/// </summary>
internal sealed class PairLayout
{
    private PairLayout(int aBlock, int bBlock, PairChannel[] pairs, bool pairChannelSums, int sideValues = 0)
    {
        ABlock = aBlock;
        BBlock = bBlock;
        Pairs = pairs;
        PairChannelSums = pairChannelSums;
        SideValues = sideValues;
    }

    /// <summary>The number of side-A inputs (the A point's scalars and particle channels).</summary>
    public int ABlock { get; }

    /// <summary>The number of side-B inputs (an interaction's B particle block; a network sample's |x|², or none).</summary>
    public int BBlock { get; }

    /// <summary>The pair channels, in input order.</summary>
    public PairChannel[] Pairs { get; }

    public int PairCount => Pairs.Length;

    /// <summary>The index of the first pair channel among the inputs.</summary>
    public int PairOffset => ABlock + BBlock;

    /// <summary>The operator's gradient entries: every input but the side values.</summary>
    public int GradientCount => PairOffset + Pairs.Length;

    /// <summary>
    /// H: an interaction's side values per point (<see cref="InteractionLayout.SideValueCount"/>), rows ABlock … of the
    /// A side's block and BBlock … of the B side's, read into inputs <see cref="GradientCount"/> + k (A) and
    /// <see cref="GradientCount"/> + H + k (B); none for a network.
    /// </summary>
    public int SideValues { get; }

    public int InputCount => GradientCount + (2 * SideValues);

    /// <summary>
    /// Whether the gradient driver also sums ω·∂k/∂z_p per A point (rows ABlock … ABlock + P − 1 of the sums): an
    /// interaction's chain rule needs them; a network's (pair channels v_j·x, linear in v_j) does not.
    /// </summary>
    public bool PairChannelSums { get; }

    /// <summary>An interaction model: both sides are particles of the layout.</summary>
    public static PairLayout For(InteractionLayout layout) =>
        new(layout.SideInputCount, layout.SideInputCount, [.. layout.PairChannels], pairChannelSums: true, layout.SideValueCount);

    /// <summary>A network model: side A the particles (or probes), side B the samples (vector 0: x; block: |x|² if used).</summary>
    public static PairLayout For(NetworkLayout layout)
    {
        var pairs = new PairChannel[layout.PairChannelCount];
        for (int p = 0; p < pairs.Length; p++)
        {
            pairs[p] = new PairChannel(layout.PairChannels[p], 0, PairChannelKind.Dot);
        }

        return new(layout.ScalarCount + layout.ParticleChannelCount, layout.SampleChannelCount, pairs, pairChannelSums: false);
    }
}
