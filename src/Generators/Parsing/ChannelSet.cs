using System.Collections.Generic;
using MeanField.Generators.Pipeline;
using MeanField.Generators.Symbolic;

namespace MeanField.Generators.Parsing;

/// <summary>
/// The channels a model's formulas use, collected while parsing. A vector is identified by its index
/// among the unit's vector parameters, or <see cref="Input"/> for the input x.
/// </summary>
internal sealed class ChannelSet
{
    /// <summary>The vector index that stands for the input x.</summary>
    public const int Input = -1;

    private readonly IReadOnlyList<string> vectorNames;
    private readonly string inputName;
    private readonly SortedSet<(int First, int Second)> particleChannels = new();
    private readonly SortedSet<int> pairChannels = new();

    public ChannelSet(IReadOnlyList<string> vectorNames, string inputName)
    {
        this.vectorNames = vectorNames;
        this.inputName = inputName;
    }

    public bool UsesSquaredNormOfInput { get; private set; }

    /// <summary>The symbol for a·b, registering the channel.</summary>
    public Expr Dot(int a, int b)
    {
        if (a > b)
        {
            (a, b) = (b, a);
        }

        if (a == Input && b == Input)
        {
            UsesSquaredNormOfInput = true;
            return Expr.Symbol(SampleSymbol);
        }

        if (a == Input)
        {
            pairChannels.Add(b);
            return Expr.Symbol(PairSymbol(b));
        }

        particleChannels.Add((a, b));
        return Expr.Symbol(ParticleSymbol(a, b));
    }

    /// <summary>|a − b|² = |a|² − 2 a·b + |b|², in channels.</summary>
    public Expr SquaredDistance(int a, int b)
        => a == b ? Expr.Zero : Dot(a, a) - (Expr.Constant(2) * Dot(a, b)) + Dot(b, b);

    public string SampleSymbol => NetworkSymbols.Dot(inputName, inputName);

    public string PairSymbol(int j) => NetworkSymbols.Dot(vectorNames[j], inputName);

    public string ParticleSymbol(int a, int b) => NetworkSymbols.Dot(vectorNames[a], vectorNames[b]);

    public IEnumerable<(int First, int Second)> ParticleChannels => particleChannels;

    public IEnumerable<int> PairChannels => pairChannels;
}
