namespace MeanField.Runtime.Tests;

/// <summary>
/// Straightforward O(L·n·d) double loops over the scalar operators: the independent reference the engine is
/// checked against. Channels are formed the obvious way (Σ_k products), in the input order of <see cref="NetworkLayout"/>.
/// </summary>
internal static class Reference<TModel>
    where TModel : struct, INetworkModel<TModel>
{
    public static double[] Inputs(ParticleSet particles, int i, ReadOnlySpan<double> x)
    {
        var layout = (NetworkLayout)particles.Layout;
        int d = particles.Dimension;
        var inputs = new double[layout.InputCount];
        int at = 0;
        for (int s = 0; s < layout.ScalarCount; s++)
        {
            inputs[at++] = particles.Scalar(s)[i];
        }

        foreach (ParticleChannel channel in layout.ParticleChannels)
        {
            ReadOnlySpan<double> a = particles.Vector(channel.First).Slice(i * d, d);
            ReadOnlySpan<double> b = particles.Vector(channel.Second).Slice(i * d, d);
            double sum = 0;
            for (int k = 0; k < d; k++)
            {
                sum += a[k] * b[k];
            }

            inputs[at++] = sum;
        }

        if (layout.UsesSquaredNormOfInput)
        {
            double sum = 0;
            for (int k = 0; k < d; k++)
            {
                sum += x[k] * x[k];
            }

            inputs[at++] = sum;
        }

        foreach (int j in layout.PairChannels)
        {
            ReadOnlySpan<double> v = particles.Vector(j).Slice(i * d, d);
            double sum = 0;
            for (int k = 0; k < d; k++)
            {
                sum += v[k] * x[k];
            }

            inputs[at++] = sum;
        }

        return inputs;
    }

    public static double[] Predict(ParticleSet particles, SampleSet samples)
    {
        var f = new double[samples.Count];
        for (int l = 0; l < samples.Count; l++)
        {
            double sum = 0;
            for (int i = 0; i < particles.Count; i++)
            {
                sum += TModel.Unit(Inputs(particles, i, samples.Input(l)));
            }

            f[l] = sum / particles.Count;
        }

        return f;
    }

    /// <summary>(1/n) Σ_i U(θ_i).</summary>
    public static double MeanRegularizer(ParticleSet particles)
    {
        int s = ((NetworkLayout)particles.Layout).RegularizerInputCount;
        double sum = 0;
        for (int i = 0; i < particles.Count; i++)
        {
            double[] inputs = Inputs(particles, i, new double[particles.Dimension]);
            sum += TModel.Regularizer(inputs.AsSpan(0, s));
        }

        return sum / particles.Count;
    }

    public static double Loss(ParticleSet particles, SampleSet samples)
    {
        double[] f = Predict(particles, samples);
        double cost = 0;
        for (int l = 0; l < samples.Count; l++)
        {
            cost += TModel.Cost(samples.Targets[l], f[l]);
        }

        return (cost / samples.Count) + MeanRegularizer(particles);
    }

    /// <summary>
    /// L((1 − ε)μ + εν) with explicit weights: f_ε = (1 − ε) f_μ + ε f_ν and ∫U d((1 − ε)μ + εν) likewise.
    /// </summary>
    public static double MixtureEnergy(double epsilon, double[] fMu, double[] fNu, double uMu, double uNu, SampleSet samples)
    {
        double cost = 0;
        for (int l = 0; l < samples.Count; l++)
        {
            cost += TModel.Cost(samples.Targets[l], ((1 - epsilon) * fMu[l]) + (epsilon * fNu[l]));
        }

        return (cost / samples.Count) + ((1 - epsilon) * uMu) + (epsilon * uNu);
    }
}
