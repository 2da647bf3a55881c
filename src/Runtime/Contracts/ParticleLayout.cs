namespace MeanField;

/// <summary>
/// What every model kind's particles have in common: θ consists of S scalar parameters (one value per particle) and
/// V vector parameters (d values per particle), and the model sees the vectors of one particle only through its
/// per-particle channels v_a·v_b (and |v_a|²). A <see cref="ParticleSet"/> holds particles of any layout;
/// <see cref="NetworkLayout"/> and <see cref="InteractionLayout"/> add what their kind's operators read.
/// </summary>
public abstract class ParticleLayout
{
    /// <summary>Checks and stores the shared part; called by the kinds' constructors.</summary>
    /// <param name="modelName">The model's type name.</param>
    /// <param name="scalarParameters">Names of the scalar parameters.</param>
    /// <param name="vectorParameters">Names of the vector parameters.</param>
    /// <param name="particleChannels">The per-particle channels.</param>
    private protected ParticleLayout(string modelName, string[] scalarParameters, string[] vectorParameters, ParticleChannel[] particleChannels)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(scalarParameters);
        ArgumentNullException.ThrowIfNull(vectorParameters);
        ArgumentNullException.ThrowIfNull(particleChannels);
        foreach (var channel in particleChannels)
        {
            if ((uint)channel.First >= (uint)vectorParameters.Length || (uint)channel.Second >= (uint)vectorParameters.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(particleChannels), channel, "A particle channel names a vector parameter that does not exist.");
            }
        }

        ModelName = modelName;
        ScalarParameters = scalarParameters;
        VectorParameters = vectorParameters;
        ParticleChannels = particleChannels;
    }

    /// <summary>The model's type name.</summary>
    public string ModelName { get; }

    /// <summary>Names of the scalar parameters, in input order (S of them).</summary>
    public IReadOnlyList<string> ScalarParameters { get; }

    /// <summary>Names of the vector parameters (each of dimension d).</summary>
    public IReadOnlyList<string> VectorParameters { get; }

    /// <summary>The per-particle channels, in input order (Q of them).</summary>
    public IReadOnlyList<ParticleChannel> ParticleChannels { get; }

    /// <summary>S.</summary>
    public int ScalarCount => ScalarParameters.Count;

    /// <summary>Q.</summary>
    public int ParticleChannelCount => ParticleChannels.Count;

    /// <summary>Whether the shared part (name, parameters, per-particle channels) equals <paramref name="other"/>'s.</summary>
    /// <param name="other">Another layout (not null).</param>
    private protected bool SharedPartEquals(ParticleLayout other) =>
        ModelName == other.ModelName
        && ScalarParameters.SequenceEqual(other.ScalarParameters)
        && VectorParameters.SequenceEqual(other.VectorParameters)
        && ParticleChannels.SequenceEqual(other.ParticleChannels);
}
