using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// Checkpoint and resume of <see cref="ErgodicDgmTrainer{TGame}"/> (specs/dgm.md §5.3), and its bad inputs: the trainer is
/// internal, so these rows live here rather than in the public bad-input matrix (whose rows must name public members).
/// </summary>
public sealed class DgmCheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mf-dgm-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Built the same way every time: d = 2, a decaying learning rate (so α_t is part of the state), a partial tile.</summary>
    private static ErgodicDgmTrainer<ExplicitErgodicGame2D> Trainer(ulong seed = 5, int width = 8, double learningRate = 1e-3, int threads = 1, double densityFraction = 0, double normalisationAverage = 1)
        => new(width, 2, 70, seed, learningRate, 1e-2, decay: 0.999, threads: threads, densityFraction: densityFraction, normalisationAverage: normalisationAverage);

    /// <summary>
    /// Six steps straight against three, save, a fresh trainer loaded from the file, three more: the losses of steps 4–6,
    /// λ and every parameter are bit-identical (the file stores every double bit for bit, with both optimisers' moments,
    /// bias-correction powers, step counts and decayed rates; the batch stream is counter-based on the step).
    /// </summary>
    /// <remarks>With density chains (half of each batch, the last two rows) the file also carries the chains' points and v at
    /// each: without them the resumed batches, and so the losses, would differ from step 4 on. With Z averaged over batches
    /// (the last row) it carries ln Z̄, without which the resumed m, and so the losses, would differ.</remarks>
    [Theory]
    [InlineData(1, 0.0, 1.0)]
    [InlineData(2, 0.0, 1.0)]
    [InlineData(2, 0.5, 1.0)]
    [InlineData(1, 0.5, 0.1)]
    public void ResumeContinuesBitIdentically(int threads, double densityFraction, double normalisationAverage)
    {
        ErgodicDgmTrainer<ExplicitErgodicGame2D> Trainer() => DgmCheckpointTests.Trainer(threads: threads, densityFraction: densityFraction, normalisationAverage: normalisationAverage);
        var straight = Trainer();
        double[] expected = new double[6];
        for (int s = 0; s < 6; s++)
        {
            expected[s] = straight.Step();
        }

        var first = Trainer();
        for (int s = 0; s < 3; s++)
        {
            first.Step();
        }

        string path = PathOf("run.mfdgm");
        first.SaveCheckpoint(path);
        var resumed = Trainer();
        resumed.LoadCheckpoint(path);
        Assert.Equal(3, resumed.Steps);
        for (int s = 3; s < 6; s++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[s]), BitConverter.DoubleToInt64Bits(resumed.Step()));
        }

        Assert.Equal(BitConverter.DoubleToInt64Bits(straight.Lambda), BitConverter.DoubleToInt64Bits(resumed.Lambda));
        Assert.True(straight.U.Parameters.SequenceEqual(resumed.U.Parameters), "u's parameters differ");
        Assert.True(straight.V.Parameters.SequenceEqual(resumed.V.Parameters), "v's parameters differ");
    }

    /// <summary>Every single-byte corruption of the file (header, payload, end marker, checksum) is refused with a clear error, and the trainer is left as it was.</summary>
    [Fact]
    public void CorruptedFilesAreRefused()
    {
        var trainer = Trainer();
        trainer.Step();
        string path = PathOf("good.mfdgm");
        trainer.SaveCheckpoint(path);
        byte[] good = File.ReadAllBytes(path);
        var target = Trainer();
        double[] before = target.U.Parameters.ToArray();
        var random = new Random(3);
        int[] offsets = [0, 4, 8, 24, 40, 63, 64, 100, good.Length / 2, good.Length - 13, good.Length - 12, good.Length - 9, good.Length - 1, .. Enumerable.Range(0, 20).Select(_ => random.Next(good.Length))];
        foreach (int offset in offsets)
        {
            byte[] bad = (byte[])good.Clone();
            bad[offset] ^= 0x10;
            string badPath = PathOf($"bad-{offset}.mfdgm");
            File.WriteAllBytes(badPath, bad);
            Exception e = Assert.ThrowsAny<Exception>(() => target.LoadCheckpoint(badPath));
            Assert.True(e is InvalidDataException or ArgumentException, $"byte {offset}: {e.GetType().Name}: {e.Message}");
            Assert.Contains(badPath, e.Message, StringComparison.Ordinal);
            Assert.True(before.AsSpan().SequenceEqual(target.U.Parameters), $"byte {offset}: the trainer changed");
            Assert.Equal(0, target.Steps);
        }
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "truncated to half", nameof(InvalidDataException), ["CRC-64"] },
        { "empty", nameof(InvalidDataException), ["empty"] },
        { "another format (a particle-file magic)", nameof(InvalidDataException), ["MFDG"] },
        { "a newer format version", nameof(InvalidDataException), ["format version is 2"] },
        { "missing", nameof(FileNotFoundException), [] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFilesAreRefusedWithAClearError(string what, string exception, string[] message)
    {
        var trainer = Trainer();
        string path = PathOf("good.mfdgm");
        trainer.SaveCheckpoint(path);
        byte[] good = File.ReadAllBytes(path);
        string bad = PathOf("bad.mfdgm");
        switch (what)
        {
            case "truncated to half": File.WriteAllBytes(bad, good[..(good.Length / 2)]); break;
            case "empty": File.WriteAllBytes(bad, []); break;
            case "another format (a particle-file magic)": File.WriteAllBytes(bad, [.. "MFPS"u8.ToArray(), .. good[4..]]); break;
            case "a newer format version":
                byte[] newer = (byte[])good.Clone();
                newer[4] = 2;
                File.WriteAllBytes(bad, newer);
                break;
            default: break;
        }

        Exception e = Assert.ThrowsAny<Exception>(() => trainer.LoadCheckpoint(bad));
        Assert.Equal(exception, e.GetType().Name);
        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
        foreach (string part in message)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The header's offsets 40–47 (specs/dgm.md §5.3): with each batch's own Z they hold the payload length as the int64
    /// every earlier file wrote (so those files read 0 at offset 44 and still load); with Z averaged, offset 44 holds 1 and
    /// the payload ends with (β, ln Z̄).
    /// </summary>
    [Fact]
    public void TheHeaderRecordsZsAveragingWhereEarlierFilesHeldZero()
    {
        string plain = PathOf("plain.mfdgm"), averaged = PathOf("averaged.mfdgm");
        var batchZ = Trainer();
        batchZ.Step();
        batchZ.SaveCheckpoint(plain);
        var average = Trainer(normalisationAverage: 0.1);
        average.Step();
        average.SaveCheckpoint(averaged);

        byte[] a = File.ReadAllBytes(plain), b = File.ReadAllBytes(averaged);
        long payload = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(a.AsSpan(40));
        Assert.Equal((a.Length - 64 - 12) / 8, payload);
        Assert.Equal(0, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(a.AsSpan(44)));
        Assert.Equal(1, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(44)));
        int doubles = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(40));
        Assert.Equal(payload + 2, doubles);
        double beta = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(64 + ((doubles - 2) * 8)));
        double logZ = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(64 + ((doubles - 1) * 8)));
        Assert.Equal(0.1, beta);
        Assert.Equal(average.LogNormalisation, logZ);
    }

    /// <summary>A checkpoint of another configuration: ArgumentException on path, saying what differs; the trainer unchanged.</summary>
    [Fact]
    public void CheckpointsOfAnotherConfigurationAreRefused()
    {
        string path = PathOf("w8.mfdgm");
        Trainer().SaveCheckpoint(path);
        void Refused(ErgodicDgmTrainer<ExplicitErgodicGame2D> other, string part)
        {
            double[] before = other.U.Parameters.ToArray();
            ArgumentException e = Assert.Throws<ArgumentException>(() => other.LoadCheckpoint(path));
            Assert.Equal("path", e.ParamName);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
            Assert.True(before.AsSpan().SequenceEqual(other.U.Parameters));
        }

        Refused(Trainer(width: 9), "width = 8"); // a larger trainer: the file is read, checked, then compared
        Refused(Trainer(width: 7), "bytes"); // a smaller one: the file is longer than its checkpoint could be
        Refused(Trainer(seed: 6), "seed");
        Refused(Trainer(learningRate: 2e-3), "learning rate α is 0.001");
        Refused(Trainer(densityFraction: 0.5), "it was saved with 0 density chains (points per step drawn from m), this trainer has 35");
        string chained = PathOf("chains.mfdgm");
        Trainer(densityFraction: 0.5).SaveCheckpoint(chained);
        ArgumentException fewer = Assert.Throws<ArgumentException>(() => Trainer().LoadCheckpoint(chained));
        Assert.Contains("it was saved with 35 density chains (points per step drawn from m), this trainer has 0", fewer.Message, StringComparison.Ordinal);
        Refused(Trainer(normalisationAverage: 0.1), "it was saved with each batch's own Z (normalisationAverage = 1), this trainer uses Z averaged over batches (normalisationAverage < 1)");
        string averaged = PathOf("averaged.mfdgm");
        Trainer(normalisationAverage: 0.1).SaveCheckpoint(averaged);
        ArgumentException batchZ = Assert.Throws<ArgumentException>(() => Trainer().LoadCheckpoint(averaged));
        Assert.Contains("it was saved with Z averaged over batches (normalisationAverage < 1), this trainer uses each batch's own Z", batchZ.Message, StringComparison.Ordinal);
        ArgumentException weight = Assert.Throws<ArgumentException>(() => Trainer(normalisationAverage: 0.2).LoadCheckpoint(averaged));
        Assert.Contains("it was saved with normalisationAverage = 0.1, this trainer has 0.2", weight.Message, StringComparison.Ordinal);
        ArgumentException other = Assert.Throws<ArgumentException>(() => new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 70, 5, 1e-3, 1e-2, 0.999).LoadCheckpoint(path));
        Assert.Equal("path", other.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BlankPathsAreRefused(string path)
    {
        var trainer = Trainer();
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => trainer.LoadCheckpoint(path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => trainer.SaveCheckpoint(path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => trainer.LoadCheckpoint(null!)).ParamName);
    }
}
