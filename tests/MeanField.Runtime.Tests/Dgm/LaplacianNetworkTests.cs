using MeanField.Dgm;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The forward-Laplacian network (specs/dgm.md §2–§3): ∇ₓu, Δₓu and ∂u/∂t against central differences of the value, the
/// analytic parameter gradient of a loss in (u, ∇u, Δu, ∂u/∂t) against central differences in the parameters, seeded
/// initialisation, bit-identical reruns and no allocation per step.
/// </summary>
public sealed class LaplacianNetworkTests
{
    private const int D = 3;

    /// <summary>A batch of n points: uniform in [0, 1)^d (periodic) or [0, 2]^d (plain), from a fixed seed.</summary>
    internal static double[] Points(int n, int d, InputEmbedding embedding, int seed)
    {
        var random = new Random(seed);
        double scale = embedding == InputEmbedding.Periodic ? 1 : 2;
        return [.. Enumerable.Range(0, n * d).Select(_ => scale * random.NextDouble())];
    }

    /// <summary>Weighted-Laplacian weights C (R × 3; any real rows: the network needs neither orthonormality nor rows ⊥ 1).</summary>
    internal static readonly double[] Directions = [0.5, -1.25, 0.75, 1, 0.3, -0.2];

    private static LaplacianNetwork Network(InputEmbedding embedding, bool hasTime, ulong seed = 7, int width = 12, int weighted = 0)
        => new(D, width, 3, embedding, hasTime, seed, Directions.AsSpan(0, weighted * D));

