using System.Text;
using BirthDeathSample;
using LangevinSample;
using MeanField.Samples;

namespace MeanField.Runtime.Tests.Samples;

/// <summary>samples/Common: the argument parser's bad-input rows, the checksummed result file, the atomic writer.</summary>
public sealed class SampleSupportTests
{
    private static readonly SampleArguments Defaults = new(100, 2, "out", 1);

    /// <summary>Bad command lines: each row is (args, the argument the message must name, the value it must name, or null when none was given).</summary>
    public static TheoryData<string[], string, string?> BadCommandLines => new()
    {
        { ["--steps", "abc"], "--steps", "abc" },
        { ["--steps", "0"], "--steps", "0" },
        { ["--steps", "-5"], "--steps", "-5" },
        { ["--steps", "1.5"], "--steps", "1.5" },
        { ["--steps", "99999999999"], "--steps", "99999999999" },
        { ["--steps"], "--steps", null },
        { ["--threads", "0"], "--threads", "0" },
        { ["--threads", "2000"], "--threads", "2000" },
        { ["--threads", "two"], "--threads", "two" },
        { ["--seed", "-1"], "--seed", "-1" },
        { ["--seed", "0x10"], "--seed", "0x10" },
        { ["--out", " "], "--out", " " },
        { ["--out", "--steps"], "--out", "--steps" },
        { ["--bogus", "1"], "--bogus", null },
        { ["steps", "10"], "steps", null },
        { ["--steps", "5", "--steps", "6"], "--steps", null },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void ParseRejectsABadArgumentNamingItAndItsValue(string[] args, string argument, string? value)
    {
        var e = Assert.Throws<SampleArgumentException>(() => SampleArguments.Parse(args, Defaults, SampleOptions.All));
        Assert.Equal(argument, e.Argument);
        Assert.Equal(value, e.Value);
        Assert.Contains(argument, e.Message, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParseRejectsAnOptionTheSampleDoesNotAccept()
    {
        var e = Assert.Throws<SampleArgumentException>(() => SampleArguments.Parse(["--out", "x"], Defaults, SampleOptions.Steps | SampleOptions.Threads));
        Assert.Equal("Unknown argument '--out'; the options are: --steps, --threads, --help.", e.Message);
    }

    [Fact]
    public void ParseRejectsAFileGivenAsTheOutputFolder()
    {
        using var folder = new SampleFolder();
        Directory.CreateDirectory(folder.Path);
        string file = folder.File("a-file");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<SampleArgumentException>(() => SampleArguments.Parse(["--out", file], Defaults, SampleOptions.All));
        Assert.Equal("--out", e.Argument);
        Assert.Contains($"'{file}' is a file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseReadsEveryOptionInAnyOrder()
    {
        var parsed = SampleArguments.Parse(["--seed", "18446744073709551615", "--out", "dir", "--threads", "3", "--steps", "7"], Defaults, SampleOptions.All);
        Assert.Equal(new SampleArguments(7, 3, "dir", ulong.MaxValue), parsed);
        Assert.Equal(Defaults, SampleArguments.Parse([], Defaults, SampleOptions.All));
        Assert.True(SampleArguments.Parse(["--help"], Defaults, SampleOptions.All).Help);
    }

    /// <summary>Each sample's entry point: a bad argument is one error line naming it and its value, the usage line, exit code 2, and no output file.</summary>
    [Theory]
    [InlineData("langevin", "--steps", "ten")]
    [InlineData("langevin", "--threads", "0")]
    [InlineData("langevin", "--seed", "-3")]
    [InlineData("birth-death", "--steps", "0")]
    [InlineData("birth-death", "--threads", "100000")]
    [InlineData("birth-death", "--frobnicate", null)]
    public void SampleEntryPointsExitWithTwoAndNameTheBadArgument(string sample, string argument, string? value)
    {
        using var folder = new SampleFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = value is null ? ["--out", folder.Path, argument] : ["--out", folder.Path, argument, value];

        int code = sample == "langevin" ? LangevinApp.Run(args, stdout, stderr) : BirthDeathApp.Run(args, stdout, stderr);

        Assert.Equal(SampleHost.BadArguments, code);
        Assert.Equal(string.Empty, stdout.ToString());
        string[] lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(argument, lines[0], StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains($"'{value}'", lines[0], StringComparison.Ordinal);
        }

        Assert.StartsWith($"Usage: {sample} [--steps N ≥ 1]", lines[1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Path));
    }

    [Fact]
    public void HelpPrintsTheUsageAndExitsWithZero()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, LangevinApp.Run(["--help"], stdout, TextWriter.Null));
        Assert.Equal("Usage: langevin [--steps N ≥ 1] [--threads T in 1…1024] [--out DIR] [--seed S ≥ 0] [--help]", stdout.ToString().Trim());
    }

    private sealed record Payload(string Name, double[] Values, int Count);

    [Fact]
    public void AResultRoundTripsAndItsChecksumCoversThePayloadAsWritten()
    {
        using var folder = new SampleFolder();
        string path = folder.File("nested/result.json");
        var payload = new Payload("ä → ∞ \"quoted\"\n", [0.1, -2.5e-300, double.MaxValue, 1.0 / 3.0], 7);

        string sha = ResultFile.Write(path, "test", payload);
        var back = ResultFile.Read<Payload>(path, "test");

        Assert.Equal(payload.Name, back.Name);
        Assert.Equal(payload.Values, back.Values); // doubles round-trip exactly (shortest round-trippable form)
        Assert.Equal(payload.Count, back.Count);
        string text = File.ReadAllText(path);
        Assert.StartsWith("{\n  \"format\": \"meanfield-sample-result\",\n  \"version\": 1,\n  \"kind\": \"test\",\n  \"sha256\": \"" + sha + "\",\n  \"payload\": {", text, StringComparison.Ordinal);
        int start = text.IndexOf("\"payload\": ", StringComparison.Ordinal) + "\"payload\": ".Length;
        int end = text.LastIndexOf('}', text.Length - 3) + 1;
        Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text[start..end]))));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    /// <summary>Damaged files: each row edits the written file; reading must fail with InvalidDataException naming the file and the reason.</summary>
    [Theory]
    [InlineData("a changed digit in the payload", "\"count\": 7", "\"count\": 8", "SHA-256")]
    [InlineData("a changed checksum", "\"sha256\": \"", "\"sha256\": \"0", "SHA-256")]
    [InlineData("another kind", "\"kind\": \"test\"", "\"kind\": \"other\"", "'other' result")]
    [InlineData("another version", "\"version\": 1", "\"version\": 2", "version is not 1")]
    [InlineData("another format", "meanfield-sample-result", "something-else", "format is 'something-else'")]
    [InlineData("a truncated file", "TRUNCATE", "", "not a valid sample result")]
    [InlineData("not JSON", "REPLACE", "hello", "not a valid sample result")]
    public void ACorruptedResultIsRejected(string what, string find, string replace, string reason)
    {
        using var folder = new SampleFolder();
        string path = folder.File("r.json");
        ResultFile.Write(path, "test", new Payload("x", [1, 2], 7));
        string text = File.ReadAllText(path);
        text = find switch
        {
            "TRUNCATE" => text[..(text.Length / 2)],
            "REPLACE" => replace,
            _ => text.Replace(find, replace, StringComparison.Ordinal),
        };
        File.WriteAllText(path, text);

        var e = Assert.Throws<InvalidDataException>(() => ResultFile.Read<Payload>(path, "test"));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains(reason, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void AMissingResultIsFileNotFound()
    {
        using var folder = new SampleFolder();
        var e = Assert.Throws<FileNotFoundException>(() => ResultFile.Read<Payload>(folder.File("none.json"), "test"));
        Assert.Contains("none.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AtomicWriteReplacesTheWholeFileAndLeavesNoTemporary()
    {
        using var folder = new SampleFolder();
        string path = folder.File("f.bin");
        AtomicFile.WriteAllBytes(path, new byte[1000]);
        AtomicFile.WriteAllBytes(path, "abc"u8);
        Assert.Equal("abc"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllBytes(folder.Path, "x"u8));
    }

    [Fact]
    public void PlotsAreWrittenAsPngs()
    {
        using var folder = new SampleFolder();
        double[] t = [0, 1, 2, 3];
        Plots.SaveLines(folder.File("lines.png"), "title", "t", "E", [new PlotSeries("a", t, [1, 0.1, 0.01, 0.001]), new PlotSeries("b", t, [1, 0.5, 0.25, 0.125])], logY: true);
        Plots.SaveHistogram(folder.File("hist.png"), "title", [0, 1, 2], [0.25, 0.75], "bars", new PlotSeries("curve", [0, 1, 2], [0, 1, 0]), "x");
        SampleFolder.AssertPng(folder.File("lines.png"));
        SampleFolder.AssertPng(folder.File("hist.png"));
        Assert.Throws<ArgumentException>(() => Plots.SaveHistogram(folder.File("bad.png"), "t", [0, 1], [0.5, 0.5], "b", new PlotSeries("c", [0], [0]), "x"));
    }
}
