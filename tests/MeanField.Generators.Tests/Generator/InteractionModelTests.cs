using System.Runtime.Intrinsics;
using MeanField.Models;

namespace MeanField.Generators.Tests.Generator;

/// <summary>
/// Compile-and-run checks of the generated operators of the ready-made interaction models (src/Models). The reference
/// is the user's own C# kernel method called directly (Channels.* are real functions), or a closed form:
/// <list type="bullet">
/// <item>value: generated K equals the user's method to 1e-12 relative + 1e-14 absolute (the generator reorders
/// floating-point operations; a pair channel |z − z′|² is computed as the user computes it);</item>
/// <item>∇θ K, ∇θ′ K: central differences of the user's method with h = 1e-5·max(1, |p|) have error
/// ~h²·|K'''|/6 + ε·|K|/h ≈ 1e-10; we require |g − FD| ≤ 1e-6·max(1, |g|);</item>
/// <item>vector lanes: lane k of the Vector128/256/512 operators equals the scalar operator at point k to 1e-12
/// relative + 1e-14 absolute (the vectorised elementary functions are within ~1e-14 of System.Math).</item>
/// </list>
/// Random points are seeded, so a failure reproduces.
/// </summary>
public sealed class InteractionModelTests
{
    private const int Dimension = 3;

    /// <summary>A particle: its scalars (in layout order) and its vectors.</summary>
    private sealed record Particle(double[] Scalars, double[][] Vectors);

    /// <summary>The kernel inputs in the layout's order, computed from two particles with Channels.*, the side values
    /// (if any) from the model's SideValues of each particle's block.</summary>
    private static double[] Inputs<T>(Particle a, Particle b)
        where T : struct, IInteractionModel<T>
    {
        var layout = T.Layout;
        var inputs = new List<double>();
        foreach (var side in new[] { a, b })
        {
            inputs.AddRange(side.Scalars);
            foreach (var channel in layout.ParticleChannels)
            {
                inputs.Add(Channels.Dot(side.Vectors[channel.First], side.Vectors[channel.Second]));
            }
        }

        foreach (var pair in layout.PairChannels)
        {
            inputs.Add(pair.Kind == PairChannelKind.Dot
                ? Channels.Dot(a.Vectors[pair.First], b.Vectors[pair.Second])
                : Channels.SquaredDistance(a.Vectors[pair.First], b.Vectors[pair.Second]));
        }

        int h = layout.SideValueCount;
        var values = new double[h];
        foreach (int offset in new[] { 0, layout.SideBOffset })
        {
            T.SideValues(inputs.GetRange(offset, layout.SideInputCount).ToArray(), values);
            inputs.AddRange(values);
        }

        Assert.Equal(layout.InputCount, inputs.Count);
        return inputs.ToArray();
    }

    /// <summary>∇ of K with respect to every scalar and vector component of θ (side A) then θ′ (side B), from the
    /// generated KernelGradient and the chain rule through the layout's channels.</summary>
    private static double[] ThetaGradient<T>(Particle a, Particle b)
        where T : struct, IInteractionModel<T>
    {
        var layout = T.Layout;
        var inputs = Inputs<T>(a, b);
        var g = new double[layout.InputCount];
        T.KernelGradient(inputs, g);
        int s = layout.ScalarCount, v = layout.VectorParameters.Count;
        var result = new double[2 * (s + (v * Dimension))];
        int sideLength = s + (v * Dimension);
        for (int sideIndex = 0; sideIndex < 2; sideIndex++)
        {
            var self = sideIndex == 0 ? a : b;
            var other = sideIndex == 0 ? b : a;
            int offset = sideIndex * sideLength;
            int inputOffset = sideIndex * layout.SideInputCount;
            for (int k = 0; k < s; k++)
            {
                result[offset + k] = g[inputOffset + k];
            }

            for (int q = 0; q < layout.ParticleChannelCount; q++)
            {
                var channel = layout.ParticleChannels[q];
                double coefficient = g[inputOffset + s + q];
                for (int j = 0; j < Dimension; j++)
                {
                    result[offset + s + (channel.First * Dimension) + j] += coefficient * self.Vectors[channel.Second][j];
                    result[offset + s + (channel.Second * Dimension) + j] += coefficient * self.Vectors[channel.First][j];
                }
            }

            for (int p = 0; p < layout.PairChannelCount; p++)
            {
                var pair = layout.PairChannels[p];
                double coefficient = g[layout.PairChannelOffset + p];
                int mine = sideIndex == 0 ? pair.First : pair.Second;
                int theirs = sideIndex == 0 ? pair.Second : pair.First;
                for (int j = 0; j < Dimension; j++)
                {
                    result[offset + s + (mine * Dimension) + j] += pair.Kind == PairChannelKind.Dot
                        ? coefficient * other.Vectors[theirs][j]
                        : coefficient * 2 * (self.Vectors[mine][j] - other.Vectors[theirs][j]);
                }
            }
        }

        return result;
    }

