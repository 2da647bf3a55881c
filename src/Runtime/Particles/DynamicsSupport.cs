using System.Buffers.Binary;
using System.IO.Hashing;

namespace MeanField;

/// <summary>An energy that can say which data it was built on, so a checkpoint can check it on resume (<see cref="NetworkEnergy{TModel}"/>).</summary>
internal interface IFingerprintedEnergy
{
    /// <summary>The data's shape and hash.</summary>
    ParticleFile.DataFingerprint Fingerprint { get; }
}

/// <summary>What the stochastic dynamics (<see cref="MeanFieldLangevin"/>, <see cref="BirthDeathDynamics"/>) share: argument checks, noise keys, checkpoint fingerprints.</summary>
internal static class DynamicsSupport
{
    /// <summary>
    /// The key of the noise of one step: every random number of step k is CounterRandom.Normal/Uniform(key, index), a pure
    /// function of (seed, salt, step, index), so a trajectory depends on no thread count and resumes bit-identically.
    /// </summary>
    public static ulong StepKey(ulong seed, ulong salt, int step) =>
        CounterRandom.SplitMix64(CounterRandom.SplitMix64(seed ^ salt) + CounterRandom.SplitMix64((ulong)(uint)step));

    /// <summary>Checks the constructor's arguments shared by the dynamics and returns the energy at the particles.</summary>
    public static double RequireStart(ParticleSet particles, IParticleEnergy energy, int checkpointEvery, string? checkpointPath, string optionsName)
    {
        FiniteCheck.Require(particles, nameof(particles));
        int bad = FiniteCheck.FirstNonFinite(particles.Weights);
        int at = bad >= 0 ? bad : FirstNegative(particles.Weights);
        if (at >= 0)
        {
            throw new ArgumentException($"particles.Weights[{at}] is {FiniteCheck.Format(particles.Weights[at])}; every weight must be finite and ≥ 0.", nameof(particles));
        }

        if (checkpointEvery > 0 && string.IsNullOrWhiteSpace(checkpointPath))
        {
            throw new ArgumentException($"options.CheckpointEvery is {checkpointEvery} but options.CheckpointPath is not set.", optionsName);
        }

        FlowCore.ValidateCheckpointPath(checkpointPath, optionsName);
        double initial = energy.Energy(particles);
        if (!double.IsFinite(initial))
        {
            throw new ArgumentException(
                $"The energy at the initial particles is {FiniteCheck.Format(initial)}: a dynamic must start from a state with a finite energy (it would have no finite state to restore).",
                nameof(particles));
        }

        return initial;
    }

    /// <summary>
    /// The fingerprint a dynamic's checkpoint stores in the flow state's data slot: the energy's data shape (0 × 0 when the
    /// energy has no data) and an XxHash3 of the dynamic's name, the settings its trajectory depends on, and the energy's data hash.
    /// </summary>
    public static ParticleFile.DataFingerprint Fingerprint(string dynamic, IParticleEnergy energy, ReadOnlySpan<double> settings, ulong seed)
    {
        var data = energy is IFingerprintedEnergy fingerprinted ? fingerprinted.Fingerprint : default;
        var hash = new XxHash3();
        hash.Append(System.Text.Encoding.UTF8.GetBytes(dynamic));
        Span<byte> word = stackalloc byte[8];
        foreach (double value in settings)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(word, value);
            hash.Append(word);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(word, seed);
        hash.Append(word);
        BinaryPrimitives.WriteUInt64LittleEndian(word, data.Hash);
        hash.Append(word);
        return new ParticleFile.DataFingerprint(data.Count, data.Dimension, hash.GetCurrentHashAsUInt64());
    }

    /// <summary>Reads a dynamic's checkpoint and checks it against the caller's energy and options (unless <paramref name="allowMismatch"/>).</summary>
    public static (ParticleSet Particles, ParticleFile.FlowState State) ReadCheckpoint(
        string path, string publicName, double stepSize, ParticleFile.DataFingerprint expected, bool allowMismatch, string optionsName)
    {
        var (particles, state) = ParticleFile.Read(path);
        if (state is not { } flowState)
        {
            throw new InvalidDataException($"'{path}' holds particles but no flow state: it was written by ParticleSet.Save, not {publicName}.SaveCheckpoint.");
        }

        if (allowMismatch)
        {
            return (particles, flowState);
        }

        if (flowState.Data != expected)
        {
            throw new ArgumentException(
                $"The checkpoint '{path}' was written by another dynamic, with other settings, or on other data than this {publicName} with this energy "
                + $"(fingerprint {flowState.Data.Hash:x16} in the checkpoint, {expected.Hash:x16} here; the settings checked are the dynamic's noise, rate and seed, and the energy's data). "
                + "Pass allowMismatch: true to continue anyway.",
                optionsName);
        }

        if (BitConverter.DoubleToInt64Bits(stepSize) != BitConverter.DoubleToInt64Bits(flowState.StepSize))
        {
            throw new ArgumentException(
                $"options.StepSize is {stepSize:R}; the checkpoint '{path}' was written with StepSize {flowState.StepSize:R}, "
                + "so the continuation would not be the original trajectory. Pass allowMismatch: true to continue with the new step size anyway.",
                optionsName);
        }

        return (particles, flowState);
    }

    private static int FirstNegative(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                return i;
            }
        }

        return -1;
    }
}
