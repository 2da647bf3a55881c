using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MeanField;

/// <summary>
/// The binary file of a <see cref="ParticleSet"/> (and of a <see cref="GradientFlow{TModel}"/> checkpoint):
/// format version 3, little-endian, exact (every double is stored bit for bit, so a run resumed from a file
/// continues bit-identically), protected by a CRC-64 over every byte before it. Format 2 files (network layouts,
/// no weights) are still read, with uniform weights 1/n.
/// </summary>
/// <remarks>
/// <para>The byte layout, the validation order and the safe-write protocol are specified in
/// specs/gradient-flow.md (§3, Checkpoints); in short: a fixed 64-byte header (magic <c>"MFPS"</c>, version,
/// flags, the sizes of everything that follows, the flow state's step count, step size and data fingerprint),
/// the layout block (format 3: a kind byte, 0 = network, 1 = interaction, then the layout), the n·(S + V·d) values,
/// the n weights (format 3), the loss history, the end marker <c>"END."</c> and the CRC-64
/// (ECMA-182, <see cref="Crc64"/>) of all bytes before it. The header's sizes must add up to the file's length
/// exactly before anything is allocated, and nothing is interpreted before the checksum matched.</para>
/// <para>Writes go to <c>{file}.{16 random hex digits}.mftmp</c> in the target's directory, created exclusively
/// (<see cref="FileMode.CreateNew"/>: an existing file or link there is never followed or reused), flushed to
/// disk, then renamed over the target (a link at the target is replaced, not followed). Reads open only regular,
/// non-empty files, without blocking on a FIFO.</para>
/// </remarks>
internal static partial class ParticleFile
{
    /// <summary>The version this build writes (it reads this one and <see cref="OldestReadableVersion"/>).</summary>
    public const int Version = 3;

    /// <summary>The oldest version this build reads: format 2 (network layouts, uniform weights).</summary>
    public const int OldestReadableVersion = 2;

    private const byte NetworkKind = 0;
    private const byte InteractionKind = 1;

    /// <summary>Bytes of the fixed header.</summary>
    public const int HeaderSize = 64;

    /// <summary>Bytes after the payload: the end marker and the CRC-64.</summary>
    public const int TrailerSize = 12;

    /// <summary>The largest layout block accepted (names and channels of one unit are far smaller).</summary>
    public const int MaxLayoutBytes = 1 << 20;

    /// <summary>The suffix of a save's temporary file.</summary>
    public const string TemporarySuffix = ".mftmp";

    /// <summary>A temporary file untouched for this long is a leftover of a killed save, removed by the next save of its target.</summary>
    public static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromMinutes(10);

    private const int FlagFlowState = 1;
    private const int ChunkBytes = 1 << 16;

    private static ReadOnlySpan<byte> Magic => "MFPS"u8;

    private static ReadOnlySpan<byte> End => "END."u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The training data a checkpoint was written for: its shape and an XxHash3 of its bits.</summary>
    public readonly record struct DataFingerprint(int Count, int Dimension, ulong Hash)
    {
        /// <summary>L, d and XxHash3 (seed 0) of (L, d as int32 LE, the L·d inputs, the L targets as float64 LE).</summary>
        public static DataFingerprint Of(SampleSet data)
        {
            var hash = new XxHash3();
            Span<byte> shape = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(shape, data.Count);
            BinaryPrimitives.WriteInt32LittleEndian(shape[4..], data.Dimension);
            hash.Append(shape);
            byte[] buffer = new byte[ChunkBytes];
            AppendDoubles(hash, data.Inputs, buffer);
            AppendDoubles(hash, data.Targets, buffer);
            return new DataFingerprint(data.Count, data.Dimension, hash.GetCurrentHashAsUInt64());
        }

        /// <summary>What differs between this (the checkpoint's) and <paramref name="other"/> (the caller's), in words.</summary>
        public string Describe(DataFingerprint other)
            => (Count, Dimension) != (other.Count, other.Dimension)
                ? $"the checkpoint was trained on {Count} samples of dimension {Dimension}; data has {other.Count} samples of dimension {other.Dimension}"
                : $"both have {Count} samples of dimension {Dimension}, but the values differ (fingerprint {Hash:x16} in the checkpoint, {other.Hash:x16} for data)";
    }

