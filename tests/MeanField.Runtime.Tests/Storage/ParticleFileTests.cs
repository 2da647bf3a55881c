using System.Buffers.Binary;
using System.IO.Hashing;
using MeanField.Runtime.Tests.TestModels;
using Xunit.Abstractions;

namespace MeanField.Runtime.Tests.Storage;

/// <summary>Particle file format 3 (and reading format 2): the byte layout, the CRC-64, and every corruption rejected before anything is used.</summary>
public sealed class ParticleFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("meanfield-particlefile-").FullName;
    private readonly ITestOutputHelper output;

    public ParticleFileTests(ITestOutputHelper output) => this.output = output;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A small checkpoint: 2 TanhRidge particles of dimension 2 after 3 steps (a few hundred bytes).</summary>
    private (string Path, byte[] Bytes, SampleSet Data) SmallCheckpoint()
    {
        var data = TestData.Samples(8, 2, 81);
        string path = Path.Combine(folder, "small.mfps");
        using (var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(2, 2, 82), data, new GradientFlowOptions { StepSize = 0.25, MaxSteps = 3, ThreadCount = 1 }))
        {
            flow.Run();
            flow.SaveCheckpoint(path);
        }

        return (path, File.ReadAllBytes(path), data);
    }

    [Fact]
    public void TheHeaderAndTrailerAreWhereTheSpecSays()
    {
        var (_, bytes, data) = SmallCheckpoint();
        var layout = ParticleSet.Create<TanhRidge>(2, 2).Layout;
        long values = ParticleSet.Create<TanhRidge>(2, 2).Values.Length;

        Assert.Equal("MFPS"u8.ToArray(), bytes[..4]);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0, bytes[64]); // the layout kind: network
        int layoutBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        Assert.Equal((2, 2), (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20))));
        Assert.Equal(values, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)));
        int history = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(36));
        Assert.Equal(4, history);
        Assert.Equal(0.25, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(40)));
        Assert.Equal((8, 2), (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(48)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(52))));
        Assert.Equal(data.Fingerprint.Hash, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(56)));
        Assert.Equal(64 + layoutBytes + (8 * values) + (8 * 2) + (12 * history) + 12, bytes.Length);
        int weights = 64 + layoutBytes + (8 * (int)values);
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(weights)));
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(weights + 8)));
        Assert.Equal("END."u8.ToArray(), bytes[^12..^8]);
        Assert.Equal(Crc64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)));
        Assert.True(layout.ModelName.Length > 0);
    }

    [Fact]
    public void EverySingleBitFlipIsRejectedNamingTheFile()
    {
        var (_, bytes, data) = SmallCheckpoint();
        string path = Path.Combine(folder, "flipped.mfps");
        var options = new GradientFlowOptions { StepSize = 0.25, ThreadCount = 1 };
        int total = 0, rejected = 0;
        var loaded = new List<string>();
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            byte[] flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            File.WriteAllBytes(path, flipped);
            total++;
            try
            {
                using var flow = GradientFlow<TanhRidge>.Resume(path, data, options);
                loaded.Add($"bit {bit} (byte {bit / 8}) loaded");
            }
            catch (InvalidDataException e) when (e.Message.Contains(path, StringComparison.Ordinal))
            {
                rejected++;
            }
            catch (Exception e)
            {
                loaded.Add($"bit {bit} (byte {bit / 8}): {e.GetType().Name}: {e.Message}");
            }
        }

        output.WriteLine($"{rejected} of {total} single-bit flips of a {bytes.Length}-byte checkpoint rejected.");
        Assert.True(loaded.Count == 0, string.Join("\n", loaded.Take(20)));
        Assert.Equal(bytes.Length * 8, total);
        Assert.Equal(total, rejected);
    }

    [Fact]
    public void EveryTruncationAndAppendedByteIsRejectedNamingTheFile()
    {
        var (_, bytes, _) = SmallCheckpoint();
        string path = Path.Combine(folder, "cut.mfps");
        for (int length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }

        File.WriteAllBytes(path, [.. bytes, 0]);
        var appended = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        Assert.Contains("header describes", appended.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue, int.MaxValue, 2147483591L, 0, 0)]
    [InlineData(1, 1, 2L, int.MaxValue - 1, int.MaxValue)]
    [InlineData(1 << 20, 1000, 2147483591L, 1000, 1001)]
    public void CraftedHeaderClaimingHugeSizesIsRejectedBeforeAllocating(int count, int dimension, long valueCount, int steps, int history)
    {
        string path = Path.Combine(folder, "crafted.mfps");
        byte[] header = new byte[64 + 40];
        "MFPS"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), 1 << 20);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), dimension);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), valueCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(32), steps);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(36), history);
        BinaryPrimitives.WriteDoubleLittleEndian(header.AsSpan(40), 0.1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(48), 10);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(52), dimension);
        File.WriteAllBytes(path, header);
        Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path)); // warm-up: JIT and first-use allocations

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"Rejecting the crafted header allocated {allocated} bytes.");
    }

    [Fact]
    public void OldAndNewerVersionsGetClearMessages()
    {
        var (_, bytes, _) = SmallCheckpoint();
        string path = Path.Combine(folder, "version.mfps");
        byte[] old = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(4), 1);
        File.WriteAllBytes(path, old);
        var v1 = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        Assert.Contains(path, v1.Message, StringComparison.Ordinal);
        Assert.Contains("version 1", v1.Message, StringComparison.Ordinal);
        Assert.Contains("written before", v1.Message, StringComparison.Ordinal);
        Assert.Contains("re-run", v1.Message, StringComparison.Ordinal);

        byte[] newer = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(newer.AsSpan(4), 4);
        File.WriteAllBytes(path, newer);
        var v4 = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        Assert.Contains("written by a newer MeanField (format version 4; this build reads up to 3)", v4.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsThatPassTheChecksumAreStillValidated()
    {
        var (_, bytes, data) = SmallCheckpoint();
        string path = Path.Combine(folder, "edited.mfps");

        // A negative step count, with the checksum recomputed (an edit, not a corruption).
        File.WriteAllBytes(path, Edited(bytes, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(32), -1)));
        var negative = Assert.Throws<InvalidDataException>(() => GradientFlow<TanhRidge>.Resume(path, data, new GradientFlowOptions { StepSize = 0.25 }));
        Assert.Contains("step count -1 is negative", negative.Message, StringComparison.Ordinal);
        Assert.Contains(path, negative.Message, StringComparison.Ordinal);

        // A history entry after the step count.
        int lastEntry = bytes.Length - 12 - 12;
        File.WriteAllBytes(path, Edited(bytes, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(lastEntry), 99)));
        var late = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        Assert.Contains("records step 99", late.Message, StringComparison.Ordinal);

        // A step size that is not a step size.
        File.WriteAllBytes(path, Edited(bytes, b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(40), double.NaN)));
        Assert.Contains("step size", Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path)).Message, StringComparison.Ordinal);

        // A layout string claiming 2^31 − 1 bytes (BinaryReader.ReadString would reserve 4 GB for it first).
        File.WriteAllBytes(path, Edited(bytes, b => new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }.CopyTo(b, 65)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var huge = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "Rejecting a huge layout string allocated a megabyte or more.");
        Assert.Contains("string of impossible length 2147483647", huge.Message, StringComparison.Ordinal);

        // The unedited file still loads (the edits above are what is rejected).
        File.WriteAllBytes(path, Edited(bytes, _ => { }));
        Assert.Equal(2, ParticleSet.Load(path).Count);
    }

    [Fact]
    public void PlainParticleFilesRoundTripWithoutFlowState()
    {
        var particles = TestData.TanhParticles(5, 3, 83);
        string path = Path.Combine(folder, "plain.mfps");
        particles.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(TestData.Bits(particles.Values), TestData.Bits(ParticleSet.Load(path).Values));
    }

    [Fact]
    public void WeightedInteractionParticlesRoundTripBitForBit()
    {
        ParticleSet particles = ConfinedBumps.Particles(7, 3, 84);
        for (int i = 0; i < 7; i++)
        {
            particles.Weights[i] = (i + 1) / 28.0;
        }

        particles.Weights[3] = 0; // a dead particle keeps its (zero) weight
        string path = Path.Combine(folder, "weighted.mfps");
        particles.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(1, bytes[64]); // the layout kind: interaction
        ParticleSet loaded = ParticleSet.Load(path);
        Assert.Equal(ConfinedBumps.LayoutInstance, Assert.IsType<InteractionLayout>(loaded.Layout));
        Assert.Equal(TestData.Bits(particles.Values), TestData.Bits(loaded.Values));
        Assert.Equal(TestData.Bits(particles.Weights), TestData.Bits(loaded.Weights));
    }

    [Fact]
    public void EverySingleBitFlipOfAWeightedInteractionFileIsRejected()
    {
        ParticleSet particles = ConfinedBumps.Particles(3, 2, 85);
        particles.Weights[1] = 0.125;
        string source = Path.Combine(folder, "source.mfps");
        particles.Save(source);
        byte[] bytes = File.ReadAllBytes(source);
        string path = Path.Combine(folder, "flipped-weights.mfps");
        var loaded = new List<string>();
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            byte[] flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            File.WriteAllBytes(path, flipped);
            try
            {
                ParticleSet.Load(path);
                loaded.Add($"bit {bit} (byte {bit / 8}) loaded");
            }
            catch (InvalidDataException e) when (e.Message.Contains(path, StringComparison.Ordinal))
            {
            }
            catch (Exception e)
            {
                loaded.Add($"bit {bit} (byte {bit / 8}): {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(loaded.Count == 0, string.Join("\n", loaded.Take(20)));
    }

    [Fact]
    public void Format2FilesStillLoadWithUniformWeights()
    {
        // A format-2 file as the previous build wrote it: the same bytes without the layout kind and the weights.
        var (_, bytes, data) = SmallCheckpoint();
        byte[] old = ToFormat2(bytes);
        string path = Path.Combine(folder, "format2.mfps");
        File.WriteAllBytes(path, old);
        ParticleSet loaded = ParticleSet.Load(path);
        Assert.True(loaded.HasUniformWeights);
        Assert.IsType<NetworkLayout>(loaded.Layout);
        string current = Path.Combine(folder, "format3.mfps");
        File.WriteAllBytes(current, bytes);
        Assert.Equal(TestData.Bits(ParticleSet.Load(current).Values), TestData.Bits(loaded.Values));
        using var resumed = GradientFlow<TanhRidge>.Resume(path, data, new GradientFlowOptions { StepSize = 0.25, ThreadCount = 1 });
        Assert.Equal(3, resumed.StepsTaken);
    }

    /// <summary>Format-3 bytes of a uniformly weighted network set rewritten as format 2 (version 2, no kind byte, no weights, CRC recomputed).</summary>
    private static byte[] ToFormat2(byte[] bytes)
    {
        int layoutBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        long values = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24));
        int weights = 64 + layoutBytes + (8 * (int)values);
        byte[] header = bytes[..64];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), layoutBytes - 1);
        byte[] old = [.. header, .. bytes[65..weights], .. bytes[(weights + (8 * count))..^8], 0, 0, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt64LittleEndian(old.AsSpan(old.Length - 8), Crc64.HashToUInt64(old.AsSpan(0, old.Length - 8)));
        return old;
    }

    /// <summary>The bytes with an edit applied and the CRC-64 recomputed.</summary>
    private static byte[] Edited(byte[] bytes, Action<byte[]> edit)
    {
        byte[] copy = (byte[])bytes.Clone();
        edit(copy);
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), Crc64.HashToUInt64(copy.AsSpan(0, copy.Length - 8)));
        return copy;
    }
}
