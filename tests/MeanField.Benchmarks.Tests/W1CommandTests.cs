namespace MeanField.Benchmarks.Tests;

/// <summary>
/// The <c>w1</c>, <c>w1prof</c>, <c>dgm-speed</c> and <c>mfg</c> commands: a tiny run prints its JSON line (exit 0); each bad option
/// exits 2 with one line naming the option and the value given (before, <c>w1 --steps 0</c> died on an
/// IndexOutOfRangeException, <c>dgm-speed --steps 0</c> called a known option unknown and <c>mfg --N</c> without a
/// value ran with the default).
/// </summary>
public sealed class W1CommandTests
{
    [Fact]
    public void ATinyStepPrintsOneJsonLine()
    {
        var output = new StringWriter();
        Assert.Equal(0, W1Command.Run("w1", ["--L", "64", "--d", "4", "--n", "64", "--threads", "1", "--steps", "2", "--warmup", "0"], output, TextWriter.Null));
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString().Trim());
        Assert.Equal(64, json.RootElement.GetProperty("L").GetInt32());
        Assert.True(json.RootElement.GetProperty("median_s").GetDouble() > 0);
    }

    [Theory]
    [InlineData("w1", new[] { "--steps", "0" }, "w1: --steps must be an integer ≥ 1 (got '0')")]
    [InlineData("w1", new[] { "--L", "abc" }, "w1: --L must be an integer ≥ 1 (got 'abc')")]
    [InlineData("w1", new[] { "--warmup", "-1" }, "w1: --warmup must be an integer ≥ 0 (got '-1')")]
    [InlineData("w1", new[] { "--cache-mb", "1e3" }, "w1: --cache-mb must be an integer ≥ 0 (got '1e3')")]
    [InlineData("w1", new[] { "--act", "gelu" }, "w1: --act must be one of tanh, relu, sigmoid, softplus, bump (got 'gelu')")]
    [InlineData("w1", new[] { "--schedule", "x" }, "w1: --schedule must be auto, streaming or cached (got 'x')")]
    [InlineData("w1prof", new[] { "--act", "sigmoid" }, "w1prof: --act must be one of tanh, relu (got 'sigmoid')")]
    public void BadOptionsExitTwoNamingTheOptionAndTheValue(string command, string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, W1Command.Run(command, args, TextWriter.Null, error));
        Assert.Equal(message, error.ToString().Trim());
    }

    [Fact]
    public void SizesTheLibraryRefusesExitTwoWithItsMessage()
    {
        var error = new StringWriter();
        Assert.Equal(2, W1Command.Run("w1", ["--L", "64", "--d", "64", "--n", "2000000000", "--threads", "1", "--steps", "1"], TextWriter.Null, error));
        Assert.StartsWith("w1: 2000000000 particles of dimension 64 need", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--d", "3" }, "mfg: --d must be 1 or 2 (got '3')")]
    [InlineData(new[] { "--N", "0" }, "mfg: --N must be an integer ≥ 1 (got '0')")]
    [InlineData(new[] { "--repeats", "x" }, "mfg: --repeats must be an integer ≥ 1 (got 'x')")]
    public void MfgNamesTheBadValue(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, MfgBenchmarks.Run(args, error));
        Assert.Equal(message, error.ToString().Trim());
    }

    [Theory]
    [InlineData(new[] { "--steps", "0" }, "dgm-speed: --steps must be an integer ≥ 1 (got '0')")]
    [InlineData(new[] { "--width", "x" }, "dgm-speed: --width must be an integer ≥ 1 (got 'x')")]
    public void DgmSpeedNamesTheBadValue(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, DgmSpeedCommand.Run(args, error));
        Assert.Equal(message, error.ToString().Trim());
    }
}
