namespace MeanField;

/// <summary>
/// Evaluates an interaction model's kernel K(θ, θ′) and its gradients at one pair, straight from the generated
/// operators: the reference meaning of the two-sided input order and of the channel chain rule
/// (<see cref="InteractionLayout"/>). Meant for inspection and tests; <see cref="InteractionEvaluator{TModel}"/> runs the
/// tiled engine instead.
/// </summary>
/// <remarks>
/// Each particle is given flat: <c>scalars</c> (S values, in <see cref="ParticleLayout.ScalarParameters"/> order) and
/// <c>vectors</c> (V × d, row-major: vector parameter a occupies <c>[a·d, (a+1)·d)</c>).
/// <para>Every argument is checked: d ≥ 1, lengths must match exactly (destinations included), and every input value
/// must be finite — an <see cref="ArgumentException"/> names the argument and, for NaN/±∞, the index of the first bad
/// value. Nothing is written when a call is rejected.</para>
/// </remarks>
public static class InteractionUnit
{
    /// <summary>K(θ, θ′).</summary>
    /// <typeparam name="TModel">A generated interaction model.</typeparam>
    /// <param name="scalarsA">θ's scalar parameters, S values.</param>
    /// <param name="vectorsA">θ's vector parameters, V × d row-major.</param>
    /// <param name="scalarsB">θ′'s scalar parameters, S values.</param>
    /// <param name="vectorsB">θ′'s vector parameters, V × d row-major.</param>
    /// <param name="dimension">d ≥ 1.</param>
    public static double Kernel<TModel>(ReadOnlySpan<double> scalarsA, ReadOnlySpan<double> vectorsA, ReadOnlySpan<double> scalarsB, ReadOnlySpan<double> vectorsB, int dimension)
        where TModel : struct, IInteractionModel<TModel>
    {
        InteractionLayout layout = TModel.Layout;
        CheckPair(layout, scalarsA, vectorsA, scalarsB, vectorsB, dimension);
        Span<double> inputs = stackalloc double[layout.InputCount];
        GatherPair<TModel>(layout, scalarsA, vectorsA, scalarsB, vectorsB, dimension, inputs);
        return TModel.Kernel(inputs);
    }

    /// <summary>∇θ K(θ, θ′) and ∇θ′ K(θ, θ′): writes ∂K/∂(θ's scalars, vectors) and ∂K/∂(θ′'s scalars, vectors).</summary>
    /// <typeparam name="TModel">A generated interaction model.</typeparam>
    /// <param name="scalarsA">θ's scalar parameters, S values.</param>
    /// <param name="vectorsA">θ's vector parameters, V × d row-major.</param>
    /// <param name="scalarsB">θ′'s scalar parameters, S values.</param>
    /// <param name="vectorsB">θ′'s vector parameters, V × d row-major.</param>
    /// <param name="dimension">d ≥ 1.</param>
    /// <param name="scalarGradientA">Receives ∂K/∂(θ's scalars), S values.</param>
    /// <param name="vectorGradientA">Receives ∂K/∂(θ's vectors), V × d values.</param>
    /// <param name="scalarGradientB">Receives ∂K/∂(θ′'s scalars), S values.</param>
    /// <param name="vectorGradientB">Receives ∂K/∂(θ′'s vectors), V × d values.</param>
    public static void KernelGradient<TModel>(
        ReadOnlySpan<double> scalarsA,
        ReadOnlySpan<double> vectorsA,
        ReadOnlySpan<double> scalarsB,
        ReadOnlySpan<double> vectorsB,
        int dimension,
        Span<double> scalarGradientA,
        Span<double> vectorGradientA,
        Span<double> scalarGradientB,
        Span<double> vectorGradientB)
        where TModel : struct, IInteractionModel<TModel>
    {
        InteractionLayout layout = TModel.Layout;
        CheckPair(layout, scalarsA, vectorsA, scalarsB, vectorsB, dimension);
        int s = layout.ScalarCount;
        int vd = layout.VectorParameters.Count * dimension;
        RequireLength(scalarGradientA.Length, s, nameof(scalarGradientA), "S");
        RequireLength(vectorGradientA.Length, vd, nameof(vectorGradientA), "V × d");
        RequireLength(scalarGradientB.Length, s, nameof(scalarGradientB), "S");
        RequireLength(vectorGradientB.Length, vd, nameof(vectorGradientB), "V × d");
        Span<double> inputs = stackalloc double[layout.InputCount];
        Span<double> g = stackalloc double[layout.InputCount];
        GatherPair<TModel>(layout, scalarsA, vectorsA, scalarsB, vectorsB, dimension, inputs);
        TModel.KernelGradient(inputs, g);
        g[..s].CopyTo(scalarGradientA);
        g.Slice(layout.SideBOffset, s).CopyTo(scalarGradientB);
        vectorGradientA.Clear();
        vectorGradientB.Clear();
        AddSideGradient(layout, g[s..layout.SideBOffset], vectorsA, dimension, vectorGradientA);
        AddSideGradient(layout, g.Slice(layout.SideBOffset + s, layout.ParticleChannelCount), vectorsB, dimension, vectorGradientB);
        int d = dimension;
        for (int p = 0; p < layout.PairChannelCount; p++)
        {
            PairChannel channel = layout.PairChannels[p];
            double coefficient = g[layout.PairChannelOffset + p];
            ReadOnlySpan<double> a = vectorsA.Slice(channel.First * d, d);
            ReadOnlySpan<double> b = vectorsB.Slice(channel.Second * d, d);
            ChannelChainRule.AddPairChannelSideA(channel.Kind, coefficient, a, b, vectorGradientA.Slice(channel.First * d, d));
            ChannelChainRule.AddPairChannelSideB(channel.Kind, coefficient, a, b, vectorGradientB.Slice(channel.Second * d, d));
        }
    }

