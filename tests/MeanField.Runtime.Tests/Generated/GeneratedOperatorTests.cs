using System.Runtime.Intrinsics;
using MeanField.Models;

namespace MeanField.Runtime.Tests.Generated;

/// <summary>
/// Compile-and-run checks of the generated operators of every model in src/Models and of the models
/// written from scratch in this project. The reference is always the user's own C# method, called
/// directly (Channels.Dot etc. are real functions), never generated code:
/// <list type="bullet">
/// <item>value: generated φ equals the user's method (tolerance 1e-10 relative + 1e-12 absolute: the
/// generator rewrites |w − x|² as |w|² − 2w·x + |x|², which changes rounding by ~1e-15·(|w|² + |x|²));</item>
/// <item>gradients (θ, x, ŷ, regularizer): central differences with h = 1e-5·max(1, |p|) have error
/// ~h²·|f'''|/6 + ε·|f|/h ≈ 1e-10; we require |g − FD| ≤ 1e-6·max(1, |g|), the accuracy the issue asks;</item>
/// <item>vector lanes: lane k of the Vector128/256/512 operators equals the scalar operator at point k
/// to 1e-12 relative (the vectorised elementary functions are within ~1e-14 of System.Math; a formula
/// composes a few of them).</item>
/// </list>
/// Every check runs at 120 random points (seeded, so a failure reproduces).
/// </summary>
public sealed class GeneratedOperatorTests
{
    private const int Points = 120;

    [Fact]
    public void TanhNetwork() => Check<TanhNetwork>(ModelCases.Tanh);

    [Fact]
    public void ReluNetwork() => Check<ReluNetwork>(ModelCases.Relu);

    [Fact]
    public void SigmoidNetwork() => Check<SigmoidNetwork>(ModelCases.Sigmoid);

    [Fact]
    public void SoftplusNetwork() => Check<SoftplusNetwork>(ModelCases.Softplus);

    [Fact]
    public void GaussianBumpNetwork() => Check<GaussianBumpNetwork>(ModelCases.GaussianBump);

    [Fact]
    public void FourierNetwork() => Check<FourierNetwork>(ModelCases.Fourier);

    [Fact]
    public void SoftplusLogCoshNetwork_WrittenFromScratch() => Check<SoftplusLogCoshNetwork>(ModelCases.SoftplusLogCosh);

    [Fact]
    public void KitchenSinkNetwork_EveryFunction() => Check<KitchenSinkNetwork>(ModelCases.KitchenSink);

