using MeanField.Dgm;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>Adam (specs/dgm.md §4) against its closed forms, and its allocation.</summary>
public sealed class AdamTests
{
    /// <summary>
    /// The first bias-corrected step is θ₁ = θ₀ − α g/(|g| + ε) (m̂ = g, v̂ = g² exactly); with a constant gradient every
    /// later step is the same (m̂ = g, v̂ = g² for all t), so after 3 steps θ = θ₀ − Σ α γ^{t−1} g/(|g| + ε). Written out
    /// here independently of the code; 1e-15 relative covers the rounding of the bias corrections (1 − β₂ᵗ to a few ulp).
    /// </summary>
    [Fact]
    public void ConstantGradientStepsFollowTheClosedForm()
    {
        const double alpha = 0.1, gamma = 0.5, epsilon = 1e-8;
        double[] g = [3.0, -0.25, 1e-3];
        double[] theta = [1.0, 2.0, -1.0];
        double[] start = [.. theta];
        var adam = new Adam(3, alpha, gamma, epsilon: epsilon);
        for (int t = 0; t < 3; t++)
        {
            adam.Step(theta, g);
        }

        for (int i = 0; i < 3; i++)
        {
            double expected = start[i] - ((alpha + (alpha * gamma) + (alpha * gamma * gamma)) * g[i] / (Math.Abs(g[i]) + epsilon));
            Assert.True(Math.Abs(theta[i] - expected) <= 1e-15 * Math.Max(1, Math.Abs(expected)), $"θ[{i}] = {theta[i]:R}, expected {expected:R}");
        }

        Assert.Equal(3, adam.Steps);
        Assert.Equal(alpha * gamma * gamma * gamma, adam.LearningRate, 15);
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var adam = new Adam(100, 1e-3);
        var theta = new double[100];
        var g = new double[100];
        Array.Fill(g, 0.5);
        adam.Step(theta, g);
        Assert.Equal(0, SteadyAllocation.Bytes(() => adam.Step(theta, g)));
    }
}
