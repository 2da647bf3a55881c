using MeanField.Dgm;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The DGM gated network as a forward-Laplacian network (specs/dgm-gated.md): ∇ₓu, Δₓu and ∂u/∂t against central
/// differences of the value, the analytic parameter gradient against central differences in every matrix and bias,
/// seeded Glorot initialisation, bit-identical reruns and the bad inputs. No allocation per step:
/// <see cref="GatedLaplacianNetworkAllocationTests"/>.
/// </summary>
public sealed class GatedLaplacianNetworkTests
{
    private const int D = 3;

    private static GatedLaplacianNetwork Network(InputEmbedding embedding, bool hasTime, int depth = 2, ulong seed = 7, int width = 12, int weighted = 0)
        => new(D, width, depth, embedding, hasTime, seed, LaplacianNetworkTests.Directions.AsSpan(0, weighted * D));

    /// <summary>
    /// Every parameter moved by U(−0.3, 0.3) from its initial value (seeded), so that the biases are not 0 and no gate
    /// sits at a special point (the derivatives are checked in general position).
    /// </summary>
    private static void Perturb(ILaplacianNetwork net, int seed)
    {
        var random = new Random(seed);
        Span<double> theta = net.Parameters;
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] += 0.6 * (random.NextDouble() - 0.5);
        }
    }

    private static double[] Times(int n, bool hasTime) => hasTime ? [.. Enumerable.Range(0, n).Select(i => 0.1 + (0.01 * i))] : [];

    /// <summary>
    /// ∇u and ∂u/∂t by the fourth-order central difference (−u(· + 2h) + 8u(· + h) − 8u(· − h) + u(· − 2h))/12h with
    /// h = 2·10⁻⁴, and Δu by Σ_k of the fourth-order (−u(x + 2he_k) + 16u(x + he_k) − 30u + 16u(x − he_k) −
    /// u(x − 2he_k))/12h² with h = 5·10⁻⁴, at 70 points (one full tile of 64 and a partial one), both embeddings, with
    /// and without time, depth 1 and 2, parameters perturbed off their initial values. Errors of the differences:
    /// truncation h⁴|u⁽⁵⁾|/30 and d·h⁴|u⁽⁶⁾|/90 (the k-th x-derivative grows like (2π)^k with the periodic embedding),
    /// rounding ≈ 18ε|u|/12h ≈ 10⁻¹² and ≈ 64dε|u|/12h² ≈ 10⁻⁸ (the Laplacian's floor). Measured worst (2026-12-06, this
    /// code): ∇u 10⁻⁹ (periodic, depth 2; 10⁻¹¹ plain), ∂t u 10⁻¹¹, Δu 9·10⁻⁸. Tolerances, relative to max(1, |·|):
    /// 10⁻⁸ for ∇u and ∂t u, 10⁻⁶ for Δu (≈ 10× the measured worst); a wrong product or chain-rule term (e.g. a missing
    /// 2∇a·∇b) is O(10⁻²–1). With <paramref name="weighted"/> weighted Laplacians (specs/dgm.md §5.1) each
    /// Σ_k C_rk ∂²u/∂x_k² against Σ_k C_rk of the same fourth-order second differences, at Δu's tolerance (|C_rk| ≤ 1.25).
    /// </summary>
    [Theory]
    [InlineData(true, false, 1)]
    [InlineData(true, true, 1)]
    [InlineData(false, false, 1)]
    [InlineData(false, true, 1)]
    [InlineData(true, false, 2)]
    [InlineData(true, true, 2)]
    [InlineData(false, false, 2)]
    [InlineData(false, true, 2)]
    [InlineData(true, false, 2, 2)]
    [InlineData(true, true, 1, 1)]
    [InlineData(false, true, 2, 2)]
    [InlineData(false, false, 1, 1)]
    public void DerivativesMatchCentralDifferences(bool periodic, bool hasTime, int depth, int weighted = 0)
    {
        InputEmbedding embedding = periodic ? InputEmbedding.Periodic : InputEmbedding.Plain;
        const int n = 70;
        const double FirstStep = 2e-4, SecondStep = 5e-4;
        GatedLaplacianNetwork net = Network(embedding, hasTime, depth, weighted: weighted);
        Perturb(net, 3);
        double[] x = LaplacianNetworkTests.Points(n, D, embedding, 1);
        double[] t = Times(n, hasTime);
        var u = new double[n];
        var grad = new double[D * n];
        var lap = new double[n];
        var dt = new double[hasTime ? n : 0];
        var lw = new double[weighted * n];
        net.Forward(x, t, u, grad, lap, dt, lw);

        // Shifted batches, blocks of n: for each coordinate k (x_0 … x_{d−1}, then t), shifts +2h, +h, −h, −2h.
        int coordinates = D + (hasTime ? 1 : 0), m = 4 * coordinates * n;
        double[] Shifted(double h)
        {
            double[] steps = [2 * h, h, -h, -2 * h];
            var shifted = new double[m * D];
            var times = new double[hasTime ? m : 0];
            for (int k = 0; k < coordinates; k++)
            {
                for (int s = 0; s < 4; s++)
                {
                    int block = ((4 * k) + s) * n;
                    for (int p = 0; p < n; p++)
                    {
                        for (int j = 0; j < D; j++)
                        {
                            shifted[((block + p) * D) + j] = x[(p * D) + j] + (j == k ? steps[s] : 0);
                        }

                        if (hasTime)
                        {
                            times[block + p] = t[p] + (k == D ? steps[s] : 0);
                        }
                    }
                }
            }

            var value = new double[m];
            net.Forward(shifted, times, value, new double[D * m], new double[m], new double[hasTime ? m : 0], new double[weighted * m]);
            return value;
        }

        double[] small = Shifted(FirstStep), large = Shifted(SecondStep);
        double At(double[] values, int k, int s, int p) => values[(((4 * k) + s) * n) + p];
        double First(int k, int p)
            => (-At(small, k, 0, p) + (8 * At(small, k, 1, p)) - (8 * At(small, k, 2, p)) + At(small, k, 3, p)) / (12 * FirstStep);

        double worstGrad = 0, worstLap = 0, worstTime = 0, worstWeighted = 0;
        for (int p = 0; p < n; p++)
        {
            double fdLap = 0;
            var fdWeighted = new double[weighted];
            for (int k = 0; k < D; k++)
            {
                double fdGrad = First(k, p);
                worstGrad = Math.Max(worstGrad, Math.Abs(fdGrad - grad[(k * n) + p]) / Math.Max(1, Math.Abs(fdGrad)));
                double second = (-At(large, k, 0, p) + (16 * At(large, k, 1, p)) - (30 * u[p]) + (16 * At(large, k, 2, p)) - At(large, k, 3, p))
                    / (12 * SecondStep * SecondStep);
                fdLap += second;
                for (int r = 0; r < weighted; r++)
                {
                    fdWeighted[r] += LaplacianNetworkTests.Directions[(r * D) + k] * second;
                }
            }

            worstLap = Math.Max(worstLap, Math.Abs(fdLap - lap[p]) / Math.Max(1, Math.Abs(fdLap)));
            for (int r = 0; r < weighted; r++)
            {
                worstWeighted = Math.Max(worstWeighted, Math.Abs(fdWeighted[r] - lw[(r * n) + p]) / Math.Max(1, Math.Abs(fdWeighted[r])));
            }

            if (hasTime)
            {
                double fdTime = First(D, p);
                worstTime = Math.Max(worstTime, Math.Abs(fdTime - dt[p]) / Math.Max(1, Math.Abs(fdTime)));
            }
        }

        Assert.True(worstGrad <= 1e-8, $"∇u: worst relative error {worstGrad:E2}");
        Assert.True(worstLap <= 1e-6, $"Δu: worst relative error {worstLap:E2}");
        Assert.True(worstTime <= 1e-8, $"∂t u: worst relative error {worstTime:E2}");
        Assert.True(worstWeighted <= 1e-6, $"Σ_k C_rk ∂²u/∂x_k²: worst relative error {worstWeighted:E2}");
    }

    /// <summary>
    /// The loss L = Σ_p (α_p u_p + Σ_k β_kp ∂_k u_p + γ_p Δu_p + δ_p ∂t u_p) with seeded weights in ±1/n: its adjoints
    /// are the weights themselves, so Backward is checked as the vector–Jacobian product of all four outputs for
    /// arbitrary adjoints (any loss's gradient is this product at its adjoints). The analytic ∂L/∂θ against
    /// (L(θ + h e_i) − L(θ − h e_i))/2h, h = 10⁻⁵, at the first and last entry and two seeded entries of every matrix
    /// and bias of every gate and layer (W¹, b¹, U, W, b of z, g, r, h per layer, w, b), parameters perturbed off their
    /// initial values. L is smooth with |∂³L/∂θ³| = O(10²–10³) at this scale (the periodic embedding brings (2π)² per
    /// Laplacian): truncation h²|L'''|/6 ≲ 2·10⁻⁸, rounding ε|L|/h ≈ 10⁻¹⁰; tolerance 10⁻⁷·max(1, |∂L/∂θ_i|) (the
    /// measured worst relative error per case, 2026-12-06, this code: 3·10⁻¹¹ to 4·10⁻⁹; a dropped term of the reverse
    /// pass is O(10⁻²–1)). With <paramref name="weighted"/> weighted Laplacians the loss gains Σ_r Σ_p ε_rp L_r u_p
    /// (seeded ε in ±1/n), whose adjoints are ε: their reverse pass through every product and tanh of the gates.
    /// </summary>
    [Theory]
    [InlineData(true, false, 1, 12)]
    [InlineData(true, true, 2, 12)]
    [InlineData(false, false, 2, 12)]
    [InlineData(false, true, 1, 12)]
    [InlineData(true, true, 2, 7)] // rows and columns past the kernels' register blocks (4 × 4 and 6 × 2)
    [InlineData(false, true, 2, 7)]
    [InlineData(true, true, 2, 12, 2)]
    [InlineData(false, false, 1, 12, 1)]
    [InlineData(true, false, 2, 7, 1)]
    public void ParameterGradientMatchesCentralDifferences(bool periodic, bool hasTime, int depth, int width, int weighted = 0)
    {
        InputEmbedding embedding = periodic ? InputEmbedding.Periodic : InputEmbedding.Plain;
        const int n = 70;
        GatedLaplacianNetwork net = Network(embedding, hasTime, depth, width: width, weighted: weighted);
        Perturb(net, 4);
        double[] x = LaplacianNetworkTests.Points(n, D, embedding, 2);
        double[] t = hasTime ? [.. Enumerable.Range(0, n).Select(i => 0.5 - (0.005 * i))] : [];
        var random = new Random(9);
        double[] Weights(int count) => [.. Enumerable.Range(0, count).Select(_ => (2 * random.NextDouble() - 1) / n)];
        double[] alpha = Weights(n), beta = Weights(D * n), gamma = Weights(n), delta = Weights(hasTime ? n : 0), epsilon = Weights(weighted * n);
        var u = new double[n];
        var grad = new double[D * n];
        var lap = new double[n];
        var dt = new double[hasTime ? n : 0];
        var lw = new double[weighted * n];

        double Loss()
        {
            net.Forward(x, t, u, grad, lap, dt, lw);
            double sum = 0;
            for (int i = 0; i < lw.Length; i++)
            {
                sum += epsilon[i] * lw[i];
            }

            for (int p = 0; p < n; p++)
            {
                sum += (alpha[p] * u[p]) + (gamma[p] * lap[p]) + (hasTime ? delta[p] * dt[p] : 0);
                for (int k = 0; k < D; k++)
                {
                    sum += beta[(k * n) + p] * grad[(k * n) + p];
                }
            }

            return sum;
        }

        Loss();
        var analytic = new double[net.ParameterCount];
        net.Backward(alpha, beta, gamma, delta, analytic, epsilon);

        // Every block of the layout: (offset, length).
        int f = net.Features;
        var blocks = new List<(int Offset, int Length)> { (net.FirstWeightOffset, width * f), (net.FirstBiasOffset, width) };
        for (int l = 0; l < depth; l++)
        {
            for (int q = 0; q < 4; q++)
            {
                blocks.Add((net.GateInputOffset(l, q), width * f));
                blocks.Add((net.GateWeightOffset(l, q), width * width));
                blocks.Add((net.GateBiasOffset(l, q), width));
            }
        }

        blocks.Add((net.OutputWeightOffset, width));
        blocks.Add((net.OutputBiasOffset, 1));
        Assert.Equal(net.ParameterCount, blocks.Sum(b => b.Length)); // the blocks tile the parameters
        var indices = new SortedSet<int>();
        var pick = new Random(5);
        foreach ((int offset, int length) in blocks)
        {
            indices.Add(offset);
            indices.Add(offset + length - 1);
            indices.Add(offset + pick.Next(length));
            indices.Add(offset + pick.Next(length));
        }

        const double h = 1e-5;
        Span<double> theta = net.Parameters;
        double worst = 0;
        foreach (int i in indices)
        {
            double saved = theta[i];
            theta[i] = saved + h;
            double plus = Loss();
            theta[i] = saved - h;
            double minus = Loss();
            theta[i] = saved;
            double fd = (plus - minus) / (2 * h);
            double error = Math.Abs(fd - analytic[i]) / Math.Max(1, Math.Abs(fd));
            worst = Math.Max(worst, error);
            Assert.True(error <= 1e-7, $"θ[{i}]: analytic {analytic[i]:R}, central difference {fd:R}");
        }

        Assert.True(worst <= 1e-7, $"worst relative error {worst:E2}");
    }

    /// <summary>
    /// Seeded Glorot-uniform initialisation: the same seed gives the same parameters bit for bit, another seed others;
    /// every matrix M is drawn from the stream (seed, m) (m as in the class remarks) at counter i·in + j, scaled to
    /// ±√(6/(in + out)) — checked entry by entry for every matrix — and every bias is 0.
    /// </summary>
    [Fact]
    public void InitialisationIsSeededAndGlorotUniform()
    {
        const ulong seed = 11;
        GatedLaplacianNetwork a = Network(InputEmbedding.Periodic, true, 2, seed), b = Network(InputEmbedding.Periodic, true, 2, seed);
        GatedLaplacianNetwork c = Network(InputEmbedding.Periodic, true, 2, seed + 1);
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        Assert.False(a.Parameters.SequenceEqual(c.Parameters));
        int f = a.Features, width = a.Width;
        var matrices = new List<(int Index, int Offset, int Outputs, int Inputs)> { (0, a.FirstWeightOffset, width, f) };
        var biases = new List<int> { a.FirstBiasOffset };
        for (int l = 0; l < a.Depth; l++)
        {
            for (int q = 0; q < 4; q++)
            {
                int g = (4 * l) + q;
                matrices.Add((1 + (2 * g), a.GateInputOffset(l, q), width, f));
                matrices.Add((2 + (2 * g), a.GateWeightOffset(l, q), width, width));
                biases.Add(a.GateBiasOffset(l, q));
            }
        }

        matrices.Add((1 + (8 * a.Depth), a.OutputWeightOffset, 1, width));
        foreach ((int index, int offset, int outputs, int inputs) in matrices)
        {
            double limit = Math.Sqrt(6.0 / (inputs + outputs));
            ulong key = CounterRandom.StreamKey(seed, index);
            double max = 0;
            for (int i = 0; i < inputs * outputs; i++)
            {
                double v = a.Parameters[offset + i];
                Assert.Equal(limit * ((2 * CounterRandom.Uniform(key, (ulong)i)) - 1), v);
                max = Math.Max(max, Math.Abs(v));
            }

            // Uniform on ±limit: the largest of ≥ 12 draws exceeds limit/2 except with probability ≤ 2^-12.
            Assert.InRange(max, limit / 2, limit);
        }

        foreach (int offset in biases)
        {
            Assert.All(a.Parameters.Slice(offset, width).ToArray(), v => Assert.Equal(0.0, v));
        }

        Assert.Equal(0.0, a.Parameters[a.OutputBiasOffset]);
    }

    /// <summary>
    /// Two networks from one seed, the same batch: values, derivatives and parameter gradients equal to the last bit; and
    /// one network rerun on the batch after a larger one (grown workspaces) gives the same bits again.
    /// </summary>
    [Fact]
    public void RerunsAreBitIdentical()
    {
        const int n = 150;
        double[] x = LaplacianNetworkTests.Points(n, D, InputEmbedding.Periodic, 3);
        double[] t = Times(n, true);
        static double[] Run(ILaplacianNetwork net, double[] x, double[] t)
        {
            int n = t.Length;
            var u = new double[n];
            var grad = new double[D * n];
            var lap = new double[n];
            var dt = new double[n];
            net.Forward(x, t, u, grad, lap, dt);
            var g = new double[net.ParameterCount];
            net.Backward(u, grad, lap, dt, g);
            return [.. u, .. grad, .. lap, .. dt, .. g];
        }

        GatedLaplacianNetwork first = Network(InputEmbedding.Periodic, true, 2, 21), second = Network(InputEmbedding.Periodic, true, 2, 21);
        double[] reference = Run(first, x, t);
        Assert.Equal(reference, Run(second, x, t));
        Run(first, LaplacianNetworkTests.Points(300, D, InputEmbedding.Periodic, 4), Times(300, true));
        Assert.Equal(reference, Run(first, x, t));
    }

    /// <summary>Constructor ranges (each names its argument), span lengths (naming the argument and both counts), Backward before Forward.</summary>
    [Fact]
    public void RefusesBadInputs()
    {
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new GatedLaplacianNetwork(0, 4, 1, InputEmbedding.Plain, false, 1)).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => new GatedLaplacianNetwork(1, 0, 1, InputEmbedding.Plain, false, 1)).ParamName);
        Assert.Equal("depth", Assert.Throws<ArgumentOutOfRangeException>(() => new GatedLaplacianNetwork(1, 4, 0, InputEmbedding.Plain, false, 1)).ParamName);
        Assert.Equal("embedding", Assert.Throws<ArgumentOutOfRangeException>(() => new GatedLaplacianNetwork(1, 4, 1, (InputEmbedding)7, false, 1)).ParamName);

        GatedLaplacianNetwork net = Network(InputEmbedding.Periodic, true, 1);
        Assert.Throws<InvalidOperationException>(() => net.Backward(new double[1], new double[D], new double[1], new double[1], new double[net.ParameterCount]));

        const int n = 5;
        double[] x = new double[n * D], t = new double[n], u = new double[n], g = new double[D * n], l = new double[n], dt = new double[n];
        void Expect(string name, int length, int expected, Action action)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(action);
            Assert.Equal(name, e.ParamName);
            Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            Assert.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        }

        Expect("points", 0, D, () => net.Forward([], t, u, g, l, dt));
        Expect("points", 7, D, () => net.Forward(new double[7], t, u, g, l, dt));
        Expect("times", 4, n, () => net.Forward(x, new double[4], u, g, l, dt));
        Expect("value", 6, n, () => net.Forward(x, t, new double[6], g, l, dt));
        Expect("gradient", n, D * n, () => net.Forward(x, t, u, new double[n], l, dt));
        Expect("laplacian", 2, n, () => net.Forward(x, t, u, g, new double[2], dt));
        Expect("timeDerivative", 0, n, () => net.Forward(x, t, u, g, l, []));
        GatedLaplacianNetwork noTime = Network(InputEmbedding.Plain, false, 1);
        Expect("times", n, 0, () => noTime.Forward(x, t, u, g, l, []));
        Expect("timeDerivative", n, 0, () => noTime.Forward(x, [], u, g, l, dt));

        net.Forward(x, t, u, g, l, dt);
        var p = new double[net.ParameterCount];
        Expect("valueAdjoint", 4, n, () => net.Backward(new double[4], g, l, dt, p));
        Expect("gradientAdjoint", 4, D * n, () => net.Backward(u, new double[4], l, dt, p));
        Expect("laplacianAdjoint", 4, n, () => net.Backward(u, g, new double[4], dt, p));
        Expect("timeDerivativeAdjoint", 4, n, () => net.Backward(u, g, l, new double[4], p));
        Expect("parameterGradient", 4, net.ParameterCount, () => net.Backward(u, g, l, dt, new double[4]));
    }
}

/// <summary>The gated network's forward and reverse passes allocate nothing after warm-up (specs/dgm-gated.md; in the allocation collection, which runs alone, as the other allocation tests).</summary>
[Collection(nameof(MeanField.Runtime.Tests.Particles.AllocationCollection))]
public sealed class GatedLaplacianNetworkAllocationTests
{
    /// <summary>After a warm-up step, a forward and reverse pass over the same batch size allocate 0 bytes on the calling thread (the passes run on it alone).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StepAllocatesNothing(bool hasTime)
    {
        const int n = 200, d = 3;
        var net = new GatedLaplacianNetwork(d, 12, 2, InputEmbedding.Periodic, hasTime, 7);
        double[] x = LaplacianNetworkTests.Points(n, d, InputEmbedding.Periodic, 4);
        var t = new double[hasTime ? n : 0];
        var u = new double[n];
        var grad = new double[d * n];
        var lap = new double[n];
        var dt = new double[hasTime ? n : 0];
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
