using MeanField.Reductions;

namespace MeanField;

/// <content>The per-tile finishing passes on the engine's sums: the chain rule to θ and the probes' regularizer.</content>
public sealed partial class NetworkEvaluator<TModel>
{
    /// <summary>
    /// V(θ_i) for the particles [i0, i0 + cols) of one particle tile (lanes from <paramref name="lane0"/>), from the
    /// engine's column gradient sums of the tile, still in the worker's cache: Σ_l r_l ∂φ/∂(scalar or particle
    /// channel) in <paramref name="sums"/>, Σ_l r_l ∂φ/∂(v_j·x) x_l in <paramref name="pairSums"/>, plus ∇U; the chain
    /// rule back to θ.
    /// </summary>
    private void WriteVelocities(int i0, int cols, int lane0, ReadOnlySpan<double> sums, ReadOnlySpan<double> pairSums, WorkerScratch scratch)
    {
        ParticleSet particles = _set!;
        ParticleSet velocity = _velocity!;
        int n = particles.Count;
        int d = particles.Dimension;
        int s = _scalarCount;
        bool regularizer = _layout.HasRegularizer;
        Span<double> regularizerInputs = scratch.RegularizerInputs.AsSpan(0, s + _channelCount);
        Span<double> regularizerGradient = scratch.RegularizerGradient.AsSpan(0, s + _channelCount);
        double[] theta = particles.Data;
        double[] v = velocity.Data;
        for (int il = lane0; il < lane0 + cols; il++)
        {
            int i = i0 + il - lane0;
            if (regularizer)
            {
                GatherRegularizerInputs(_particles, i, regularizerInputs);
                TModel.RegularizerGradient(regularizerInputs, regularizerGradient);
            }
            else
            {
                regularizerGradient.Clear();
            }

            for (int k = 0; k < s; k++)
            {
                v[(k * n) + i] = sums[(k * Tiles.Particles) + il] + regularizerGradient[k];
            }

            for (int a = 0; a < _layout.VectorParameters.Count; a++)
            {
                v.AsSpan(velocity.VectorOffset(a) + (i * d), d).Clear();
            }

            for (int p = 0; p < _pairCount; p++)
            {
                Span<double> row = v.AsSpan(velocity.VectorOffset(_pairVector[p]) + (i * d), d);
                int baseIndex = (p * d * Tiles.Particles) + il;
                for (int k = 0; k < d; k++)
                {
                    row[k] += pairSums[baseIndex + (k * Tiles.Particles)];
                }
            }

            // ∂(v_a·v_b)/∂v_a = v_b, ∂|v_a|²/∂v_a = 2 v_a: the shared chain rule.
            for (int q = 0; q < _channelCount; q++)
            {
                double coefficient = sums[((s + q) * Tiles.Particles) + il] + regularizerGradient[s + q];
                ParticleChannel channel = _layout.ParticleChannels[q];
                ChannelChainRule.AddParticleChannel(
                    channel,
                    coefficient,
                    theta.AsSpan(particles.VectorOffset(channel.First) + (i * d), d),
                    theta.AsSpan(particles.VectorOffset(channel.Second) + (i * d), d),
                    v.AsSpan(velocity.VectorOffset(channel.First) + (i * d), d),
                    v.AsSpan(velocity.VectorOffset(channel.Second) + (i * d), d));
            }
        }
    }

    /// <summary>δL/δμ at the probes of one probe tile: the engine's Σ_l (r_l / L) φ(x_l; θ), + U(θ).</summary>
    private void AddProbeRegularizer(int tile, WorkerScratch scratch)
    {
        int m = _set!.Count;
        int i0 = tile * Tiles.Particles;
        int cols = Math.Min(Tiles.Particles, m - i0);
        Span<double> regularizerInputs = scratch.RegularizerInputs.AsSpan(0, _scalarCount + _channelCount);
        for (int i = i0; i < i0 + cols; i++)
        {
            GatherRegularizerInputs(_probes, i, regularizerInputs);
            _probeValues[i] += TModel.Regularizer(regularizerInputs);
        }
    }
}