    /// <summary>Chain rule of one side's per-particle channels (coefficients Q values) into its vector gradient.</summary>
    internal static void AddSideGradient(InteractionLayout layout, ReadOnlySpan<double> channelCoefficients, ReadOnlySpan<double> vectors, int dimension, Span<double> vectorGradient)
    {
        for (int q = 0; q < layout.ParticleChannelCount; q++)
        {
            ChannelChainRule.AddParticleChannel(layout.ParticleChannels[q], channelCoefficients[q], vectors, dimension, vectorGradient);
        }
    }

    /// <summary>One side's block [scalars (S)][per-particle channels (Q)] (unchecked).</summary>
    internal static void GatherSide(InteractionLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int dimension, Span<double> block)
    {
        int d = dimension;
        scalars.CopyTo(block);
        for (int q = 0; q < layout.ParticleChannelCount; q++)
        {
            ParticleChannel channel = layout.ParticleChannels[q];
            block[layout.ScalarCount + q] = Channels.Dot(vectors.Slice(channel.First * d, d), vectors.Slice(channel.Second * d, d));
        }
    }

    /// <summary>The kernel's inputs for one pair in input order, the side values included (unchecked).</summary>
    internal static void GatherPair<TModel>(
        InteractionLayout layout, ReadOnlySpan<double> scalarsA, ReadOnlySpan<double> vectorsA, ReadOnlySpan<double> scalarsB, ReadOnlySpan<double> vectorsB, int dimension, Span<double> inputs)
        where TModel : struct, IInteractionModel<TModel>
    {
        int d = dimension;
        GatherSide(layout, scalarsA, vectorsA, d, inputs);
        GatherSide(layout, scalarsB, vectorsB, d, inputs[layout.SideBOffset..]);
        for (int p = 0; p < layout.PairChannelCount; p++)
        {
            PairChannel channel = layout.PairChannels[p];
            ReadOnlySpan<double> a = vectorsA.Slice(channel.First * d, d);
            ReadOnlySpan<double> b = vectorsB.Slice(channel.Second * d, d);
            inputs[layout.PairChannelOffset + p] = channel.Kind == PairChannelKind.Dot ? Channels.Dot(a, b) : Channels.SquaredDistance(a, b);
        }

        int h = layout.SideValueCount;
        if (h > 0)
        {
            TModel.SideValues(inputs[..layout.SideInputCount], inputs.Slice(layout.SideValueOffset, h));
            TModel.SideValues(inputs.Slice(layout.SideBOffset, layout.SideInputCount), inputs.Slice(layout.SideValueOffset + h, h));
        }
    }

    private static void CheckPair(
        InteractionLayout layout, ReadOnlySpan<double> scalarsA, ReadOnlySpan<double> vectorsA, ReadOnlySpan<double> scalarsB, ReadOnlySpan<double> vectorsB, int dimension)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension d must be at least 1.");
        }

        CheckParticle(layout, scalarsA, vectorsA, dimension, nameof(scalarsA), nameof(vectorsA));
        CheckParticle(layout, scalarsB, vectorsB, dimension, nameof(scalarsB), nameof(vectorsB));
    }

    private static void CheckParticle(InteractionLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int d, string scalarsName, string vectorsName)
    {
        if (scalars.Length != layout.ScalarCount)
        {
            throw new ArgumentException($"{layout.ModelName} has {layout.ScalarCount} scalar parameters; {scalarsName} has {scalars.Length} values.", scalarsName);
        }

        long expected = (long)layout.VectorParameters.Count * d;
        if (vectors.Length != expected)
        {
            throw new ArgumentException(
                $"{layout.ModelName} has {layout.VectorParameters.Count} vector parameters of dimension {d}, {expected} values (V × d); {vectorsName} has {vectors.Length} values.",
                vectorsName);
        }

        FiniteCheck.Require(scalars, scalarsName);
        FiniteCheck.Require(vectors, d, vectorsName);
    }

    private static void RequireLength(int actual, int expected, string paramName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{paramName} has length {actual}; expected exactly {expected} ({what}).", paramName);
        }
    }
}