    /// <summary>
    /// ∇u by (u(x + h e_k) − u(x − h e_k))/2h with h = 10⁻⁵ and Δu by Σ_k (u(x + h e_k) − 2u + u(x − h e_k))/h² with
    /// h = 10⁻³. The network's derivatives in x are bounded by ≈ (2π)^k·O(1) (periodic; O(1) plain): truncation
    /// h²|u'''|/6 ≈ 4·10⁻⁹ for ∇u and d·h²|u''''|/12 ≈ 4·10⁻⁴ for Δu, rounding ε|u|/h ≈ 10⁻¹¹ and 4dε|u|/h² ≈ 10⁻⁹.
    /// Tolerances 10⁻⁶ and 2·10⁻³ (relative to max(1, |·|)), a few × those bounds; the measured errors are ≈ 10⁻⁹ and
    /// ≈ 10⁻⁵. With time, ∂u/∂t by (u(t + h) − u(t − h))/2h, h = 10⁻⁵, the same bound and tolerance as ∇u (t enters as a
    /// plain feature: its derivatives are O(1)). With <paramref name="weighted"/> weighted Laplacians (specs/dgm.md §5.1),
    /// each Σ_k C_rk ∂²u/∂x_k² against Σ_k C_rk of the same second differences, at Δu's tolerance (|C_rk| ≤ 1.25, d = 3,
    /// so the same bounds).
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false, 2)]
    [InlineData(true, true, 1)]
    [InlineData(false, false, 1)]
    [InlineData(false, true, 2)]
    public void GradientAndLaplacianMatchCentralDifferences(bool periodic, bool hasTime, int weighted = 0)
    {
        InputEmbedding embedding = periodic ? InputEmbedding.Periodic : InputEmbedding.Plain;
        const int n = 70; // one full tile and a partial one
        LaplacianNetwork net = Network(embedding, hasTime, weighted: weighted);
        double[] x = Points(n, D, embedding, 1);
        double[] t = hasTime ? [.. Enumerable.Range(0, n).Select(i => 0.1 + (0.01 * i))] : [];
        var u = new double[n];
        var grad = new double[D * n];
        var lap = new double[n];
        var dt = new double[hasTime ? n : 0];
        var lw = new double[weighted * n];
        net.Forward(x, t, u, grad, lap, dt, lw);
        var uPlain = new double[n];
        net.Forward(x, t, uPlain, new double[D * n], new double[n], new double[dt.Length], new double[weighted * n]);

        double[] Shifted(double h)
        {
            // Points in the order: for each k, x + h e_k then x − h e_k, each a block of n.
            var shifted = new double[2 * D * n * D];
            for (int k = 0; k < D; k++)
            {
                for (int sign = 0; sign < 2; sign++)
                {
                    int block = ((2 * k) + sign) * n;
                    for (int p = 0; p < n; p++)
                    {
                        for (int j = 0; j < D; j++)
                        {
                            shifted[((block + p) * D) + j] = x[(p * D) + j] + (j == k ? (sign == 0 ? h : -h) : 0);
                        }
                    }
                }
            }

            int m = 2 * D * n;
            var value = new double[m];
            double[] times = hasTime ? [.. Enumerable.Range(0, m).Select(i => t[i % n])] : [];
            net.Forward(shifted, times, value, new double[D * m], new double[m], new double[times.Length], new double[weighted * m]);
            return value;
        }

        if (hasTime)
        {
            double worstTime = 0;
            var plus = new double[n];
            var minus = new double[n];
            net.Forward(x, [.. t.Select(v => v + 1e-5)], plus, new double[D * n], new double[n], new double[n], new double[weighted * n]);
            net.Forward(x, [.. t.Select(v => v - 1e-5)], minus, new double[D * n], new double[n], new double[n], new double[weighted * n]);
            for (int p = 0; p < n; p++)
            {
                double fd = (plus[p] - minus[p]) / 2e-5;
                worstTime = Math.Max(worstTime, Math.Abs(fd - dt[p]) / Math.Max(1, Math.Abs(fd)));
            }

            Assert.True(worstTime <= 1e-6, $"∂u/∂t: worst relative error {worstTime:E2}");
        }

        double[] small = Shifted(1e-5), large = Shifted(1e-3);
        double worstGrad = 0, worstLap = 0, worstWeighted = 0;
        for (int p = 0; p < n; p++)
        {
            double fdLap = 0;
            var fdWeighted = new double[weighted];
            for (int k = 0; k < D; k++)
            {
                double fdGrad = (small[(2 * k * n) + p] - small[(((2 * k) + 1) * n) + p]) / 2e-5;
                double e = Math.Abs(fdGrad - grad[(k * n) + p]) / Math.Max(1, Math.Abs(fdGrad));
                worstGrad = Math.Max(worstGrad, e);
                double second = (large[(2 * k * n) + p] - (2 * u[p]) + large[(((2 * k) + 1) * n) + p]) / 1e-6;
                fdLap += second;
                for (int r = 0; r < weighted; r++)
                {
                    fdWeighted[r] += Directions[(r * D) + k] * second;
                }
            }

            worstLap = Math.Max(worstLap, Math.Abs(fdLap - lap[p]) / Math.Max(1, Math.Abs(fdLap)));
            for (int r = 0; r < weighted; r++)
            {
                worstWeighted = Math.Max(worstWeighted, Math.Abs(fdWeighted[r] - lw[(r * n) + p]) / Math.Max(1, Math.Abs(fdWeighted[r])));
            }
        }

        // The weighted channels change nothing else: the value is the same with or without reading them.
        Assert.Equal(u, uPlain);
        Assert.True(worstWeighted <= 2e-3, $"Σ_k C_rk ∂²u/∂x_k²: worst relative error {worstWeighted:E2}");

        Assert.True(worstGrad <= 1e-6, $"∇u: worst relative error {worstGrad:E2}");
        Assert.True(worstLap <= 2e-3, $"Δu: worst relative error {worstLap:E2}");
    }

    /// <summary>
    /// L = mean_p (Δu + |∇u|² + u + ∂u/∂t)² (∂u/∂t only with time), whose per-point adjoints are ∂L/∂u = ∂L/∂Δu =
    /// ∂L/∂(∂u/∂t) = 2r/n, ∂L/∂(∇u)_k = 4r ∂_k u/n (r the bracket): the analytic ∂L/∂θ against (L(θ + h e_i) − L(θ − h e_i))/2h at 40 parameters spread over every
    /// layer's weights and biases, h = 10⁻⁵. L is smooth with |∂³L/∂θ³| = O(10²) at this scale (the periodic
    /// embedding brings (2π)² per Laplacian): truncation h²|L'''|/6 ≈ 2·10⁻⁹, rounding ε|L|/h ≈ 10⁻¹⁰·|L|; tolerance
    /// 10⁻⁶·max(1, |∂L/∂θ_i|). With <paramref name="weighted"/> weighted Laplacians L_r (specs/dgm.md §5.1) the bracket
    /// gains Σ_r γ_r L_r u (γ = 0.7, −0.4), whose adjoints are 2rγ_r/n: the weighted channels' reverse pass.
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false, 7)] // rows and columns past the weight-gradient kernel's register blocks (4 × 4 and 2 × 2)
    [InlineData(false, true, 7)]
    [InlineData(true, false, 12, 2)]
    [InlineData(true, true, 12, 1)]
    [InlineData(false, true, 12, 2)]
    [InlineData(true, false, 7, 1)]
    public void ParameterGradientMatchesCentralDifferences(bool periodic, bool hasTime, int width = 12, int weighted = 0)
    {
        InputEmbedding embedding = periodic ? InputEmbedding.Periodic : InputEmbedding.Plain;
        const int n = 70;
        double[] gamma = [0.7, -0.4];
        LaplacianNetwork net = Network(embedding, hasTime, width: width, weighted: weighted);
        double[] x = Points(n, D, embedding, 2);
        double[] t = hasTime ? [.. Enumerable.Range(0, n).Select(i => 0.5 - (0.005 * i))] : [];
        var u = new double[n];
        var grad = new double[D * n];
        var lap = new double[n];
        var dt = new double[t.Length];
        var lw = new double[weighted * n];

        double Loss()
        {
            net.Forward(x, t, u, grad, lap, dt, lw);
            double sum = 0;
            for (int p = 0; p < n; p++)
            {
                double r = Residual(p);
                sum += r * r;
            }

            return sum / n;
        }

        double Residual(int p)
        {
            double r = lap[p] + u[p] + (hasTime ? dt[p] : 0);
            for (int j = 0; j < weighted; j++)
            {
                r += gamma[j] * lw[(j * n) + p];
            }

            for (int k = 0; k < D; k++)
            {
                r += grad[(k * n) + p] * grad[(k * n) + p];
            }

            return r;
        }

        Loss();
        var uBar = new double[n];
        var gradBar = new double[D * n];
        var lapBar = new double[n];
        var dtBar = new double[t.Length];
        var lwBar = new double[weighted * n];
        for (int p = 0; p < n; p++)
        {
            double r = Residual(p);
            uBar[p] = lapBar[p] = 2 * r / n;
            for (int j = 0; j < weighted; j++)
            {
                lwBar[(j * n) + p] = 2 * r * gamma[j] / n;
            }

            if (hasTime)
            {
                dtBar[p] = 2 * r / n;
            }

            for (int k = 0; k < D; k++)
            {
                gradBar[(k * n) + p] = 4 * r * grad[(k * n) + p] / n;
            }
        }

        var analytic = new double[net.ParameterCount];
        net.Backward(uBar, gradBar, lapBar, dtBar, analytic, lwBar);

        // 40 parameters: every layer's first and last weight and bias, then a seeded sample.
        var indices = new SortedSet<int>();
        for (int l = 0; l <= net.Depth; l++)
        {
            indices.Add(net.WeightOffset(l));
            indices.Add(net.BiasOffset(l) - 1);
            indices.Add(net.BiasOffset(l));
        }

        var random = new Random(5);
        while (indices.Count < 40)
        {
            indices.Add(random.Next(net.ParameterCount));
        }

        const double h = 1e-5;
        Span<double> theta = net.Parameters;
        foreach (int i in indices)
        {
            double saved = theta[i];
            theta[i] = saved + h;
            double plus = Loss();
            theta[i] = saved - h;
            double minus = Loss();
            theta[i] = saved;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - analytic[i]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"θ[{i}]: analytic {analytic[i]:R}, central difference {fd:R}");
        }
    }

    /// <summary>
    /// Weighted-Laplacian weights that are not R × d, or not finite, are refused by both architectures, naming
    /// <c>laplacianDirections</c> and what is wrong; a forward pass with a span of the wrong length names it too.
    /// </summary>
    [Fact]
    public void BadDirectionsAreRefused()
    {
        foreach (Func<double[], ILaplacianNetwork> make in new Func<double[], ILaplacianNetwork>[]
        {
            c => new LaplacianNetwork(D, 4, 1, InputEmbedding.Periodic, false, 1, c),
            c => new GatedLaplacianNetwork(D, 4, 1, InputEmbedding.Periodic, false, 1, c),
        })
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => make([1, 2]));
            Assert.Equal("laplacianDirections", e.ParamName);
            Assert.Contains("2 values, not a multiple of d = 3", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => make([1, double.NaN, 0]));
            Assert.Equal("laplacianDirections", e.ParamName);
            Assert.Contains("laplacianDirections[1]", e.Message, StringComparison.Ordinal);
            Assert.Contains("NaN", e.Message, StringComparison.Ordinal);

            ILaplacianNetwork net = make([1, -1, 0]);
            Assert.Equal(1, net.WeightedLaplacians);
            const int n = 5;
            e = Assert.Throws<ArgumentException>(() => net.Forward(Points(n, D, InputEmbedding.Periodic, 1), [], new double[n], new double[D * n], new double[n], [], new double[n - 1]));
            Assert.Equal("weightedLaplacians", e.ParamName);
        }
    }

    /// <summary>Glorot-uniform weights in ±√(6/(in + out)), zero biases; the same seed gives the same parameters bit for bit, another seed others.</summary>
    [Fact]
    public void InitialisationIsSeededAndGlorotUniform()
    {
        LaplacianNetwork a = Network(InputEmbedding.Periodic, false, 11), b = Network(InputEmbedding.Periodic, false, 11);
        LaplacianNetwork c = Network(InputEmbedding.Periodic, false, 12);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        Assert.False(a.Parameters.SequenceEqual(c.Parameters));
        for (int l = 0; l <= a.Depth; l++)
        {
            int inputs = l == 0 ? a.Features : a.Width, outputs = l == a.Depth ? 1 : a.Width;
            double limit = Math.Sqrt(6.0 / (inputs + outputs));
            ReadOnlySpan<double> w = a.Parameters.Slice(a.WeightOffset(l), inputs * outputs);
            double max = 0;
            foreach (double v in w)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            // Uniform on ±limit: the largest of ≥ 12 draws exceeds limit/2 except with probability ≤ 2^-12.
            Assert.InRange(max, limit / 2, limit);
            Assert.All(a.Parameters.Slice(a.BiasOffset(l), outputs).ToArray(), v => Assert.Equal(0.0, v));
        }
    }

    /// <summary>Two networks from one seed, the same batch: values, derivatives and parameter gradients equal to the last bit.</summary>
    [Fact]
    public void RerunsAreBitIdentical()
    {
        const int n = 150;
        double[] x = Points(n, D, InputEmbedding.Periodic, 3);
        double[] Run()
        {
            LaplacianNetwork net = Network(InputEmbedding.Periodic, false, 21);
            var u = new double[n];
            var grad = new double[D * n];
            var lap = new double[n];
            net.Forward(x, [], u, grad, lap, []);
            var g = new double[net.ParameterCount];
            net.Backward(u, grad, lap, [], g);
            return [.. u, .. grad, .. lap, .. g];
        }

        Assert.Equal(Run(), Run());
    }

    /// <summary>After a warm-up step, a forward and reverse pass over the same batch size allocate 0 bytes (deterministic; DESIGN.md).</summary>
    [Fact]
    public void StepAllocatesNothing()
    {
        const int n = 200;
        LaplacianNetwork net = Network(InputEmbedding.Periodic, true);
        double[] x = Points(n, D, InputEmbedding.Periodic, 4);
        var t = new double[n];
        var u = new double[n];
        var grad = new double[D * n];
        var lap = new double[n];
        var dt = new double[n];
        var g = new double[net.ParameterCount];
        net.Forward(x, t, u, grad, lap, dt);
        net.Backward(u, grad, lap, dt, g);
        Assert.Equal(0, SteadyAllocation.Bytes(() =>
        {
            net.Forward(x, t, u, grad, lap, dt);
            net.Backward(u, grad, lap, dt, g);
        }));
    }
}
