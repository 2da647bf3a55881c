using System.Numerics.Tensors;

namespace MeanField;

/// <summary>
/// The one channel chain rule of every model kind: how a gradient with respect to a channel becomes a gradient
/// with respect to the vectors the channel reads. Used by <see cref="NetworkUnit"/>, <see cref="InteractionUnit"/>
/// and the tile loops of the evaluators.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Per-particle channel v_a·v_b with coefficient g: ∂/∂v_a += g·v_b, ∂/∂v_b += g·v_a
/// (a = b, i.e. |v_a|²: ∂/∂v_a += 2g·v_a).</description></item>
/// <item><description>Pair channel a·b (dot): ∂/∂a += g·b, ∂/∂b += g·a.</description></item>
/// <item><description>Pair channel |a − b|² (squared distance): ∂/∂a += 2g·(a − b), ∂/∂b −= 2g·(a − b).</description></item>
/// </list>
/// </remarks>
internal static class ChannelChainRule
{
    /// <summary>Adds the per-particle channel term of one channel: θ's vectors are V × d row-major.</summary>
    /// <param name="channel">The channel v_First·v_Second.</param>
    /// <param name="coefficient">∂(the function)/∂(the channel).</param>
    /// <param name="vectors">The particle's vectors, V × d row-major.</param>
    /// <param name="dimension">d.</param>
    /// <param name="vectorGradient">The particle's vector gradient, V × d row-major; added to.</param>
    public static void AddParticleChannel(ParticleChannel channel, double coefficient, ReadOnlySpan<double> vectors, int dimension, Span<double> vectorGradient)
    {
        int d = dimension;
        AddParticleChannel(
            channel,
            coefficient,
            vectors.Slice(channel.First * d, d),
            vectors.Slice(channel.Second * d, d),
            vectorGradient.Slice(channel.First * d, d),
            vectorGradient.Slice(channel.Second * d, d));
    }

    /// <summary>Adds the per-particle channel term from the two vectors and their gradient rows directly.</summary>
    /// <param name="channel">The channel v_First·v_Second.</param>
    /// <param name="coefficient">∂(the function)/∂(the channel).</param>
    /// <param name="first">v_First (d values).</param>
    /// <param name="second">v_Second (d values; the same values as <paramref name="first"/> when First = Second).</param>
    /// <param name="firstGradient">The gradient row of v_First; added to.</param>
    /// <param name="secondGradient">The gradient row of v_Second (the same row when First = Second); added to.</param>
    public static void AddParticleChannel(
        ParticleChannel channel, double coefficient, ReadOnlySpan<double> first, ReadOnlySpan<double> second, Span<double> firstGradient, Span<double> secondGradient)
    {
        if (channel.First == channel.Second)
        {
            TensorPrimitives.MultiplyAdd(first, 2 * coefficient, firstGradient, firstGradient);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(second, coefficient, firstGradient, firstGradient);
            TensorPrimitives.MultiplyAdd(first, coefficient, secondGradient, secondGradient);
        }
    }

    /// <summary>Adds ∂/∂a of a pair channel (side A's vector): g·b (dot) or 2g·(a − b) (squared distance).</summary>
    /// <param name="kind">The pair channel's kind.</param>
    /// <param name="coefficient">∂(the function)/∂(the channel).</param>
    /// <param name="a">Side A's vector.</param>
    /// <param name="b">Side B's vector.</param>
    /// <param name="aGradient">Side A's gradient row; added to.</param>
    public static void AddPairChannelSideA(PairChannelKind kind, double coefficient, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> aGradient)
    {
        if (kind == PairChannelKind.Dot)
        {
            TensorPrimitives.MultiplyAdd(b, coefficient, aGradient, aGradient);
            return;
        }

        for (int k = 0; k < aGradient.Length; k++)
        {
            aGradient[k] += 2 * coefficient * (a[k] - b[k]);
        }
    }

    /// <summary>Adds ∂/∂b of a pair channel (side B's vector): g·a (dot) or −2g·(a − b) (squared distance).</summary>
    /// <param name="kind">The pair channel's kind.</param>
    /// <param name="coefficient">∂(the function)/∂(the channel).</param>
    /// <param name="a">Side A's vector.</param>
    /// <param name="b">Side B's vector.</param>
    /// <param name="bGradient">Side B's gradient row; added to.</param>
    public static void AddPairChannelSideB(PairChannelKind kind, double coefficient, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> bGradient)
    {
        if (kind == PairChannelKind.Dot)
        {
            TensorPrimitives.MultiplyAdd(a, coefficient, bGradient, bGradient);
            return;
        }

        for (int k = 0; k < bGradient.Length; k++)
        {
            bGradient[k] -= 2 * coefficient * (a[k] - b[k]);
        }
    }

    /// <summary>
    /// The pair-channel term of side A from sums over many B points (the tile loops): with G = Σ_j g_j and
    /// Σ = Σ_j g_j b_j, adds Σ (dot) or 2(G·a − Σ) (squared distance).
    /// </summary>
    /// <param name="kind">The pair channel's kind.</param>
    /// <param name="coefficientSum">G = Σ_j g_j (read for the squared distance only).</param>
    /// <param name="weightedSum">Σ_j g_j b_j.</param>
    /// <param name="a">Side A's vector.</param>
    /// <param name="aGradient">Side A's gradient row; added to.</param>
    public static void AddPairChannelSums(PairChannelKind kind, double coefficientSum, ReadOnlySpan<double> weightedSum, ReadOnlySpan<double> a, Span<double> aGradient)
    {
        if (kind == PairChannelKind.Dot)
        {
            TensorPrimitives.Add(aGradient, weightedSum, aGradient);
            return;
        }

        for (int k = 0; k < aGradient.Length; k++)
        {
            aGradient[k] += 2 * ((coefficientSum * a[k]) - weightedSum[k]);
        }
    }
}
