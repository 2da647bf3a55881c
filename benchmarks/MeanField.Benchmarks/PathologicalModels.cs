using System.Text;

namespace MeanField.Benchmarks;

/// <summary>
/// Model sources of the shapes that once blew up the generator exponentially or crashed the compiler (issue 7): helpers
/// composed deeply, long nested calls, long flat chains. One definition for the benchmark rows
/// (<see cref="GeneratorBenchmarks.Pathological"/>) and the generator tests (linked into MeanField.Generators.Tests).
/// </summary>
internal static class PathologicalModels
{
    /// <summary>The helper of the T shape: T(t) = tanh(t)·t + t (t used three times, so the tree triples per level).</summary>
    public const string THelper = "public static double T(double t) => Math.Tanh(t) * t + t;";

    /// <summary>The helper of the Q shape: Q(t) = exp(t)^t.</summary>
    public const string QHelper = "public static double Q(double t) => Math.Pow(Math.Exp(t), t);";

    /// <summary>The helper of the R shape, a residual block: R(t) = t + tanh(t).</summary>
    public const string RHelper = "public static double R(double t) => t + Math.Tanh(t);";

    /// <summary><c>f(f(…f(argument)…))</c>, <paramref name="depth"/> times.</summary>
    public static string Nest(string function, int depth, string argument = "z")
    {
        var sb = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            sb.Append(function).Append('(');
        }

        sb.Append(argument).Append(')', depth);
        return sb.ToString();
    }

    /// <summary>Helpers H0(t) = tanh(t)·t + t and H_i(t) = H_{i−1}(H_{i−1}(t)) for i ≤ k: H_k applies H0 2^k times.</summary>
    public static string Doubling(int k)
    {
        var sb = new StringBuilder(THelper.Replace("T(double", "H0(double", StringComparison.Ordinal)).Append('\n');
        for (int i = 1; i <= k; i++)
        {
            sb.Append($"    public static double H{i}(double t) => H{i - 1}(H{i - 1}(t));\n");
        }

        return sb.ToString();
    }

    /// <summary>A sum of <paramref name="terms"/> z's.</summary>
    public static string Sum(int terms) => string.Join(" + ", Enumerable.Repeat("z", terms));

    /// <summary>A network model <c>{name}Network</c> whose activation is <paramref name="body"/>, with <paramref name="helpers"/>.</summary>
    public static string Model(string name, string body, string helpers) => $$"""
        namespace Pathological;

        [MeanFieldNetwork]
        public partial struct {{name}}Network
        {
            [Activation]
            public static double Sigma(double z) => {{body}};

            {{helpers}}

            [Cost]
            public static double Loss(double y, double prediction) => 0.5 * (prediction - y) * (prediction - y);
        }
        """;
}
