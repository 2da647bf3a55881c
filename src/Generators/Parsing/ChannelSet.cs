using System.Collections.Generic;
using System.Linq;
using MeanField.Generators.Helpers;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Parsing;

/// <summary>
/// The channels a model's formulas use, collected while parsing; every vector argument has a side. A vector is
/// identified by an <c>int</c> id: <c>k ≥ 0</c> is vector k of side A, <c>−(k + 1)</c> vector k of side B
/// (<see cref="Input"/> = −1 is the network's input x, the only vector of its side B).
/// </summary>
/// <remarks>
/// Channels within one side are per-particle channels (<c>(First, Second)</c>, First ≤ Second, pairs of indices on
/// that side); channels across the sides are pair channels. In a <em>mirrored</em> set (interactions: both sides are
/// particles of one kind) a per-particle channel used on either side exists on both, with the same index. With
/// <c>directSquaredDistance</c> a cross-side |a − b|² is a pair channel of its own
/// (<see cref="PairChannelSpec.IsSquaredDistance"/>), never expanded into |a|² − 2a·b + |b|², which cancels to negative
/// values at a ≈ b; networks keep the expansion (their generated code is unchanged by this type).
/// </remarks>
internal sealed class ChannelSet
{
    /// <summary>The vector id that stands for the network's input x (vector 0 of side B).</summary>
    public const int Input = -1;

    private readonly IReadOnlyList<string> sideANames;
    private readonly IReadOnlyList<string> sideBNames;
    private readonly bool mirrored;
    private readonly bool directSquaredDistance;
    private readonly SortedSet<(int First, int Second)> sideAChannels = new();
    private readonly SortedSet<(int First, int Second)> sideBChannels = new();
    private readonly SortedSet<PairChannelSpec> pairChannels = new(Comparer<PairChannelSpec>.Create(static (x, y) =>
        x.First != y.First ? x.First.CompareTo(y.First)
        : x.Second != y.Second ? x.Second.CompareTo(y.Second)
        : x.IsSquaredDistance.CompareTo(y.IsSquaredDistance)));

    private ChannelSet(IReadOnlyList<string> sideANames, IReadOnlyList<string> sideBNames, bool mirrored, bool directSquaredDistance)
    {
        this.sideANames = sideANames;
        this.sideBNames = sideBNames;
        this.mirrored = mirrored;
        this.directSquaredDistance = directSquaredDistance;
    }

    /// <summary>A network's channels: side A the unit's vectors, side B the input x alone.</summary>
    public static ChannelSet ForNetwork(IReadOnlyList<string> vectorNames, string inputName)
        => new(vectorNames, new[] { inputName }, mirrored: false, directSquaredDistance: false);

    /// <summary>An interaction's channels: side A the vectors of θ, side B those of θ′ (named with a prime).</summary>
    public static ChannelSet ForInteraction(IReadOnlyList<string> vectorNames)
        => new(vectorNames, vectorNames.Select(Prime).ToArray(), mirrored: true, directSquaredDistance: true);

    /// <summary>The name of a parameter of θ′: the name of θ's with a prime.</summary>
    public static string Prime(string name) => name + "′";

    /// <summary>The id of vector <paramref name="index"/> on <paramref name="side"/>.</summary>
    public static int Id(Side side, int index) => side == Side.A ? index : -(index + 1);

    /// <summary>The symbol for a·b, registering the channel.</summary>
    public Expr Dot(int a, int b)
    {
        var (sideA, indexA) = Split(a);
        var (sideB, indexB) = Split(b);
        if (sideA == sideB)
        {
            if (indexA > indexB)
            {
                (indexA, indexB) = (indexB, indexA);
            }

            if (mirrored || sideA == Side.A)
            {
                sideAChannels.Add((indexA, indexB));
                return Expr.Symbol(ParticleSymbol(sideA, indexA, indexB));
            }

            sideBChannels.Add((indexA, indexB));
            return Expr.Symbol(ParticleSymbol(Side.B, indexA, indexB));
        }

        var key = sideA == Side.A ? new PairChannelSpec(indexA, indexB, false) : new PairChannelSpec(indexB, indexA, false);
        pairChannels.Add(key);
        return Expr.Symbol(PairSymbol(key));
    }

    /// <summary>|a − b|²: a pair channel of its own across the sides when the set says so, else |a|² − 2 a·b + |b|².</summary>
    public Expr SquaredDistance(int a, int b)
    {
        if (a == b)
        {
            return Expr.Zero;
        }

        var (sideA, indexA) = Split(a);
        var (sideB, indexB) = Split(b);
        if (directSquaredDistance && sideA != sideB)
        {
            var key = sideA == Side.A ? new PairChannelSpec(indexA, indexB, true) : new PairChannelSpec(indexB, indexA, true);
            pairChannels.Add(key);
            return Expr.Symbol(PairSymbol(key));
        }

        return Dot(a, a) - (Expr.Constant(2) * Dot(a, b)) + Dot(b, b);
    }

    /// <summary>Symbol of the channel a·b (a = b: |a|²).</summary>
    public static string DotSymbol(string a, string b) => a == b ? "|" + a + "|²" : a + "·" + b;

    /// <summary>The symbol of a pair channel: <c>w·w′</c>, <c>|w − w′|²</c>.</summary>
    public string PairSymbol(PairChannelSpec key) => key.IsSquaredDistance
        ? "|" + sideANames[key.First] + " − " + sideBNames[key.Second] + "|²"
        : DotSymbol(sideANames[key.First], sideBNames[key.Second]);

    /// <summary>The symbol of a per-particle channel on <paramref name="side"/>.</summary>
    public string ParticleSymbol(Side side, int a, int b)
    {
        var names = side == Side.A ? sideANames : sideBNames;
        return DotSymbol(names[a], names[b]);
    }

    /// <summary>
    /// The input layout of the model's operators, for every kind: side A's scalars (<paramref name="scalars"/>) and
    /// channels, side B's scalars (in a mirrored set, θ′'s: the same names primed; a network has none) and channels,
    /// then the pair channels, each block in the order of its sorted set. Call it once the formulas are parsed.
    /// </summary>
    public InputLayout Layout(IReadOnlyList<string> scalars)
    {
        var sideB = mirrored ? sideAChannels : sideBChannels;
        var sideBScalars = mirrored ? scalars.Select(Prime).ToArray() : System.Array.Empty<string>();
        var symbols = new List<string>(scalars);
        symbols.AddRange(sideAChannels.Select(c => ParticleSymbol(Side.A, c.First, c.Second)));
        symbols.AddRange(sideBScalars);
        symbols.AddRange(sideB.Select(c => ParticleSymbol(Side.B, c.First, c.Second)));
        symbols.AddRange(pairChannels.Select(PairSymbol));
        return new InputLayout(
            new EquatableArray<string>(symbols.ToArray()),
            new EquatableArray<string>(sideANames.ToArray()),
            new EquatableArray<string>(sideBNames.ToArray()),
            scalars.Count,
            Channels(sideAChannels),
            sideBScalars.Length,
            Channels(sideB),
            new EquatableArray<PairChannelSpec>(pairChannels.ToArray()));
    }

    private static EquatableArray<ParticleChannelSpec> Channels(IEnumerable<(int First, int Second)> channels)
        => new(channels.Select(static c => new ParticleChannelSpec(c.First, c.Second)).ToArray());

    private static (Side Side, int Index) Split(int id) => id >= 0 ? (Side.A, id) : (Side.B, -id - 1);
}
