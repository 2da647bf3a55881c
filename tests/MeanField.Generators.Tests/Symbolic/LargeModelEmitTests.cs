using System.Diagnostics;
using System.Text;
using MeanField.Generators.Emit;
using MeanField.Generators.Networks;
using MeanField.Generators.Parsing;
using MeanField.Generators.Symbolic;
using MeanField.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace MeanField.Generators.Tests.Symbolic;

/// <summary>
/// The symbolic half of the generator (differentiate, simplify, CSE, readable text, emit) on activation models far
/// deeper than the front end accepts (it reports MF0018 beyond 256 levels, counting inlined helpers): the IR is built
/// directly, the file emitted by <see cref="NetworkEmitter"/> and compiled. Size and time must stay linear in the DAG
/// size, the generated code must compile (no CS8078, no CS8103), and the readable text must be bounded.
/// Bounds as in PathologicalModelTests (4 MB; 60 s as a runaway guard, not a speed claim); measured values are in the test output.
/// </summary>
public sealed class LargeModelEmitTests(ITestOutputHelper output)
{
    private const int MaxFileBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan RunawayGuard = TimeSpan.FromSeconds(60);

    public static IEnumerable<object[]> Shapes => new[] { "Tanh1500", "H8", "Select500", "ExpNeg300", "T12", "Q16", "R20" }.Select(s => new object[] { s });

