using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Interactions;

/// <summary><see cref="InteractionUnit"/>: ∇θ K and ∇θ′ K (the shared channel chain rule, both sides) against central
/// differences of K, for a dot, a squared-distance and a mixed model.</summary>
public sealed class InteractionUnitTests
{
    [Theory]
    [InlineData("ArcCosine")]
    [InlineData("GaussianKernel")]
    [InlineData("ConfinedBumps")]
    public void BothSidesGradientsMatchCentralDifferences(string model)
    {
        switch (model)
        {
            case "ArcCosine":
                Check<ArcCosine>(ArcCosine.Particles(2, 4, 31));
                break;
            case "GaussianKernel":
                Check<GaussianKernel>(GaussianKernel.Particles(2, 4, 32));
                break;
            default:
                Check<ConfinedBumps>(ConfinedBumps.Particles(2, 4, 33));
                break;
        }
    }

    [Fact]
    public void SquaredDistanceChannelIsExactAtTheSelfPair()
    {
        // |z − z|² is computed as Σ (z_k − z_k)² = 0 exactly, so K(θ, θ) = c² exactly and ∂K/∂z = 0 exactly on both sides.
        double[] z = [1e8 + 0.1, -3e7, 12345.678, 0.5];
        var gsA = new double[1];
        var gvA = new double[4];
        var gsB = new double[1];
        var gvB = new double[4];
        Assert.Equal(4.0, InteractionUnit.Kernel<GaussianKernel>([2.0], z, [2.0], z, 4));
        InteractionUnit.KernelGradient<GaussianKernel>([2.0], z, [2.0], z, 4, gsA, gvA, gsB, gvB);
        Assert.All(gvA.Concat(gvB), g => Assert.Equal(0.0, g));
        Assert.Equal(2.0, gsA[0]);
    }

    private static void Check<TModel>(ParticleSet pair)
        where TModel : struct, IInteractionModel<TModel>
    {
        var layout = TModel.Layout;
        int d = pair.Dimension;
        var (sa, va) = InteractionReference<TModel>.Flat(pair, 0);
        var (sb, vb) = InteractionReference<TModel>.Flat(pair, 1);
        var gsA = new double[sa.Length];
        var gvA = new double[va.Length];
        var gsB = new double[sb.Length];
        var gvB = new double[vb.Length];
        InteractionUnit.KernelGradient<TModel>(sa, va, sb, vb, d, gsA, gvA, gsB, gvB);

        // Central differences, h = 1e-6: truncation h²/6·|∂³K| ≈ 1e-12 for these smooth O(1) kernels away from α = 0,
        // rounding ε|K|/h ≈ 1e-10; allowed 1e-7·(1 + |∂K|).
        const double H = 1e-6;
        double K(double[] s1, double[] v1, double[] s2, double[] v2) => InteractionUnit.Kernel<TModel>(s1, v1, s2, v2, d);
        foreach ((double[] values, double[] gradient, bool sideA) in new[] { (sa, gsA, true), (va, gvA, true), (sb, gsB, false), (vb, gvB, false) })
        {
            for (int k = 0; k < values.Length; k++)
            {
                double keep = values[k];
                values[k] = keep + H;
                double plus = K(sa, va, sb, vb);
                values[k] = keep - H;
                double minus = K(sa, va, sb, vb);
                values[k] = keep;
                double fd = (plus - minus) / (2 * H);
                Assert.True(Math.Abs(fd - gradient[k]) <= 1e-7 * (1 + Math.Abs(gradient[k])), $"{layout.ModelName} side {(sideA ? "A" : "B")} value {k}: fd {fd}, gradient {gradient[k]}");
            }
        }
    }
}
