namespace MeanField.Runtime.Tests.Interactions;

/// <summary>
/// The interaction energy by straightforward double loops over <see cref="InteractionUnit"/> (one pair at a time, no
/// tiles): the independent reference the evaluator is checked against.
/// </summary>
internal static class InteractionReference<TModel>
    where TModel : struct, IInteractionModel<TModel>
{
    public static (double[] Scalars, double[] Vectors) Flat(ParticleSet set, int i)
    {
        var layout = (InteractionLayout)set.Layout;
        int d = set.Dimension;
        var scalars = new double[layout.ScalarCount];
        var vectors = new double[layout.VectorParameters.Count * d];
        for (int k = 0; k < scalars.Length; k++)
        {
            scalars[k] = set.Scalar(k)[i];
        }

        for (int j = 0; j < layout.VectorParameters.Count; j++)
        {
            set.Vector(j).Slice(i * d, d).CopyTo(vectors.AsSpan(j * d, d));
        }

        return (scalars, vectors);
    }

    public static double K(ParticleSet a, int i, ParticleSet b, int j)
    {
        var (sa, va) = Flat(a, i);
        var (sb, vb) = Flat(b, j);
        return InteractionUnit.Kernel<TModel>(sa, va, sb, vb, a.Dimension);
    }

    /// <summary>F (potential) or U (confinement) at particle i, and optionally its gradient (S + V·d values, flat).</summary>
    public static double Side(ParticleSet set, int i, bool potential, double[]? gradient)
    {
        var layout = TModel.Layout;
        var (s, v) = Flat(set, i);
        int d = set.Dimension;
        var block = new double[layout.SideInputCount];
        InteractionUnit.GatherSide(layout, s, v, d, block);
        if (gradient is not null)
        {
            var g = new double[block.Length];
            if (potential)
            {
                TModel.PotentialGradient(block, g);
            }
            else
            {
                TModel.ConfinementGradient(block, g);
            }

            Array.Clear(gradient);
            g.AsSpan(0, layout.ScalarCount).CopyTo(gradient);
            InteractionUnit.AddSideGradient(layout, g.AsSpan(layout.ScalarCount), v, d, gradient.AsSpan(layout.ScalarCount));
        }

        return potential ? TModel.Potential(block) : TModel.Confinement(block);
    }

    public static double Energy(ParticleSet mu, ParticleSet? nu, bool includeSelf)
    {
        double e = 0;
        for (int i = 0; i < mu.Count; i++)
        {
            for (int j = 0; j < mu.Count; j++)
            {
                if (i != j || includeSelf)
                {
                    e += 0.5 * mu.Weights[i] * mu.Weights[j] * K(mu, i, mu, j);
                }
            }

            if (nu is not null)
            {
                for (int k = 0; k < nu.Count; k++)
                {
                    e -= mu.Weights[i] * nu.Weights[k] * K(mu, i, nu, k);
                }
            }

            e += mu.Weights[i] * (Side(mu, i, false, null) - Side(mu, i, true, null));
        }

        if (nu is not null)
        {
            for (int k = 0; k < nu.Count; k++)
            {
                for (int l = 0; l < nu.Count; l++)
                {
                    e += 0.5 * nu.Weights[k] * nu.Weights[l] * K(nu, k, nu, l);
                }
            }
        }

        return e;
    }

    /// <summary>V(θ_i) and ∇θ V(θ_i) (flat: S scalars then V × d) for particle i of μ.</summary>
    public static (double Value, double[] Gradient) FirstVariation(ParticleSet mu, ParticleSet? nu, bool includeSelf, int i)
    {
        var layout = TModel.Layout;
        int d = mu.Dimension;
        int s = layout.ScalarCount;
        int vd = layout.VectorParameters.Count * d;
        var total = new double[s + vd];
        var sa = new double[s];
        var va = new double[vd];
        var sb = new double[s];
        var vb = new double[vd];
        var (si, vi) = Flat(mu, i);
        double value = 0;
        void Add(ParticleSet set, int j, double weight)
        {
            var (sj, vj) = Flat(set, j);
            value += weight * InteractionUnit.Kernel<TModel>(si, vi, sj, vj, d);
            InteractionUnit.KernelGradient<TModel>(si, vi, sj, vj, d, sa, va, sb, vb);
            for (int k = 0; k < s; k++)
            {
                total[k] += weight * sa[k];
            }

            for (int k = 0; k < vd; k++)
            {
                total[s + k] += weight * va[k];
            }
        }

        for (int j = 0; j < mu.Count; j++)
        {
            if (j != i || includeSelf)
            {
                Add(mu, j, mu.Weights[j]);
            }
        }

        if (nu is not null)
        {
            for (int k = 0; k < nu.Count; k++)
            {
                Add(nu, k, -nu.Weights[k]);
            }
        }

        var side = new double[s + vd];
        value -= Side(mu, i, true, side);
        for (int k = 0; k < side.Length; k++)
        {
            total[k] -= side[k];
        }

        value += Side(mu, i, false, side);
        for (int k = 0; k < side.Length; k++)
        {
            total[k] += side[k];
        }

        return (value, total);
    }

    /// <summary>Particle i's values of a set, flat: S scalars then V × d.</summary>
    public static double[] Row(ParticleSet set, int i)
    {
        var (s, v) = Flat(set, i);
        return [.. s, .. v];
    }

    /// <summary>Flat index f of particle i (as <see cref="Row"/>) to the index in <see cref="ParticleSet.Values"/>.</summary>
    public static int ValueIndex(ParticleSet set, int i, int f)
    {
        int s = set.Layout.ScalarCount;
        int n = set.Count;
        int d = set.Dimension;
        if (f < s)
        {
            return (f * n) + i;
        }

        int vector = (f - s) / d;
        int component = (f - s) % d;
        return (s * n) + (vector * n * d) + (i * d) + component;
    }
}