    /// <summary>The same gradient by central differences of <paramref name="kernel"/> (the user's method).</summary>
    private static double[] CentralDifferences(Func<Particle, Particle, double> kernel, Particle a, Particle b)
    {
        var values = new List<double>();
        foreach (var (side, isA) in new[] { (a, true), (b, false) })
        {
            var slots = new List<(double[] Array, int Index)>();
            for (int k = 0; k < side.Scalars.Length; k++)
            {
                slots.Add((side.Scalars, k));
            }

            foreach (var vector in side.Vectors)
            {
                for (int j = 0; j < vector.Length; j++)
                {
                    slots.Add((vector, j));
                }
            }

            foreach (var (array, index) in slots)
            {
                double saved = array[index];
                double h = 1e-5 * Math.Max(1, Math.Abs(saved));
                array[index] = saved + h;
                double plus = kernel(a, b);
                array[index] = saved - h;
                double minus = kernel(a, b);
                array[index] = saved;
                values.Add((plus - minus) / (2 * h));
            }
        }

        return values.ToArray();
    }

    private static double ArcCosine(Particle a, Particle b) => ArcCosineKernel.K(a.Scalars[0], a.Vectors[0], b.Scalars[0], b.Vectors[0]);

    private static double Gaussian(Particle a, Particle b) => GaussianFeatures.K(a.Scalars[0], a.Vectors[0], b.Scalars[0], b.Vectors[0]);

    private static Particle RandomParticle(Random random) => new(
        new[] { random.NextDouble() * 4 - 2 },
        new[] { Enumerable.Range(0, Dimension).Select(_ => random.NextDouble() * 2 - 1).ToArray() });

    private static Particle Copy(Particle p, double scale = 1) => new((double[])p.Scalars.Clone(), p.Vectors.Select(v => v.Select(x => x * scale).ToArray()).ToArray());

