using System.Diagnostics;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Storage;

/// <summary>A fact that needs Unix file types (FIFOs via mkfifo, symbolic links); skipped elsewhere with the reason.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Skip = "Needs Unix FIFOs (mkfifo) and symbolic links at file paths; this OS has neither in that form.";
        }
    }
}

/// <summary>Safe writes and reads: links and FIFOs at the paths the runtime touches, blank paths, missing directories, leftovers.</summary>
public sealed class CheckpointPathTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string folder = Directory.CreateTempSubdirectory("meanfield-paths-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   \t")]
    public void BlankPathsAreRejectedNamingTheParameter(string blank)
    {
        var particles = TestData.TanhParticles(3, 2, 101);
        var data = TestData.Samples(10, 2, 102);
        using var flow = new GradientFlow<TanhRidge>(particles, data, new GradientFlowOptions { ThreadCount = 1 });

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => particles.Save(blank)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => flow.SaveCheckpoint(blank)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ParticleSet.Load(blank)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => GradientFlow<TanhRidge>.Resume(blank, data, new GradientFlowOptions())).ParamName);
        Assert.Equal("CheckpointPath", Assert.Throws<ArgumentException>(() => new GradientFlowOptions { CheckpointPath = blank }).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => particles.Save(Path.Combine(folder, blank))).ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void NullPathsAreRejectedNamingTheParameter()
    {
        var particles = TestData.TanhParticles(3, 2, 103);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => particles.Save(null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => ParticleSet.Load(null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => GradientFlow<TanhRidge>.Resume(null!, TestData.Samples(10, 2, 104), new GradientFlowOptions())).ParamName);
    }

    [Fact]
    public void MissingDirectoryIsRejectedWhenThePathIsGiven()
    {
        string missing = Path.Combine(folder, "no-such-directory", "run.mfps");
        var data = TestData.Samples(10, 2, 105);

        var atConstruction = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(TestData.TanhParticles(3, 2, 106), data,
            new GradientFlowOptions { ThreadCount = 1, CheckpointEvery = 5, CheckpointPath = missing }));
        Assert.Equal("options", atConstruction.ParamName);
        Assert.Contains(missing, atConstruction.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", atConstruction.Message, StringComparison.Ordinal);

        var atSave = Assert.Throws<DirectoryNotFoundException>(() => TestData.TanhParticles(3, 2, 107).Save(missing));
        Assert.Contains(missing, atSave.Message, StringComparison.Ordinal);

        var directory = Assert.Throws<ArgumentException>(() => new GradientFlow<TanhRidge>(TestData.TanhParticles(3, 2, 106), data,
            new GradientFlowOptions { ThreadCount = 1, CheckpointEvery = 5, CheckpointPath = folder }));
        Assert.Equal("options", directory.ParamName);
        Assert.Contains("is a directory", directory.Message, StringComparison.Ordinal);
    }

    [UnixFact]
    public void SymlinkAtTheTargetIsReplacedNotFollowed()
    {
        string victim = Path.Combine(folder, "victim.txt");
        File.WriteAllText(victim, "unrelated");
        string path = Path.Combine(folder, "run.mfps");
        File.CreateSymbolicLink(path, victim);
        var particles = TestData.TanhParticles(4, 2, 108);

        particles.Save(path);

        Assert.Equal("unrelated", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(TestData.Bits(particles.Values), TestData.Bits(ParticleSet.Load(path).Values));
    }

    [UnixFact]
    public void SymlinksAtPredictableTemporaryNamesOverwriteNothing()
    {
        string victim = Path.Combine(folder, "victim.txt");
        File.WriteAllText(victim, "unrelated");
        string path = Path.Combine(folder, "run.mfps");
        var planted = new List<string>
        {
            path + ".tmp-" + Environment.ProcessId, path + ".tmp", path + ".mftmp", path + ".0000000000000000.mftmp",
            path + ".ffffffffffffffff.mftmp", path + ".0123456789abcdef.mftmp",
        };
        foreach (string link in planted)
        {
            File.CreateSymbolicLink(link, victim);
        }

        var data = TestData.Samples(10, 2, 109);
        using var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(4, 2, 110), data,
            new GradientFlowOptions { ThreadCount = 1, MaxSteps = 6, CheckpointEvery = 1, CheckpointPath = path });
        flow.Run();

        Assert.Equal("unrelated", File.ReadAllText(victim));
        foreach (string link in planted)
        {
            Assert.Equal(victim, new FileInfo(link).LinkTarget);
        }

        using (var resumed = GradientFlow<TanhRidge>.Resume(path, data, new GradientFlowOptions { ThreadCount = 1 }))
        {
            Assert.Equal(6, resumed.StepsTaken);
        }

        Assert.Equal(planted.Count + 2, Directory.GetFileSystemEntries(folder).Length); // no temporaries of our own left
    }

    [UnixFact]
    public void FifoAtTheLoadPathIsRejectedWithoutBlocking()
    {
        string fifo = Path.Combine(folder, "fifo.mfps");
        MakeFifo(fifo);
        string link = Path.Combine(folder, "link-to-fifo.mfps");
        File.CreateSymbolicLink(link, fifo);

        foreach (string path in new[] { fifo, link })
        {
            var e = WithinPatience(fifo, () => Assert.Throws<InvalidDataException>(() => ParticleSet.Load(path)));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
            var resume = WithinPatience(fifo, () => Assert.Throws<InvalidDataException>(() =>
                GradientFlow<TanhRidge>.Resume(path, TestData.Samples(10, 2, 111), new GradientFlowOptions())));
            Assert.Contains(path, resume.Message, StringComparison.Ordinal);
        }
    }

    [UnixFact]
    public void FifoAtTheSavePathIsReplacedWithoutBlocking()
    {
        string fifo = Path.Combine(folder, "fifo.mfps");
        MakeFifo(fifo);
        var particles = TestData.TanhParticles(4, 2, 112);

        WithinPatience(fifo, () =>
        {
            particles.Save(fifo);
            return 0;
        });

        Assert.Equal(TestData.Bits(particles.Values), TestData.Bits(ParticleSet.Load(fifo).Values));
    }

    [UnixFact]
    public void LinkLoopsDanglingLinksAndLinksToDirectoriesAreRejectedNamingThePath()
    {
        string first = Path.Combine(folder, "a.mfps");
        string second = Path.Combine(folder, "b.mfps");
        File.CreateSymbolicLink(first, second);
        File.CreateSymbolicLink(second, first);
        var loop = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(first));
        Assert.Contains(first, loop.Message, StringComparison.Ordinal);

        string dangling = Path.Combine(folder, "dangling.mfps");
        File.CreateSymbolicLink(dangling, Path.Combine(folder, "nothing-here.mfps"));
        Assert.Contains(dangling, Assert.Throws<FileNotFoundException>(() => ParticleSet.Load(dangling)).Message, StringComparison.Ordinal);

        string toDirectory = Path.Combine(folder, "directory.mfps");
        File.CreateSymbolicLink(toDirectory, Directory.CreateDirectory(Path.Combine(folder, "sub")).FullName);
        Assert.Contains("directory", Assert.Throws<InvalidDataException>(() => ParticleSet.Load(toDirectory)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoriesAndEmptyFilesAreNotRead()
    {
        var directory = Assert.Throws<InvalidDataException>(() => ParticleSet.Load(folder));
        Assert.Contains(folder, directory.Message, StringComparison.Ordinal);
        Assert.Contains("directory", directory.Message, StringComparison.Ordinal);

        string empty = Path.Combine(folder, "empty.mfps");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => ParticleSet.Load(empty)).Message, StringComparison.Ordinal);

        if (File.Exists("/dev/null"))
        {
            Assert.Contains("/dev/null", Assert.Throws<InvalidDataException>(() => ParticleSet.Load("/dev/null")).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LeftoverTemporariesAreIgnoredAndStaleOnesRemovedByTheNextSave()
    {
        string path = Path.Combine(folder, "run.mfps");
        var first = TestData.TanhParticles(4, 2, 113);
        first.Save(path);
        string stale = path + ".0123456789abcdef.mftmp";
        string fresh = path + ".fedcba9876543210.mftmp";
        string otherTarget = Path.Combine(folder, "other.mfps.0123456789abcdef.mftmp");
        string lookalike = path + ".not-hex-digits!!.mftmp";
        foreach (string leftover in new[] { stale, fresh, otherTarget, lookalike })
        {
            File.WriteAllText(leftover, "half a checkpoint");
            File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow - TimeSpan.FromHours(1));
        }

        File.SetLastWriteTimeUtc(fresh, DateTime.UtcNow);

        Assert.Equal(TestData.Bits(first.Values), TestData.Bits(ParticleSet.Load(path).Values));
        var second = TestData.TanhParticles(4, 2, 114);
        second.Save(path);

        Assert.Equal(TestData.Bits(second.Values), TestData.Bits(ParticleSet.Load(path).Values));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(lookalike));
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        Assert.True(process.WaitForExit(Patience), "mkfifo did not finish.");
        Assert.True(process.ExitCode == 0, $"mkfifo failed: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>
    /// Runs <paramref name="action"/> on another thread; if it is still blocked after a generous time (a regression:
    /// a FIFO opened for reading waits for a writer), the FIFO is opened for writing to release it and the test fails.
    /// </summary>
    private static T WithinPatience<T>(string fifo, Func<T> action)
    {
        var task = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(Patience))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail($"The call blocked on the FIFO '{fifo}' (released after {Patience.TotalSeconds} s).");
        }

        return task.GetAwaiter().GetResult();
    }
}
