using System.Collections.Generic;
using System.Linq;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Parsing;

/// <summary>The two sides of a model's formulas: side A is the particle θ; side B is what it meets (the sample x of a
/// network, the other particle θ′ of an interaction).</summary>
internal enum Side
{
    /// <summary>The particle θ.</summary>
    A,

    /// <summary>The sample x (network) or the other particle θ′ (interaction).</summary>
    B,
}

/// <summary>A channel between a vector of side A and a vector of side B.</summary>
/// <param name="First">Index of the vector on side A.</param>
/// <param name="Second">Index of the vector on side B.</param>
/// <param name="IsSquaredDistance">|a − b|² (else a·b).</param>
internal readonly record struct PairChannelKey(int First, int Second, bool IsSquaredDistance);

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
/// (<see cref="PairChannelKey.IsSquaredDistance"/>), never expanded into |a|² − 2a·b + |b|², which cancels to negative
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
    private readonly SortedSet<PairChannelKey> pairChannels = new(Comparer<PairChannelKey>.Create(static (x, y) =>
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

    /// <summary>Whether the network's formulas use |x|² (a per-particle channel of side B).</summary>
    public bool UsesSquaredNormOfInput => !mirrored && sideBChannels.Contains((0, 0));

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

        var key = sideA == Side.A ? new PairChannelKey(indexA, indexB, false) : new PairChannelKey(indexB, indexA, false);
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
            var key = sideA == Side.A ? new PairChannelKey(indexA, indexB, true) : new PairChannelKey(indexB, indexA, true);
            pairChannels.Add(key);
            return Expr.Symbol(PairSymbol(key));
        }

        return Dot(a, a) - (Expr.Constant(2) * Dot(a, b)) + Dot(b, b);
    }

    /// <summary>The network's |x|² symbol.</summary>
    public string SampleSymbol => NetworkSymbols.Dot(sideBNames[0], sideBNames[0]);

    /// <summary>The network's v_j·x symbol.</summary>
    public string PairSymbol(int j) => PairSymbol(new PairChannelKey(j, 0, false));

    /// <summary>The symbol of a pair channel: <c>w·w′</c>, <c>|w − w′|²</c>.</summary>
    public string PairSymbol(PairChannelKey key) => key.IsSquaredDistance
        ? "|" + sideANames[key.First] + " − " + sideBNames[key.Second] + "|²"
        : NetworkSymbols.Dot(sideANames[key.First], sideBNames[key.Second]);

    /// <summary>The symbol of a per-particle channel of side A.</summary>
    public string ParticleSymbol(int a, int b) => ParticleSymbol(Side.A, a, b);

    /// <summary>The symbol of a per-particle channel on <paramref name="side"/>.</summary>
    public string ParticleSymbol(Side side, int a, int b)
    {
        var names = side == Side.A ? sideANames : sideBNames;
        return NetworkSymbols.Dot(names[a], names[b]);
    }

    /// <summary>The per-particle channels (of side A; in a mirrored set, those of either side), in input order.</summary>
    public IEnumerable<(int First, int Second)> ParticleChannels => sideAChannels;

    /// <summary>The network's pair channels v_j·x, by j, in input order.</summary>
    public IEnumerable<int> PairChannels => pairChannels.Select(static k => k.First);

    /// <summary>The pair channels, in input order.</summary>
    public IEnumerable<PairChannelKey> PairChannelKeys => pairChannels;

    private static (Side Side, int Index) Split(int id) => id >= 0 ? (Side.A, id) : (Side.B, -id - 1);
}