    private static void AssertGradient(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(double.IsFinite(actual[k]), $"{what}: component {k} is {actual[k]}");
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-6 * Math.Max(1, Math.Abs(actual[k])), $"{what}: component {k}: generated {actual[k]}, expected {expected[k]}");
        }
    }

    private static void CheckValueAndGradient<T>(Func<Particle, Particle, double> kernel, Particle a, Particle b, string what)
        where T : struct, IInteractionModel<T>
    {
        double actual = T.Kernel(Inputs<T>(a, b));
        double expected = kernel(a, b);
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected) + 1e-14, $"{what}: K generated {actual}, model {expected}");
        AssertGradient(CentralDifferences(kernel, a, b), ThetaGradient<T>(a, b), what);
    }

    [Fact]
    public void ArcCosineKernelMatchesItsMethodAndFiniteDifferences()
    {
        var random = new Random(8001);
        for (int point = 0; point < 100; point++)
        {
            CheckValueAndGradient<ArcCosineKernel>(ArcCosine, RandomParticle(random), RandomParticle(random), $"arc-cosine point {point}");
        }
    }

    [Fact]
    public void GaussianFeaturesMatchesItsMethodAndFiniteDifferences()
    {
        var random = new Random(8002);
        for (int point = 0; point < 100; point++)
        {
            var a = RandomParticle(random);
            var b = RandomParticle(random);

            // Half the points have z′ near z (within 1e-3): the pair channel must stay exact there.
            if (point % 2 == 1)
            {
                b = new Particle(b.Scalars, new[] { a.Vectors[0].Select(x => x + (1e-3 * (random.NextDouble() - 0.5))).ToArray() });
            }

            CheckValueAndGradient<GaussianFeatures>(Gaussian, a, b, $"gaussian point {point}");
        }
    }

    /// <summary>K = c c′ exp(−|z − z′|²/(4σ²)) at z′ = z + δ: the generated value reads |z − z′|² = |δ|² from its own pair
    /// channel, so even at |δ| = 1e-9 the exponent is −|δ|²/(4σ²) ≤ 0 and K ≤ c c′ (an expansion |z|² − 2z·z′ + |z′|²
    /// would round to a value of size ~1e-16·|z|² of either sign).</summary>
    [Fact]
    public void GaussianFeaturesUsesADirectSquaredDistanceChannel()
    {
        var layout = GetLayout<GaussianFeatures>();
        var pair = Assert.Single(layout.PairChannels);
        Assert.Equal(PairChannelKind.SquaredDistance, pair.Kind);
        Assert.Equal(0, layout.ParticleChannelCount);
        Assert.Equal(3, layout.InputCount);

        var a = new Particle(new[] { 1.5 }, new[] { new[] { 1e4 + 0.3, -2e4, 7e3 } });
        var b = new Particle(new[] { 2.0 }, new[] { new[] { a.Vectors[0][0] + 1e-9, a.Vectors[0][1], a.Vectors[0][2] } });
        var inputs = Inputs<GaussianFeatures>(a, b);
        Assert.True(inputs[2] >= 0 && inputs[2] < 1e-16, $"|z − z′|² = {inputs[2]}");
        double k = GaussianFeatures.K(a.Scalars[0], a.Vectors[0], b.Scalars[0], b.Vectors[0]);
        Assert.True(GetKernel<GaussianFeatures>(inputs) <= 1.5 * 2.0 && Math.Abs(GetKernel<GaussianFeatures>(inputs) - k) <= 1e-15 * k);
    }

    /// <summary>
    /// The arc-cosine kernel's side values (specs/interactions.md, "Side values"): |w| and 1/|w|, two per particle in the
    /// layout, each a formula of its own for inspection; the Gaussian features kernel, with no one-sided call, has none.
    /// </summary>
    [Fact]
    public void ArcCosineKernelListsItsSideValues()
    {
        Assert.Equal(2, GetLayout<ArcCosineKernel>().SideValueCount);
        Assert.Equal(GetLayout<ArcCosineKernel>().GradientCount + 4, GetLayout<ArcCosineKernel>().InputCount);
        Assert.Equal("sqrt(|w|²)", ArcCosineKernel.Formulas["h₀"]);
        Assert.Equal("1 / sqrt(|w|²)", ArcCosineKernel.Formulas["h₁"]);
        Assert.Equal(0, GetLayout<GaussianFeatures>().SideValueCount);
    }

    private static InteractionLayout GetLayout<T>()
        where T : struct, IInteractionModel<T> => T.Layout;

    private static double GetKernel<T>(double[] inputs)
        where T : struct, IInteractionModel<T> => T.Kernel(inputs);

    /// <summary>
    /// At α = 0 (w′ = λw, λ &gt; 0) u = 1, J = π, dJ/du = π, and (specs/interactions.md)
    /// ∇_w K(θ, θ′) = c c′ w′/2 (= c c′ w/2 at w′ = w), ∂K/∂c = c′|w||w′|/2: finite and exact there, where a naive
    /// derivative of acos is 0·∞. Tolerance 1e-12 relative: closed forms, a few roundings apart.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(0.3)]
    public void ArcCosineGradientAtZeroAngleIsTheAnalyticLimit(double lambda)
    {
        var random = new Random(8003);
        for (int point = 0; point < 20; point++)
        {
            var a = RandomParticle(random);
            var b = Copy(a, lambda);
            b.Scalars[0] = random.NextDouble() * 4 - 2;
            double c = a.Scalars[0], c2 = b.Scalars[0];
            double normW = Math.Sqrt(Channels.SquaredNorm(a.Vectors[0])), normW2 = Math.Sqrt(Channels.SquaredNorm(b.Vectors[0]));

            var gradient = ThetaGradient<ArcCosineKernel>(a, b);
            double scale = Math.Abs(c * c2) * normW2;
            Assert.True(Math.Abs(gradient[0] - (c2 * normW * normW2 / 2)) <= 1e-12 * Math.Abs(c2 * normW * normW2), $"∂K/∂c = {gradient[0]} at λ = {lambda}");
            for (int j = 0; j < Dimension; j++)
            {
                double expected = c * c2 * b.Vectors[0][j] / 2;
                Assert.True(Math.Abs(gradient[1 + j] - expected) <= 1e-12 * scale + 1e-15, $"∂K/∂w_{j} = {gradient[1 + j]}, expected {expected} at λ = {lambda}");
            }

            // And the value: K = c c′ |w||w′| π / (2π) = c c′ |w||w′| / 2.
            double k = ArcCosineKernel.K(c, a.Vectors[0], c2, b.Vectors[0]);
            Assert.True(Math.Abs(k - (c * c2 * normW * normW2 / 2)) <= 1e-12 * Math.Abs(k), $"K = {k} at λ = {lambda}");
        }
    }

    /// <summary>K is C² in w at α = 0 (its expansion in α is π − πα²/2 + α³/3 + …, times |w||w′| cos-free terms), so
    /// central differences are valid there too, with the tolerance of the class summary.</summary>
    [Fact]
    public void ArcCosineGradientAtZeroAngleMatchesFiniteDifferences()
    {
        var random = new Random(8004);
        for (int point = 0; point < 20; point++)
        {
            var a = RandomParticle(random);
            var b = Copy(a, 1 + point % 3);
            AssertGradient(CentralDifferences(ArcCosine, a, b), ThetaGradient<ArcCosineKernel>(a, b), $"arc-cosine α = 0, point {point}");
        }
    }

    [Fact]
    public void VectorWidthsEqualTheScalarOperators()
    {
        CheckWidths<ArcCosineKernel>(new Random(8005));
        CheckWidths<GaussianFeatures>(new Random(8006));
    }

    private static void CheckWidths<T>(Random random)
        where T : struct, IInteractionModel<T>
    {
        var layout = T.Layout;
        int n = layout.InputCount;
        const int Lanes = 8;
        var points = Enumerable.Range(0, Lanes).Select(k =>
        {
            var a = RandomParticle(random);

            // Lane 0 is a self-pair (α = 0, z′ = z).
            return Inputs<T>(a, k == 0 ? Copy(a) : RandomParticle(random));
        }).ToArray();
        var values = points.Select(p => T.Kernel(p)).ToArray();
        var gradients = points.Select(p =>
        {
            var g = new double[n];
            T.KernelGradient(p, g);
            return g;
        }).ToArray();

        void Check(double expected, double actual, string what) =>
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected) + 1e-14, $"{typeof(T).Name} {what}: vector {actual}, scalar {expected}");

        var in128 = new Vector128<double>[n];
        var in256 = new Vector256<double>[n];
        var in512 = new Vector512<double>[n];
        for (int i = 0; i < n; i++)
        {
            in128[i] = Vector128.Create(points[0][i], points[1][i]);
            in256[i] = Vector256.Create(points[0][i], points[1][i], points[2][i], points[3][i]);
            in512[i] = Vector512.Create(Enumerable.Range(0, Lanes).Select(k => points[k][i]).ToArray());
        }

        var k128 = T.Kernel(in128);
        var k256 = T.Kernel(in256);
        var k512 = T.Kernel(in512);
        var g128 = new Vector128<double>[n];
        var g256 = new Vector256<double>[n];
        var g512 = new Vector512<double>[n];
        T.KernelGradient(in128, g128);
        T.KernelGradient(in256, g256);
        T.KernelGradient(in512, g512);
        for (int lane = 0; lane < Lanes; lane++)
        {
            Check(values[lane], k512[lane], $"K (512) lane {lane}");
            if (lane < 4)
            {
                Check(values[lane], k256[lane], $"K (256) lane {lane}");
            }

            if (lane < 2)
            {
                Check(values[lane], k128[lane], $"K (128) lane {lane}");
            }

            for (int i = 0; i < n; i++)
            {
                Check(gradients[lane][i], g512[i][lane], $"∂K/∂input {i} (512) lane {lane}");
                if (lane < 4)
                {
                    Check(gradients[lane][i], g256[i][lane], $"∂K/∂input {i} (256) lane {lane}");
                }

                if (lane < 2)
                {
                    Check(gradients[lane][i], g128[i][lane], $"∂K/∂input {i} (128) lane {lane}");
                }
            }
        }
    }

    /// <summary>Without [Potential] or [Confinement], those operators are 0 with a 0 gradient of length S + Q, and the
    /// layout says so.</summary>
    [Fact]
    public void MissingPotentialAndConfinementAreZero()
    {
        var layout = GetLayout<ArcCosineKernel>();
        Assert.False(layout.HasPotential);
        Assert.False(layout.HasConfinement);
        Assert.Equal(new[] { "c" }, layout.ScalarParameters);
        Assert.Equal(new[] { "w" }, layout.VectorParameters);
        var inputs = new[] { 1.5, 2.0 };
        var gradient = new[] { 7.0, 7.0 };
        Assert.Equal(0, PotentialOf<ArcCosineKernel>(inputs, gradient));
        Assert.Equal(new[] { 0.0, 0.0 }, gradient);
    }

    private static double PotentialOf<T>(double[] inputs, double[] gradient)
        where T : struct, IInteractionModel<T>
    {
        T.PotentialGradient(inputs, gradient);
        return T.Potential(inputs) + T.Confinement(inputs);
    }

    private static double GeneratedKernel<T>(Particle a, Particle b)
        where T : struct, IInteractionModel<T> => T.Kernel(Inputs<T>(a, b));

    private static Particle Unit2(double c, double angle) => new(new[] { c }, new[] { new[] { Math.Cos(angle), Math.Sin(angle) } });

    /// <summary>
    /// specs/interactions.md reference values, from Gaussian integrals that do not use the kernel's formula:
    /// unit w = w′: E[relu(x₁)²] = 1/2; orthogonal: E[relu(x₁)]² = 1/(2π); and, at several angles and scales in d = 2,
    /// the expectation by polar quadrature E = (1/π) ∫₀^{2π} relu(w·e_φ) relu(w′·e_φ) dφ (midpoint rule, 200 000 nodes;
    /// the integrand is Lipschitz with two kinks, so the error is ≤ ~(2π/200 000)²·|w||w′| ≈ 1e-9·|w||w′|: tolerance 1e-8).
    /// </summary>
    [Fact]
    public void ArcCosineKernelIsTheGaussianExpectation()
    {
        Assert.Equal(0.5, GeneratedKernel<ArcCosineKernel>(Unit2(1, 0.3), Unit2(1, 0.3)), 14);
        Assert.Equal(1 / (2 * Math.PI), GeneratedKernel<ArcCosineKernel>(Unit2(1, 0.3), Unit2(1, 0.3 + (Math.PI / 2))), 14);
        Assert.True(Math.Abs(GeneratedKernel<ArcCosineKernel>(Unit2(1, 0), Unit2(1, Math.PI / 3)) - 0.3044988905) <= 1e-10);   // the reference's 10 digits

        var random = new Random(8007);
        for (int point = 0; point < 10; point++)
        {
            var a = new Particle(new[] { random.NextDouble() * 2 - 1 }, new[] { new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 } });
            var b = new Particle(new[] { random.NextDouble() * 2 - 1 }, new[] { new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 } });
            const int Nodes = 200_000;
            double sum = 0;
            for (int i = 0; i < Nodes; i++)
            {
                double phi = (i + 0.5) * 2 * Math.PI / Nodes;
                double e0 = Math.Cos(phi), e1 = Math.Sin(phi);
                sum += Math.Max(0, (a.Vectors[0][0] * e0) + (a.Vectors[0][1] * e1)) * Math.Max(0, (b.Vectors[0][0] * e0) + (b.Vectors[0][1] * e1));
            }

            double expected = a.Scalars[0] * b.Scalars[0] * sum * (2 * Math.PI / Nodes) / Math.PI;
            double actual = GeneratedKernel<ArcCosineKernel>(a, b);
            Assert.True(Math.Abs(actual - expected) <= 1e-8, $"point {point}: generated {actual}, quadrature {expected}");
        }
    }

    /// <summary>
    /// K·(πσ²)^{d/2} is ∫ c φ(x; z) c′ φ(x; z′) dx (specs/interactions.md), checked in d = 1 by the midpoint rule on
    /// [−3, 4] with step 1e-4 (the integrand is smooth and below e^{−(3−1)²/(2σ²)·…} ≈ 1e-20 outside; the rule's error
    /// is ~h²·|f''|·L/24 ≈ 1e-9): tolerance 1e-8. Reference: z − z′ = 0.2 gives 0.2760776894 and K = e^{−1/4}.
    /// </summary>
    [Fact]
    public void GaussianFeaturesKernelIsTheOverlapIntegral()
    {
        double sigma = GaussianFeatures.Sigma;
        var reference = GeneratedKernel<GaussianFeatures>(new Particle(new[] { 1.0 }, new[] { new[] { 0.4 } }), new Particle(new[] { 1.0 }, new[] { new[] { 0.6 } }));
        Assert.Equal(Math.Exp(-0.25), reference, 14);
        Assert.True(Math.Abs((reference * Math.Sqrt(Math.PI * sigma * sigma)) - 0.2760776894) <= 1e-10);   // the reference's 10 digits

        var random = new Random(8008);
        for (int point = 0; point < 5; point++)
        {
            double c = random.NextDouble() * 2 - 1, c2 = random.NextDouble() * 2 - 1, z = random.NextDouble(), z2 = random.NextDouble();
            const double H = 1e-4;
            double sum = 0;
            for (double x = -3 + (H / 2); x < 4; x += H)
            {
                sum += c * Math.Exp(-(x - z) * (x - z) / (2 * sigma * sigma)) * c2 * Math.Exp(-(x - z2) * (x - z2) / (2 * sigma * sigma));
            }

            double expected = sum * H / Math.Sqrt(Math.PI * sigma * sigma);
            double actual = GeneratedKernel<GaussianFeatures>(new Particle(new[] { c }, new[] { new[] { z } }), new Particle(new[] { c2 }, new[] { new[] { z2 } }));
            Assert.True(Math.Abs(actual - expected) <= 1e-8, $"point {point}: generated {actual}, quadrature {expected}");
        }
    }
}