    /// <summary>What a checkpoint holds besides the particles.</summary>
    /// <param name="StepsTaken">Steps taken (≥ 0).</param>
    /// <param name="History">The recorded (step, loss) pairs, steps increasing, none after <paramref name="StepsTaken"/>.</param>
    /// <param name="StepSize">The flow's η (the option the trajectory depends on).</param>
    /// <param name="Data">The training data's fingerprint.</param>
    public readonly record struct FlowState(int StepsTaken, GradientFlowProgress[] History, double StepSize, DataFingerprint Data);

    /// <summary>
    /// Checks a path given for writing: not null or blank, naming a file (not a directory) in a directory that
    /// exists. Returns the full path.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is blank, names no file, or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">Its directory does not exist.</exception>
    public static string ValidateTarget(string path, string paramName)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"The path is blank ('{path}'); name a file.", paramName);
        }

        string full = Path.GetFullPath(path);
        string name = Path.GetFileName(full);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The path '{path}' names no file (its file name is empty or blank).", paramName);
        }

        string? directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': its directory '{directory}' does not exist.");
        }

        if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
        {
            throw new ArgumentException($"The path '{path}' is a directory; name a file.", paramName);
        }

        return full;
    }

    /// <summary>Writes the file safely (see the remarks of <see cref="ParticleFile"/>).</summary>
    public static void Write(string path, ParticleSet particles, FlowState? flow)
    {
        string full = ValidateTarget(path, nameof(path));
        ArgumentNullException.ThrowIfNull(particles);
        string directory = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        var (stream, temporary) = CreateTemporary(directory, name);
        try
        {
            using (stream)
            {
                Write(stream, particles, flow);
                stream.Flush(flushToDisk: true);
            }

            // rename(2): atomic; a link at the target is replaced, never followed.
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        FlushDirectory(directory);
        RemoveStaleTemporaries(directory, name);
    }

    /// <summary>
    /// The safe-write protocol of the remarks for another checksummed format (the DGM checkpoint): <paramref name="write"/>
    /// fills the exclusive temporary file, which is flushed to disk and renamed over the validated target.
    /// </summary>
    internal static void WriteSafely(string path, string paramName, Action<Stream> write)
    {
        string full = ValidateTarget(path, paramName);
        string directory = Path.GetDirectoryName(full)!;
        string name = Path.GetFileName(full);
        var (stream, temporary) = CreateTemporary(directory, name);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        FlushDirectory(directory);
        RemoveStaleTemporaries(directory, name);
    }

    /// <summary>Opens a regular, non-empty file for reading, as <see cref="Read(string)"/> does (no FIFO, links resolved).</summary>
    internal static FileStream OpenForReading(string path) => OpenRegularFile(path);

    /// <summary>Writes the format-3 bytes to a stream (the CRC-64 covers everything before it).</summary>
    public static void Write(Stream stream, ParticleSet particles, FlowState? flow)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(particles);
        byte[] layoutBlock = EncodeLayout(particles.Layout);
        var history = flow?.History ?? [];
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], flow.HasValue ? FlagFlowState : 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], layoutBlock.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], particles.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], particles.Dimension);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], particles.Values.Length);
        if (flow is { } state)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header[32..], state.StepsTaken);
            BinaryPrimitives.WriteInt32LittleEndian(header[36..], history.Length);
            BinaryPrimitives.WriteDoubleLittleEndian(header[40..], state.StepSize);
            BinaryPrimitives.WriteInt32LittleEndian(header[48..], state.Data.Count);
            BinaryPrimitives.WriteInt32LittleEndian(header[52..], state.Data.Dimension);
            BinaryPrimitives.WriteUInt64LittleEndian(header[56..], state.Data.Hash);
        }

        var crc = new Crc64();
        WriteHashed(stream, crc, header);
        WriteHashed(stream, crc, layoutBlock);
        byte[] buffer = new byte[ChunkBytes];
        ReadOnlySpan<double> values = particles.Values;
        while (!values.IsEmpty)
        {
            int count = Math.Min(values.Length, ChunkBytes / sizeof(double));
            for (int k = 0; k < count; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(k * sizeof(double)), values[k]);
            }

            WriteHashed(stream, crc, buffer.AsSpan(0, count * sizeof(double)));
            values = values[count..];
        }

        ReadOnlySpan<double> weights = particles.Weights;
        while (!weights.IsEmpty)
        {
            int count = Math.Min(weights.Length, ChunkBytes / sizeof(double));
            for (int k = 0; k < count; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(k * sizeof(double)), weights[k]);
            }

            WriteHashed(stream, crc, buffer.AsSpan(0, count * sizeof(double)));
            weights = weights[count..];
        }

        Span<byte> entry = stackalloc byte[12];
        foreach (var (step, loss) in history)
        {
            BinaryPrimitives.WriteInt32LittleEndian(entry, step);
            BinaryPrimitives.WriteDoubleLittleEndian(entry[4..], loss);
            WriteHashed(stream, crc, entry);
        }

        WriteHashed(stream, crc, End);
        Span<byte> checksum = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, crc.GetCurrentHashAsUInt64());
        stream.Write(checksum);
    }

    /// <summary>Reads a file, opening it only if it is a regular, non-empty file (never blocking on a FIFO).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not a regular file, or not a valid format-2 or format-3 file (the message names the path and the reason).</exception>
    public static (ParticleSet Particles, FlowState? Flow) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"The path is blank ('{path}'); name a file.", nameof(path));
        }

        using var stream = OpenRegularFile(path);
        return Read(stream, path);
    }

    /// <summary>Reads format-2 or format-3 bytes from a seekable stream positioned at the file's start; <paramref name="source"/> names it in errors.</summary>
    public static (ParticleSet Particles, FlowState? Flow) Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw Invalid(source, "it is not a regular file (its stream cannot seek)");
        }

        try
        {
            return ReadValidated(stream, source);
        }
        catch (EndOfStreamException)
        {
            throw Invalid(source, "it ended while being read (truncated, or changed while it was read)");
        }
    }

    private static (ParticleSet Particles, FlowState? Flow) ReadValidated(Stream stream, string source)
    {
        long length = stream.Length - stream.Position;

        // 1. The fixed header, checked against the file's length before anything is allocated.
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got < Magic.Length || !header[..Magic.Length].SequenceEqual(Magic))
        {
            throw Invalid(source, "it does not start with the MeanField particle-file magic \"MFPS\"");
        }

        if (got < 8)
        {
            throw Invalid(source, $"it ends too early (truncated): {length} bytes, not even a format version");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version == 1)
        {
            throw Invalid(source, "it is format version 1, written before checkpoints carried a checksum and a fingerprint of their data (format 2); this build reads versions 2 and 3: re-run the training (or save the particles again) with this version");
        }

        if (version > Version)
        {
            throw Invalid(source, $"it was written by a newer MeanField (format version {version}; this build reads up to {Version})");
        }

        if (version < 1)
        {
            throw Invalid(source, $"its format version {version} is impossible (corrupted)");
        }

        if (got < HeaderSize)
        {
            throw Invalid(source, $"it ends too early (truncated): {length} bytes, shorter than the {HeaderSize}-byte header");
        }

        int flags = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        int layoutBytes = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        int dimension = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        long valueCount = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        int steps = BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
        int historyCount = BinaryPrimitives.ReadInt32LittleEndian(header[36..]);
        double stepSize = BinaryPrimitives.ReadDoubleLittleEndian(header[40..]);
        int sampleCount = BinaryPrimitives.ReadInt32LittleEndian(header[48..]);
        int sampleDimension = BinaryPrimitives.ReadInt32LittleEndian(header[52..]);
        ulong dataHash = BinaryPrimitives.ReadUInt64LittleEndian(header[56..]);
        bool hasFlow = flags == FlagFlowState;
        if (flags is not (0 or FlagFlowState))
        {
            throw Invalid(source, $"its flags 0x{flags:x8} are unknown (corrupted)");
        }

        Require(source, layoutBytes is > 0 and <= MaxLayoutBytes, $"its layout block size {layoutBytes} is impossible");
        Require(source, count >= 1, $"its particle count {count} is impossible");
        Require(source, dimension >= 1, $"its dimension {dimension} is impossible");
        Require(source, valueCount >= 1 && valueCount <= Array.MaxLength, $"its value count {valueCount} is impossible");
        if (hasFlow)
        {
            Require(source, steps >= 0, $"its step count {steps} is negative");
            Require(source, historyCount >= 0 && historyCount <= (long)steps + 1, $"its loss history has {historyCount} entries for {steps} steps");
            Require(source, double.IsFinite(stepSize) && stepSize > 0, $"its step size {stepSize} is not finite and > 0");
            // Sample count and dimension 0: a dynamic on an energy without sample data (an interaction energy).
            bool noData = sampleCount == 0 && sampleDimension == 0;
            Require(source, noData || sampleCount >= 1, $"its sample count {sampleCount} is impossible");
            Require(source, noData || sampleDimension == dimension, $"its data dimension {sampleDimension} differs from the particles' {dimension}");
        }
        else
        {
            Require(source, steps == 0 && historyCount == 0 && BitConverter.DoubleToInt64Bits(stepSize) == 0 && sampleCount == 0 && sampleDimension == 0 && dataHash == 0,
                "it holds flow-state fields but its flags say it has no flow state");
        }

        long weightBytes = version >= 3 ? (long)count * sizeof(double) : 0;
        long expected = HeaderSize + (long)layoutBytes + (valueCount * sizeof(double)) + weightBytes + (historyCount * 12L) + TrailerSize;
        if (expected != length)
        {
            throw Invalid(source, length < expected
                ? $"it ends too early (truncated): {length} bytes, but its header describes {expected}"
                : $"it has {length} bytes, but its header describes {expected} (corrupted, or data appended)");
        }

        // 2. The rest, every byte into the CRC; nothing is interpreted before the checksum matched.
        var crc = new Crc64();
        crc.Append(header);
        byte[] layoutBlock = new byte[layoutBytes];
        stream.ReadExactly(layoutBlock);
        crc.Append(layoutBlock);
        double[] values = new double[valueCount];
        byte[] buffer = new byte[ChunkBytes];
        Span<double> remaining = values;
        while (!remaining.IsEmpty)
        {
            int chunk = Math.Min(remaining.Length, ChunkBytes / sizeof(double));
            Span<byte> bytes = buffer.AsSpan(0, chunk * sizeof(double));
            stream.ReadExactly(bytes);
            crc.Append(bytes);
            for (int k = 0; k < chunk; k++)
            {
                remaining[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(k * sizeof(double))..]);
            }

            remaining = remaining[chunk..];
        }

        double[]? weights = null;
        if (version >= 3)
        {
            weights = new double[count];
            Span<double> rest = weights;
            while (!rest.IsEmpty)
            {
                int chunk = Math.Min(rest.Length, ChunkBytes / sizeof(double));
                Span<byte> bytes = buffer.AsSpan(0, chunk * sizeof(double));
                stream.ReadExactly(bytes);
                crc.Append(bytes);
                for (int k = 0; k < chunk; k++)
                {
                    rest[k] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(k * sizeof(double))..]);
                }

                rest = rest[chunk..];
            }
        }

        var history = new GradientFlowProgress[historyCount];
        Span<byte> entry = stackalloc byte[12];
        for (int r = 0; r < history.Length; r++)
        {
            stream.ReadExactly(entry);
            crc.Append(entry);
            history[r] = new GradientFlowProgress(BinaryPrimitives.ReadInt32LittleEndian(entry), BinaryPrimitives.ReadDoubleLittleEndian(entry[4..]));
        }

        Span<byte> trailer = stackalloc byte[TrailerSize];
        stream.ReadExactly(trailer);
        crc.Append(trailer[..4]);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(trailer[4..]);
        ulong computed = crc.GetCurrentHashAsUInt64();
        if (stored != computed)
        {
            throw Invalid(source, $"its CRC-64 does not match (stored {stored:x16}, computed {computed:x16}): the file is corrupted");
        }

        Require(source, trailer[..4].SequenceEqual(End), "it does not end with the end marker \"END.\"");

        // 3. The contents, now known to be as written.
        ParticleLayout layout = DecodeLayout(layoutBlock, source, version);
        long perParticle = layout.ScalarCount + ((long)layout.VectorParameters.Count * dimension);
        Require(source, valueCount == count * perParticle, $"its value count {valueCount} is not n·(S + V·d) = {count}·{perParticle}");
        FlowState? flow = null;
        if (hasFlow)
        {
            int previous = -1;
            foreach (var (step, _) in history)
            {
                Require(source, step > previous && step <= steps, $"its loss history records step {step} after step {previous} (steps taken: {steps})");
                previous = step;
            }

            flow = new FlowState(steps, history, stepSize, new DataFingerprint(sampleCount, sampleDimension, dataHash));
        }

        ParticleSet particles = ParticleSet.Wrap(layout, count, dimension, values);
        weights?.CopyTo(particles.Weights); // format 2: the uniform 1/n of a new set
        return (particles, flow);
    }

    /// <summary>The format-3 layout block: the kind byte, then the shared part, then the kind's own fields.</summary>
    private static byte[] EncodeLayout(ParticleLayout particleLayout)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, StrictUtf8, leaveOpen: true))
        {
            switch (particleLayout)
            {
                case NetworkLayout:
                    writer.Write(NetworkKind);
                    break;
                case InteractionLayout:
                    writer.Write(InteractionKind);
                    break;
                default:
                    throw new NotSupportedException($"Particle files store network and interaction layouts; {particleLayout.ModelName} is a {particleLayout.GetType().Name}.");
            }

            writer.Write(particleLayout.ModelName);
            WriteStrings(writer, particleLayout.ScalarParameters);
            WriteStrings(writer, particleLayout.VectorParameters);
            writer.Write(particleLayout.ParticleChannelCount);
            foreach (var channel in particleLayout.ParticleChannels)
            {
                writer.Write(channel.First);
                writer.Write(channel.Second);
            }

            if (particleLayout is NetworkLayout layout)
            {
                writer.Write(layout.UsesSquaredNormOfInput);
                writer.Write(layout.PairChannelCount);
                foreach (int j in layout.PairChannels)
                {
                    writer.Write(j);
                }

                writer.Write(layout.HasRegularizer);
            }
            else
            {
                var interaction = (InteractionLayout)particleLayout;
                writer.Write(interaction.PairChannelCount);
                foreach (PairChannel channel in interaction.PairChannels)
                {
                    writer.Write(channel.First);
                    writer.Write(channel.Second);
                    writer.Write((int)channel.Kind);
                }

                writer.Write(interaction.HasPotential);
                writer.Write(interaction.HasConfinement);
            }
        }

        return memory.ToArray();
    }

    /// <summary>Decodes a layout block: format 2 holds a network layout with no kind byte; format 3 starts with the kind.</summary>
    private static ParticleLayout DecodeLayout(byte[] block, string source, int version)
    {
        using var reader = new BinaryReader(new MemoryStream(block, writable: false), StrictUtf8);
        try
        {
            byte kind = version >= 3 ? reader.ReadByte() : NetworkKind;
            Require(source, kind is NetworkKind or InteractionKind, $"its layout kind {kind} is unknown");
            string model = ReadString(reader, source);
            string[] scalars = ReadStrings(reader, source, block.Length);
            string[] vectors = ReadStrings(reader, source, block.Length);
            var particleChannels = new ParticleChannel[ReadCount(reader, source, block.Length / 8)];
            for (int q = 0; q < particleChannels.Length; q++)
            {
                particleChannels[q] = new ParticleChannel(reader.ReadInt32(), reader.ReadInt32());
            }

            ParticleLayout layout;
            if (kind == NetworkKind)
            {
                bool usesSquaredNorm = reader.ReadBoolean();
                var pairChannels = new int[ReadCount(reader, source, block.Length / 4)];
                for (int p = 0; p < pairChannels.Length; p++)
                {
                    pairChannels[p] = reader.ReadInt32();
                }

                bool hasRegularizer = reader.ReadBoolean();
                layout = new NetworkLayout(model, scalars, vectors, particleChannels, usesSquaredNorm, pairChannels, hasRegularizer);
            }
            else
            {
                var pairChannels = new PairChannel[ReadCount(reader, source, block.Length / 12)];
                for (int p = 0; p < pairChannels.Length; p++)
                {
                    pairChannels[p] = new PairChannel(reader.ReadInt32(), reader.ReadInt32(), (PairChannelKind)reader.ReadInt32());
                }

                bool hasPotential = reader.ReadBoolean();
                bool hasConfinement = reader.ReadBoolean();
                layout = new InteractionLayout(model, scalars, vectors, particleChannels, pairChannels, hasPotential, hasConfinement);
            }

            Require(source, reader.BaseStream.Position == block.Length, "its layout block has bytes after the layout");
            return layout;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or DecoderFallbackException or ArgumentException)
        {
            throw Invalid(source, "its layout block is inconsistent: " + e.Message);
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

    private static string[] ReadStrings(BinaryReader reader, string source, int most)
    {
        var items = new string[ReadCount(reader, source, most)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadString(reader, source);
        }

        return items;
    }

    /// <summary>A <see cref="BinaryWriter.Write(string)"/> string, its length checked against the bytes left before anything is read or allocated.</summary>
    private static string ReadString(BinaryReader reader, string source)
    {
        int length = reader.Read7BitEncodedInt();
        Require(source, length >= 0 && length <= reader.BaseStream.Length - reader.BaseStream.Position, $"its layout holds a string of impossible length {length}");
        return StrictUtf8.GetString(reader.ReadBytes(length));
    }

    private static int ReadCount(BinaryReader reader, string source, int most)
    {
        int count = reader.ReadInt32();
        Require(source, count >= 0 && count <= most, $"its layout holds an impossible count {count}");
        return count;
    }

    private static void WriteHashed(Stream stream, Crc64 crc, ReadOnlySpan<byte> bytes)
    {
        crc.Append(bytes);
        stream.Write(bytes);
    }

    private static void AppendDoubles(NonCryptographicHashAlgorithm hash, ReadOnlySpan<double> values, byte[] buffer)
    {
        while (!values.IsEmpty)
        {
            int count = Math.Min(values.Length, buffer.Length / sizeof(double));
            for (int k = 0; k < count; k++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(k * sizeof(double)), values[k]);
            }

            hash.Append(buffer.AsSpan(0, count * sizeof(double)));
            values = values[count..];
        }
    }

    /// <summary>Creates <c>{name}.{16 random hex}.mftmp</c> exclusively (O_CREAT | O_EXCL: never an existing file or link).</summary>
    private static (FileStream Stream, string Path) CreateTemporary(string directory, string name)
    {
        for (int attempt = 0; ; attempt++)
        {
            string temporary = Path.Combine(directory, $"{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}{TemporarySuffix}");
            try
            {
                return (new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, ChunkBytes), temporary);
            }
            catch (IOException) when (attempt < 4 && Path.Exists(temporary))
            {
                // Taken (planted, or 1 in 2^64): another random name, never this one.
            }
        }
    }

    /// <summary>True for <c>{name}.{16 lower-case hex digits}.mftmp</c>.</summary>
    internal static bool IsTemporaryOf(string fileName, string name)
    {
        int hexLength = 16;
        if (fileName.Length != name.Length + 1 + hexLength + TemporarySuffix.Length
            || !fileName.StartsWith(name, StringComparison.Ordinal)
            || fileName[name.Length] != '.'
            || !fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in fileName.AsSpan(name.Length + 1, hexLength))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Removes leftovers of killed saves of this target: regular files (not links) named like its temporaries and
    /// untouched for <see cref="StaleTemporaryAge"/> (a save in progress writes to its file, so it is never taken).
    /// Best effort: a leftover that cannot be removed is ignored, as readers ignore them all.
    /// </summary>
    private static void RemoveStaleTemporaries(string directory, string name)
    {
        try
        {
            DateTime cutoff = DateTime.UtcNow - StaleTemporaryAge;
            foreach (string candidate in Directory.EnumerateFiles(directory, "*" + TemporarySuffix))
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), name))
                {
                    continue;
                }

                var info = new FileInfo(candidate);
                if (info.LinkTarget is null && (info.Attributes & FileAttributes.ReparsePoint) == 0 && info.LastWriteTimeUtc < cutoff)
                {
                    TryDelete(candidate);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort (see above).
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary is ignored by readers and removed by a later save.
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading only if it (or the final target of a link there) is a regular,
    /// non-empty file. FIFOs, sockets and devices report size 0 and are rejected before opening; on Linux the open
    /// itself is non-blocking (O_NONBLOCK) and the handle is checked again, so a FIFO swapped in between the check
    /// and the open cannot block either.
    /// </summary>
    private static FileStream OpenRegularFile(string path)
    {
        string target = path;
        if (new FileInfo(path).LinkTarget is not null)
        {
            try
            {
                target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            }
            catch (IOException e)
            {
                throw Invalid(path, "it is a symbolic link that cannot be resolved (" + e.Message + ")");
            }
        }

        if (Directory.Exists(target))
        {
            throw Invalid(path, "it is a directory, not a file");
        }

        var info = new FileInfo(target);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"No particle file at '{path}'.", path);
        }

        if (info.Length == 0)
        {
            throw Invalid(path, "it is empty, or not a regular file (a FIFO, socket or device)");
        }

        FileStream stream;
        if (OperatingSystem.IsLinux())
        {
            int descriptor = OpenNonBlocking(path, LinuxReadOnlyNonBlocking);
            if (descriptor < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                throw error == 2 /* ENOENT */
                    ? new FileNotFoundException($"No particle file at '{path}'.", path)
                    : new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
            }

            var handle = new SafeFileHandle(descriptor, ownsHandle: true);
            try
            {
                stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        else
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }

        try
        {
            if (!stream.CanSeek || stream.Length == 0)
            {
                throw Invalid(path, "it is empty, or not a regular file (a FIFO, socket or device)");
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // O_RDONLY | O_NONBLOCK (04000) | O_NOCTTY (0400) | O_CLOEXEC (02000000): the generic Linux values, those of x86,
    // x64, ARM, ARM64, RISC-V, s390x and LoongArch. O_NONBLOCK does not change reads
    // of a regular file; it only keeps open(2) of a FIFO from waiting for a writer.
    private const int LinuxReadOnlyNonBlocking = 0x800 | 0x100 | 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNonBlocking(string path, int flags);

    /// <summary>
    /// On Linux, fsync(2) of the directory, so the rename itself survives a power loss (best effort: some file
    /// systems refuse it, and the file's bytes were already flushed). Elsewhere nothing.
    /// </summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int descriptor = OpenNonBlocking(directory, LinuxReadOnlyNonBlocking);
        if (descriptor >= 0)
        {
            using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
            _ = Fsync(handle);
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle descriptor);

    private static void Require(string source, bool condition, string why)
    {
        if (!condition)
        {
            throw Invalid(source, why);
        }
    }

    private static InvalidDataException Invalid(string source, string why)
        => new($"'{source}' is not a valid MeanField particle file: {why}.");
}
