namespace MeanField;

/// <summary>
/// Evaluates a network model's unit φ(x; θ) and its gradients at one point, straight from the
/// generated operators: the reference meaning of the input order and of the channel chain rule.
/// Meant for inspection and tests; the solvers use the tiled engine instead.
/// </summary>
/// <remarks>
/// θ is given flat: <c>scalars</c> (S values, in <see cref="ParticleLayout.ScalarParameters"/> order) and
/// <c>vectors</c> (V × d, row-major: vector parameter a occupies <c>[a·d, (a+1)·d)</c>).
/// <para>Every argument is checked: lengths must match exactly (destinations included: a longer destination is
/// rejected, never half filled), d ≥ 1, and every input value must be finite — an <see cref="ArgumentException"/>
/// names the argument and, for NaN/±∞, the index of the first bad value. Nothing is written when a call is rejected.</para>
/// </remarks>
public static class NetworkUnit
{
    /// <summary>φ(x; θ).</summary>
    /// <typeparam name="TModel">A generated network model.</typeparam>
    /// <param name="scalars">The scalar parameters, S values.</param>
    /// <param name="vectors">The vector parameters, V × d row-major.</param>
    /// <param name="x">The input, d values.</param>
    public static double Value<TModel>(ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, ReadOnlySpan<double> x)
        where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        CheckPoint(layout, scalars, vectors, x);
        Span<double> inputs = stackalloc double[layout.InputCount];
        Gather(layout, scalars, vectors, x, inputs);
        return TModel.Unit(inputs);
    }

    /// <summary>
    /// ∇θ φ(x; θ) and ∇x φ(x; θ): writes ∂φ/∂(scalars) (S values), ∂φ/∂(vectors) (V × d) and ∂φ/∂x (d values).
    /// </summary>
    /// <typeparam name="TModel">A generated network model.</typeparam>
    /// <param name="scalars">The scalar parameters, S values.</param>
    /// <param name="vectors">The vector parameters, V × d row-major.</param>
    /// <param name="x">The input, d values.</param>
    /// <param name="scalarGradient">Receives ∂φ/∂s, S values.</param>
    /// <param name="vectorGradient">Receives ∂φ/∂v, V × d values.</param>
    /// <param name="inputGradient">Receives ∂φ/∂x, d values.</param>
    public static void Gradient<TModel>(
        ReadOnlySpan<double> scalars,
        ReadOnlySpan<double> vectors,
        ReadOnlySpan<double> x,
        Span<double> scalarGradient,
        Span<double> vectorGradient,
        Span<double> inputGradient)
        where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        int d = x.Length;
        CheckPoint(layout, scalars, vectors, x);
        if (scalarGradient.Length != layout.ScalarCount)
        {
            throw new ArgumentException($"scalarGradient has length {scalarGradient.Length}; expected exactly {layout.ScalarCount} (S).", nameof(scalarGradient));
        }

        if (vectorGradient.Length != layout.VectorParameters.Count * d)
        {
            throw new ArgumentException($"vectorGradient has length {vectorGradient.Length}; expected exactly {layout.VectorParameters.Count * d} (V × d).", nameof(vectorGradient));
        }

        if (inputGradient.Length != d)
        {
            throw new ArgumentException($"inputGradient has length {inputGradient.Length}; expected exactly {d} (d).", nameof(inputGradient));
        }

        Span<double> inputs = stackalloc double[layout.InputCount];
        Span<double> g = stackalloc double[layout.InputCount];
        Gather(layout, scalars, vectors, x, inputs);
        TModel.UnitGradient(inputs, g);

        g[..layout.ScalarCount].CopyTo(scalarGradient);
        vectorGradient.Clear();
        inputGradient.Clear();

        // Particle channels v_a·v_b: ∂/∂v_a = v_b, ∂/∂v_b = v_a (a = b: 2·v_a).
        AddParticleChannelGradients(layout, g, vectors, d, vectorGradient);

        // Sample channel |x|²: ∂/∂x = 2x.
        if (layout.UsesSquaredNormOfInput)
        {
            ChannelChainRule.AddParticleChannel(new ParticleChannel(0, 0), g[layout.SampleChannelOffset], x, x, inputGradient, inputGradient);
        }

        // Pair channels v_j·x (side A = the particle, side B = the sample): ∂/∂v_j = x, ∂/∂x = v_j.
        for (int p = 0; p < layout.PairChannelCount; p++)
        {
            int j = layout.PairChannels[p];
            double coefficient = g[layout.PairChannelOffset + p];
            ReadOnlySpan<double> v = vectors.Slice(j * d, d);
            ChannelChainRule.AddPairChannelSideA(PairChannelKind.Dot, coefficient, v, x, vectorGradient.Slice(j * d, d));
            ChannelChainRule.AddPairChannelSideB(PairChannelKind.Dot, coefficient, v, x, inputGradient);
        }
    }

    /// <summary>U(θ) (0 when the model has no regularizer).</summary>
    /// <typeparam name="TModel">A generated network model.</typeparam>
    /// <param name="scalars">The scalar parameters, S values.</param>
    /// <param name="vectors">The vector parameters, V × d row-major.</param>
    /// <param name="dimension">d.</param>
    public static double Regularizer<TModel>(ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int dimension)
        where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        CheckParticle(layout, scalars, vectors, dimension);
        Span<double> inputs = stackalloc double[layout.RegularizerInputCount];
        GatherParticle(layout, scalars, vectors, dimension, inputs);
        return TModel.Regularizer(inputs);
    }

    /// <summary>∇θ U(θ): writes ∂U/∂(scalars) (S values) and ∂U/∂(vectors) (V × d).</summary>
    /// <typeparam name="TModel">A generated network model.</typeparam>
    /// <param name="scalars">The scalar parameters, S values.</param>
    /// <param name="vectors">The vector parameters, V × d row-major.</param>
    /// <param name="dimension">d.</param>
    /// <param name="scalarGradient">Receives ∂U/∂s, S values.</param>
    /// <param name="vectorGradient">Receives ∂U/∂v, V × d values.</param>
    public static void RegularizerGradient<TModel>(ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int dimension, Span<double> scalarGradient, Span<double> vectorGradient)
        where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        int d = dimension;
        CheckParticle(layout, scalars, vectors, dimension);
        if (scalarGradient.Length != layout.ScalarCount)
        {
            throw new ArgumentException($"scalarGradient has length {scalarGradient.Length}; expected exactly {layout.ScalarCount} (S).", nameof(scalarGradient));
        }

        if (vectorGradient.Length != layout.VectorParameters.Count * d)
        {
            throw new ArgumentException($"vectorGradient has length {vectorGradient.Length}; expected exactly {layout.VectorParameters.Count * d} (V × d).", nameof(vectorGradient));
        }

        Span<double> inputs = stackalloc double[layout.RegularizerInputCount];
        Span<double> g = stackalloc double[layout.RegularizerInputCount];
        GatherParticle(layout, scalars, vectors, d, inputs);
        TModel.RegularizerGradient(inputs, g);
        g[..layout.ScalarCount].CopyTo(scalarGradient);
        vectorGradient.Clear();
        AddParticleChannelGradients(layout, g, vectors, d, vectorGradient);
    }

    /// <summary>Fills the operator inputs [scalars][particle channels][|x|²][v_j·x] for one (x, θ).</summary>
    /// <typeparam name="TModel">A generated network model.</typeparam>
    /// <param name="scalars">The scalar parameters, S values.</param>
    /// <param name="vectors">The vector parameters, V × d row-major.</param>
    /// <param name="x">The input, d values.</param>
    /// <param name="inputs">Receives <see cref="NetworkLayout.InputCount"/> values.</param>
    public static void Inputs<TModel>(ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, ReadOnlySpan<double> x, Span<double> inputs)
        where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        CheckPoint(layout, scalars, vectors, x);
        if (inputs.Length != layout.InputCount)
        {
            throw new ArgumentException($"inputs has length {inputs.Length}; expected exactly {layout.InputCount} (the layout's InputCount).", nameof(inputs));
        }

        Gather(layout, scalars, vectors, x, inputs);
    }

    private static void Gather(NetworkLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, ReadOnlySpan<double> x, Span<double> inputs)
    {
        int d = x.Length;
        GatherParticle(layout, scalars, vectors, d, inputs);

        if (layout.UsesSquaredNormOfInput)
        {
            inputs[layout.SampleChannelOffset] = Channels.SquaredNorm(x);
        }

        for (int p = 0; p < layout.PairChannelCount; p++)
        {
            inputs[layout.PairChannelOffset + p] = Channels.Dot(vectors.Slice(layout.PairChannels[p] * d, d), x);
        }
    }

    /// <summary>The first S + Q inputs: scalars, then particle channels.</summary>
    private static void GatherParticle(NetworkLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int d, Span<double> inputs)
    {
        Check(layout, scalars, vectors, d);
        scalars.CopyTo(inputs);
        for (int q = 0; q < layout.ParticleChannelCount; q++)
        {
            var channel = layout.ParticleChannels[q];
            inputs[layout.ParticleChannelOffset + q] = Channels.Dot(vectors.Slice(channel.First * d, d), vectors.Slice(channel.Second * d, d));
        }
    }

    /// <summary>Shapes and finiteness of one (θ, x): x non-empty (its length is d), then <see cref="CheckParticle"/>, then x finite.</summary>
    private static void CheckPoint(NetworkLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, ReadOnlySpan<double> x)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException("x is empty; the input needs d ≥ 1 values (its length is the dimension d).", nameof(x));
        }

        CheckParticle(layout, scalars, vectors, x.Length);
        FiniteCheck.Require(x, nameof(x));
    }

    /// <summary>Shapes and finiteness of one θ of dimension d.</summary>
    private static void CheckParticle(NetworkLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int dimension)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension d must be at least 1.");
        }

        Check(layout, scalars, vectors, dimension);
        FiniteCheck.Require(scalars, nameof(scalars));
        FiniteCheck.Require(vectors, dimension, nameof(vectors));
    }

    private static void Check(NetworkLayout layout, ReadOnlySpan<double> scalars, ReadOnlySpan<double> vectors, int d)
    {
        if (scalars.Length != layout.ScalarCount)
        {
            throw new ArgumentException($"{layout.ModelName} has {layout.ScalarCount} scalar parameters; got {scalars.Length} values.", nameof(scalars));
        }

        if (vectors.Length != layout.VectorParameters.Count * d)
        {
            throw new ArgumentException($"{layout.ModelName} has {layout.VectorParameters.Count} vector parameters of dimension {d}, {layout.VectorParameters.Count * d} values (V × d); got {vectors.Length} values.", nameof(vectors));
        }
    }

    /// <summary>Chain rule through the particle channels v_a·v_b (the shared <see cref="ChannelChainRule"/>).</summary>
    private static void AddParticleChannelGradients(NetworkLayout layout, ReadOnlySpan<double> g, ReadOnlySpan<double> vectors, int d, Span<double> vectorGradient)
    {
        for (int q = 0; q < layout.ParticleChannelCount; q++)
        {
            ChannelChainRule.AddParticleChannel(layout.ParticleChannels[q], g[layout.ParticleChannelOffset + q], vectors, d, vectorGradient);
        }
    }
}