    [Fact]
    public void SoftplusWrittenAsLogOnePlusExpIsFiniteAtLargeZ()
    {
        // Math.Log(1 + Math.Exp(z)) is compiled to SimdMath.Softplus(z) and its derivative to Logistic(z): at z = 800 the
        // user's formula overflows (Exp(800) = ∞) and the textbook derivative e^z/(1 + e^z) is ∞/∞ = NaN; the generated
        // value is c·z and the gradient (∂c, ∂b, ∂w, ∂x) = (z, c, c·x, c·w) exactly (logistic(800) = 1).
        Assert.Contains("softplus(", SoftplusLogCoshNetwork.Derivation, StringComparison.Ordinal);
        Assert.Contains("logistic(", SoftplusLogCoshNetwork.Derivation, StringComparison.Ordinal);
        foreach (double b in new[] { 800.0, -800.0, 40.0, -40.0 })
        {
            double[] scalars = { 1.5, b };
            double[] w = { 0.5, -0.25 };
            double[] x = { 1.0, 2.0 };
            double z = b; // w·x = 0
            double[] gs = new double[2], gv = new double[2], gx = new double[2];
            double value = NetworkUnit.Value<SoftplusLogCoshNetwork>(scalars, w, x);
            NetworkUnit.Gradient<SoftplusLogCoshNetwork>(scalars, w, x, gs, gv, gx);
            double softplus = Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            double logistic = 1 / (1 + Math.Exp(-z));
            Assert.Equal(1.5 * softplus, value, 12);
            Assert.Equal(softplus, gs[0], 12);
            Assert.Equal(1.5 * logistic, gs[1], 12);
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal(1.5 * logistic * x[k], gv[k], 12);
                Assert.Equal(1.5 * logistic * w[k], gx[k], 12);
            }

            Assert.All(gs.Concat(gv).Concat(gx).Append(value), g => Assert.True(double.IsFinite(g)));
        }
    }

    [Fact]
    public void ReluDerivativeAtTheKinkIsZero()
    {
        // specs/networks.md, kink conventions: d/dz max(0, z) at z = 0 is 0. Pick w·x + b = 0 exactly.
        double[] scalars = { 1.5, 0.0 };
        double[] w = { 1.0, -1.0 };
        double[] x = { 0.25, 0.25 };
        double[] gs = new double[2], gv = new double[2], gx = new double[2];
        NetworkUnit.Gradient<ReluNetwork>(scalars, w, x, gs, gv, gx);
        Assert.Equal(new[] { 0.0, 0.0 }, gs);
        Assert.Equal(new[] { 0.0, 0.0 }, gv);
    }

    [Fact]
    public void DerivationIsReachableFromCode()
    {
        Assert.Contains("φ = c·tanh(b + w·x)", global::MeanField.Models.TanhNetwork.Derivation, StringComparison.Ordinal);
        Assert.Equal(global::MeanField.Models.TanhNetwork.Derivation, Derivation<TanhNetwork>());
    }

    private static string Derivation<TModel>() where TModel : struct, INetworkModel<TModel> => TModel.Derivation;

    private static void Check<TModel>(ModelCase model) where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        Assert.Equal(model.Scalars, layout.ScalarParameters);
        Assert.Equal(model.Vectors, layout.VectorParameters);
        int s = layout.ScalarCount, v = layout.VectorParameters.Count;
        var random = new Random(12345);

        for (int point = 0; point < Points; point++)
        {
            int d = 1 + random.Next(6);
            var (scalars, vectors, x) = model.Sample(random, d);
            Assert.Equal(s, scalars.Length);
            Assert.Equal(v * d, vectors.Length);

            // Value against the user's method.
            double expected = model.Unit(scalars, vectors, x);
            double actual = NetworkUnit.Value<TModel>(scalars, vectors, x);
            Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Abs(expected) + 1e-12, $"{model.Name} φ at point {point}: generated {actual}, model {expected}");

            // ∇θ φ and ∇x φ against central differences of the user's method.
            double[] gs = new double[s], gv = new double[v * d], gx = new double[d];
            NetworkUnit.Gradient<TModel>(scalars, vectors, x, gs, gv, gx);
            for (int k = 0; k < s; k++)
            {
                AssertDerivative(gs[k], FiniteDifference(scalars, k, () => model.Unit(scalars, vectors, x)), $"{model.Name} ∂φ/∂{layout.ScalarParameters[k]} at point {point}");
            }

            for (int k = 0; k < v * d; k++)
            {
                AssertDerivative(gv[k], FiniteDifference(vectors, k, () => model.Unit(scalars, vectors, x)), $"{model.Name} ∂φ/∂{layout.VectorParameters[k / d]}[{k % d}] at point {point}");
            }

            for (int k = 0; k < d; k++)
            {
                AssertDerivative(gx[k], FiniteDifference(x, k, () => model.Unit(scalars, vectors, x)), $"{model.Name} ∂φ/∂x[{k}] at point {point}");
            }

            // ∂ℓ/∂ŷ against central differences of the user's cost.
            double[] yp = { 2 * random.NextDouble() - 1, 3 * random.NextDouble() - 1.5 };
            if (model.CostTargets is { } targets)
            {
                yp[0] = targets[random.Next(targets.Length)];
            }

            Assert.Equal(model.Cost(yp[0], yp[1]), TModel.Cost(yp[0], yp[1]), 12);
            AssertDerivative(TModel.CostDerivative(yp[0], yp[1]), FiniteDifference(yp, 1, () => model.Cost(yp[0], yp[1])), $"{model.Name} ∂ℓ/∂ŷ at point {point}");

            // U and ∇θ U against the user's regularizer.
            double[] rs = new double[s], rv = new double[v * d];
            NetworkUnit.RegularizerGradient<TModel>(scalars, vectors, d, rs, rv);
            if (model.Regularizer is { } regularizer)
            {
                Assert.True(layout.HasRegularizer);
                Assert.Equal(regularizer(scalars, vectors), NetworkUnit.Regularizer<TModel>(scalars, vectors, d), 12);
                for (int k = 0; k < s; k++)
                {
                    AssertDerivative(rs[k], FiniteDifference(scalars, k, () => regularizer(scalars, vectors)), $"{model.Name} ∂U/∂{layout.ScalarParameters[k]}");
                }

                for (int k = 0; k < v * d; k++)
                {
                    AssertDerivative(rv[k], FiniteDifference(vectors, k, () => regularizer(scalars, vectors)), $"{model.Name} ∂U/∂v[{k}]");
                }
            }
            else
            {
                Assert.False(layout.HasRegularizer);
                Assert.Equal(0.0, NetworkUnit.Regularizer<TModel>(scalars, vectors, d));
                Assert.All(rs.Concat(rv), g => Assert.Equal(0.0, g));
            }
        }

        CheckLanes<TModel>(model, random);
    }

    /// <summary>Lane k of every vector operator equals the scalar operator at point k.</summary>
    private static void CheckLanes<TModel>(ModelCase model, Random random) where TModel : struct, INetworkModel<TModel>
    {
        var layout = TModel.Layout;
        int m = layout.InputCount;
        for (int round = 0; round < Points / 8; round++)
        {
            const int Lanes = 8;
            int d = 1 + random.Next(6);
            var inputs = new double[Lanes][];
            var targets = new double[Lanes];
            var predictions = new double[Lanes];
            for (int lane = 0; lane < Lanes; lane++)
            {
                var (scalars, vectors, x) = model.Sample(random, d);
                inputs[lane] = new double[m];
                NetworkUnit.Inputs<TModel>(scalars, vectors, x, inputs[lane]);
                targets[lane] = model.CostTargets is { } t ? t[random.Next(t.Length)] : random.NextDouble();
                predictions[lane] = 2 * random.NextDouble() - 1;
            }

            var value = new double[Lanes];
            var gradient = new double[Lanes][];
            var costDerivative = new double[Lanes];
            for (int lane = 0; lane < Lanes; lane++)
            {
                value[lane] = TModel.Unit(inputs[lane]);
                gradient[lane] = new double[m];
                TModel.UnitGradient(inputs[lane], gradient[lane]);
                costDerivative[lane] = TModel.CostDerivative(targets[lane], predictions[lane]);
            }

            // Vector128: lanes 0–1, Vector256: 0–3, Vector512: 0–7.
            var in128 = new Vector128<double>[m];
            var in256 = new Vector256<double>[m];
            var in512 = new Vector512<double>[m];
            for (int k = 0; k < m; k++)
            {
                double[] column = inputs.Select(row => row[k]).ToArray();
                in128[k] = Vector128.Create(column);
                in256[k] = Vector256.Create(column);
                in512[k] = Vector512.Create(column);
            }

            var g128 = new Vector128<double>[m];
            var g256 = new Vector256<double>[m];
            var g512 = new Vector512<double>[m];
            var v128 = TModel.Unit(in128);
            var v256 = TModel.Unit(in256);
            var v512 = TModel.Unit(in512);
            TModel.UnitGradient(in128, g128);
            TModel.UnitGradient(in256, g256);
            TModel.UnitGradient(in512, g512);
            var c128 = TModel.CostDerivative(Vector128.Create(targets), Vector128.Create(predictions));
            var c256 = TModel.CostDerivative(Vector256.Create(targets), Vector256.Create(predictions));
            var c512 = TModel.CostDerivative(Vector512.Create(targets), Vector512.Create(predictions));

            for (int lane = 0; lane < Lanes; lane++)
            {
                if (lane < 2)
                {
                    AssertLane(value[lane], v128[lane], $"{model.Name} Unit Vector128 lane {lane}");
                    AssertLane(costDerivative[lane], c128[lane], $"{model.Name} CostDerivative Vector128 lane {lane}");
                }

                if (lane < 4)
                {
                    AssertLane(value[lane], v256[lane], $"{model.Name} Unit Vector256 lane {lane}");
                    AssertLane(costDerivative[lane], c256[lane], $"{model.Name} CostDerivative Vector256 lane {lane}");
                }

                AssertLane(value[lane], v512[lane], $"{model.Name} Unit Vector512 lane {lane}");
                AssertLane(costDerivative[lane], c512[lane], $"{model.Name} CostDerivative Vector512 lane {lane}");
                for (int k = 0; k < m; k++)
                {
                    if (lane < 2)
                    {
                        AssertLane(gradient[lane][k], g128[k][lane], $"{model.Name} UnitGradient[{k}] Vector128 lane {lane}");
                    }

                    if (lane < 4)
                    {
                        AssertLane(gradient[lane][k], g256[k][lane], $"{model.Name} UnitGradient[{k}] Vector256 lane {lane}");
                    }

                    AssertLane(gradient[lane][k], g512[k][lane], $"{model.Name} UnitGradient[{k}] Vector512 lane {lane}");
                }
            }
        }
    }

    private static double FiniteDifference(double[] values, int index, Func<double> f)
    {
        double original = values[index];
        double h = 1e-5 * Math.Max(1, Math.Abs(original));
        values[index] = original + h;
        double plus = f();
        values[index] = original - h;
        double minus = f();
        values[index] = original;
        return (plus - minus) / (2 * h);
    }

    private static void AssertDerivative(double generated, double finiteDifference, string what)
        => Assert.True(Math.Abs(generated - finiteDifference) <= 1e-6 * Math.Max(1, Math.Abs(generated)), $"{what}: generated {generated}, finite difference {finiteDifference}");

    private static void AssertLane(double scalar, double lane, string what)
        => Assert.True(Math.Abs(lane - scalar) <= 1e-12 * Math.Max(1, Math.Abs(scalar)), $"{what}: vector {lane}, scalar {scalar}");
}
