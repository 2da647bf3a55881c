using System.Text;

namespace MeanField;

/// <summary>
/// The binary file of a <see cref="ParticleSet"/> (and of a <see cref="GradientFlow{TModel}"/> checkpoint):
/// little-endian, self-describing, exact (every double is stored bit for bit, so a run resumed from a file
/// continues bit-identically).
/// </summary>
/// <remarks>
/// Layout: the magic <c>"MFPS"</c>, format version (int32 = 1), the <see cref="NetworkLayout"/> (model name,
/// scalar and vector parameter names, particle channels, |x|² flag, pair channels, regularizer flag), n, d,
/// then the n·(S + V·d) values in <see cref="ParticleSet.Values"/> order, then an optional flow section
/// (steps taken and the recorded (step, loss) pairs), then the magic <c>"END."</c>. Files are written to a
/// temporary file beside the target and then moved over it, so a crash mid-write never leaves a truncated file.
/// </remarks>
internal static class ParticleFile
{
    private const int Version = 1;
    private static readonly byte[] Magic = "MFPS"u8.ToArray();
    private static readonly byte[] End = "END."u8.ToArray();

    /// <summary>What a checkpoint holds besides the particles.</summary>
    public readonly record struct FlowState(int StepsTaken, GradientFlowProgress[] History);

    public static void Write(string path, ParticleSet particles, FlowState? flow)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Write(stream, particles, flow);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void Write(Stream stream, ParticleSet particles, FlowState? flow)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(particles);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var layout = particles.Layout;
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(layout.ModelName);
        WriteStrings(writer, layout.ScalarParameters);
        WriteStrings(writer, layout.VectorParameters);
        writer.Write(layout.ParticleChannelCount);
        foreach (var channel in layout.ParticleChannels)
        {
            writer.Write(channel.First);
            writer.Write(channel.Second);
        }

        writer.Write(layout.UsesSquaredNormOfInput);
        writer.Write(layout.PairChannelCount);
        foreach (int j in layout.PairChannels)
        {
            writer.Write(j);
        }

        writer.Write(layout.HasRegularizer);
        writer.Write(particles.Count);
        writer.Write(particles.Dimension);
        foreach (double value in particles.Values)
        {
            writer.Write(value);
        }

        writer.Write(flow.HasValue);
        if (flow is { } state)
        {
            writer.Write(state.StepsTaken);
            writer.Write(state.History.Length);
            foreach (var (step, loss) in state.History)
            {
                writer.Write(step);
                writer.Write(loss);
            }
        }

        writer.Write(End);
    }

    public static (ParticleSet Particles, FlowState? Flow) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No particle file at '{path}'.", path);
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    public static (ParticleSet Particles, FlowState? Flow) Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic))
            {
                throw Invalid(source, "it does not start with the MeanField particle-file magic \"MFPS\"");
            }

            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw Invalid(source, $"its format version is {version}; this MeanField reads version {Version}");
            }

            string model = reader.ReadString();
            string[] scalars = ReadStrings(reader, source);
            string[] vectors = ReadStrings(reader, source);
            var particleChannels = new ParticleChannel[ReadCount(reader, source, 1 << 16)];
            for (int q = 0; q < particleChannels.Length; q++)
            {
                particleChannels[q] = new ParticleChannel(reader.ReadInt32(), reader.ReadInt32());
            }

            bool usesSquaredNorm = reader.ReadBoolean();
            var pairChannels = new int[ReadCount(reader, source, 1 << 16)];
            for (int p = 0; p < pairChannels.Length; p++)
            {
                pairChannels[p] = reader.ReadInt32();
            }

            bool hasRegularizer = reader.ReadBoolean();
            var layout = new NetworkLayout(model, scalars, vectors, particleChannels, usesSquaredNorm, pairChannels, hasRegularizer);
            int count = reader.ReadInt32();
            int dimension = reader.ReadInt32();
            var particles = ParticleSet.Create(layout, count, dimension);
            var values = particles.Values;
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = reader.ReadDouble();
            }

            FlowState? flow = null;
            if (reader.ReadBoolean())
            {
                int steps = reader.ReadInt32();
                var history = new GradientFlowProgress[ReadCount(reader, source, int.MaxValue)];
                for (int r = 0; r < history.Length; r++)
                {
                    history[r] = new GradientFlowProgress(reader.ReadInt32(), reader.ReadDouble());
                }

                flow = new FlowState(steps, history);
            }

            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(End))
            {
                throw Invalid(source, "it does not end with the end marker (truncated or corrupted)");
            }

            return (particles, flow);
        }
        catch (EndOfStreamException)
        {
            throw Invalid(source, "it ends too early (truncated)");
        }
        catch (ArgumentException e)
        {
            throw Invalid(source, "its contents are inconsistent: " + e.Message);
        }
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> items)
    {
        writer.Write(items.Count);
        foreach (string item in items)
        {
            writer.Write(item);
        }
    }

    private static string[] ReadStrings(BinaryReader reader, string source)
    {
        var items = new string[ReadCount(reader, source, 1 << 16)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = reader.ReadString();
        }

        return items;
    }

    private static int ReadCount(BinaryReader reader, string source, int most)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > most)
        {
            throw Invalid(source, $"it holds an impossible count {count}");
        }

        return count;
    }

    private static InvalidDataException Invalid(string source, string why)
        => new($"'{source}' is not a valid MeanField particle file: {why}.");
}