    public static Expr Sigma(string shape, Expr z)
    {
        switch (shape)
        {
            case "Tanh1500":
                return Repeat(z, 1500, t => Expr.Call(MathFunction.Tanh, t));
            case "H8":
                return Repeat(z, 256, t => (Expr.Call(MathFunction.Tanh, t) * t) + t); // H_8 = H_0 composed 2^8 times
            case "Select500":
                Expr e = z;
                for (int i = 499; i >= 0; i--)
                {
                    e = Expr.Conditional(Comparison.Greater, z, Expr.Constant(i * 0.01), e, z * Expr.Constant(i + 1));
                }

                return e;
            case "ExpNeg300":
                return Repeat(z, 300, t => Expr.Call(MathFunction.Exp, -t));
            case "T12":
                return Repeat(z, 12, t => (Expr.Call(MathFunction.Tanh, t) * t) + t);
            case "Q16":
                return Repeat(z, 16, t => Expr.Pow(Expr.Call(MathFunction.Exp, t), t));
            case "R20":
                return Repeat(z, 20, t => t + Expr.Call(MathFunction.Tanh, t));
            case "Wide400":
                return Repeat(z, 400, t => t + (Expr.Call(MathFunction.Tanh, t) * Expr.Call(MathFunction.Sin, t) * Expr.Call(MathFunction.Exp, -(t * t))
                    * Expr.Call(MathFunction.Atan, t) * Expr.Call(MathFunction.Cos, t)));
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EmitsLinearSizedCompilingCode(string shape)
    {
        var (text, elapsed, errors) = EmitAndCompile(shape);
        output.WriteLine($"{shape}: {Encoding.UTF8.GetByteCount(text):N0} bytes in {elapsed.TotalMilliseconds:F1} ms");
        Assert.Empty(errors);
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, MaxFileBytes);
        Assert.True(elapsed < RunawayGuard, $"{shape}: emitting ran away ({elapsed})");
        Assert.InRange(Derivation(text).Length, 1, DerivationText.TextLimit);
    }

    [Fact]
    public void DerivationTextIsBoundedAndElidedWithANoteAndTheFileStillCompiles()
    {
        // A residual stack with a wide block: hundreds of shared subexpressions, each named once (s₁, s₂, …), whose
        // definitions together exceed the 100,000-character limit of the whole text.
        var (text, elapsed, errors) = EmitAndCompile("Wide400");
        string derivation = Derivation(text);
        output.WriteLine($"file {Encoding.UTF8.GetByteCount(text):N0} bytes, derivation {derivation.Length:N0} characters, {elapsed.TotalMilliseconds:F0} ms");
        Assert.Empty(errors); // compiles: no CS8103, no CS8078
        Assert.InRange(derivation.Length, 1, DerivationText.TextLimit);
        Assert.Contains("elided: the derivation text is limited to 100,000 characters", derivation, StringComparison.Ordinal);
        Assert.Contains("s₁ = ", derivation, StringComparison.Ordinal);
    }

    [Fact]
    public void AFormulaTooLongEvenWithNamesIsElidedWithANote()
    {
        // 1,500 nested tanh: φ is one unshared chain of ~9,000 characters, over the 4,000 per formula.
        var (text, _, errors) = EmitAndCompile("Tanh1500");
        Assert.Empty(errors);
        Assert.Contains("φ = … (formula elided: longer than 4,000 characters", Derivation(text), StringComparison.Ordinal);
    }

    [Fact]
    public void LongFormulasNameSharedSubexpressionsAndShortOnesDoNot()
    {
        string shared = Derivation(EmitAndCompile("R20").Text);
        Assert.Contains("s₁ = ", shared, StringComparison.Ordinal);
        Assert.All(shared.Split('\n'), line => Assert.True(line.Length <= 4_100, $"line of {line.Length} characters"));
        string small = Derivation(NetworkEmitter.Emit(Spec("Small", Expr.Call(MathFunction.Tanh, Expr.Symbol("z")) * Expr.Symbol("z"))));
        Assert.DoesNotContain("s₁", small, StringComparison.Ordinal);
    }

    /// <summary>The Derivation text, read back from the header comment.</summary>
    private static string Derivation(string generated)
    {
        var lines = generated.Split('\n').TakeWhile(l => !l.StartsWith("#nullable", StringComparison.Ordinal))
            .Where(l => l.StartsWith("//", StringComparison.Ordinal)).Skip(3)
            .Select(l => l.Length > 3 ? l.Substring(3) : "");
        return string.Join("\n", lines).Trim();
    }

    private static Expr Repeat(Expr z, int times, Func<Expr, Expr> f)
    {
        var e = z;
        for (int i = 0; i < times; i++)
        {
            e = f(e);
        }

        return e;
    }

    /// <summary>An activation model φ = c·σ(b + w·x) with squared loss, as the front end would describe it (its layout
    /// from the shared channel set: inputs c, b, w·x).</summary>
    internal static NetworkSpec Spec(string name, Expr sigmaOfZ)
    {
        var channels = ChannelSet.ForNetwork(new[] { "w" }, "x");
        var wx = channels.Dot(0, ChannelSet.Input);
        var b = Expr.Symbol("b");
        var unit = Expr.Symbol("c") * sigmaOfZ.Substitute(s => s == "z" ? b + wx : null);
        var residual = Expr.Symbol(NetworkSymbols.Prediction) - Expr.Symbol(NetworkSymbols.Target);
        return new NetworkSpec(
            "Pathological", name, "struct", channels.Layout(new[] { "c", "b" }), "ridge unit φ(x; c, w, b) = c·σ(w·x + b)", "x",
            unit,
            0.5 * residual * residual,
            null);
    }

    private static (string Text, TimeSpan Elapsed, string[] Errors) EmitAndCompile(string shape)
    {
        string text = "";
        TimeSpan elapsed = default;
        string[] errors = [];
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var spec = Spec(shape + "Network", Sigma(shape, Expr.Symbol("z")));
                    var watch = Stopwatch.StartNew();
                    text = NetworkEmitter.Emit(spec);
                    elapsed = watch.Elapsed;
                    var compilation = GeneratorHarness.CreateCompilation("namespace Pathological;\npublic partial struct " + shape + "Network { }\n", text);
                    using var stream = new MemoryStream();
                    errors = compilation.Emit(stream).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.ToString()).ToArray();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            16 * 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        return (text, elapsed, errors);
    }
}
