namespace MeanField;

/// <summary>
/// The mean-field loss of a network as an <see cref="IParticleEnergy"/>: E(μ) = L(μ) = (1/L) Σ_l ℓ(y_l, f(x_l)) + ∫ U dμ on
/// fixed data, V = δL/δμ, ∇V the Wasserstein gradient (<see cref="NetworkEvaluator{TModel}"/>), so mean-field Langevin and
/// birth–death run on networks.
/// </summary>
/// <remarks>
/// The network evaluator uses the mean-field scaling 1/n for every particle, so this energy requires uniform weights and
/// rejects others (a weighted birth–death run needs an energy that reads <see cref="ParticleSet.Weights"/>). Asking for
/// V(θ_i) costs a second pass over the data (<see cref="NetworkEvaluator{TModel}.FirstVariation"/>). Results do not depend
/// on the thread count. Dispose it to stop its worker threads.
/// </remarks>
/// <typeparam name="TModel">The generated network model.</typeparam>
public sealed class NetworkEnergy<TModel> : IParticleEnergy, IFingerprintedEnergy, IDisposable
    where TModel : struct, INetworkModel<TModel>
{
    private readonly NetworkEvaluator<TModel> _evaluator;
    private readonly SampleSet _data;

    /// <summary>Creates the energy on <paramref name="data"/>, with its own evaluator.</summary>
    /// <param name="data">L samples.</param>
    /// <param name="threadCount">Threads of the evaluator (1 … <see cref="GradientFlowOptions.MaxThreadCount"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is out of range.</exception>
    public NetworkEnergy(SampleSet data, int threadCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        _evaluator = new NetworkEvaluator<TModel>(threadCount);
        _data = data;
    }

    /// <summary>The data.</summary>
    public SampleSet Data => _data;

    /// <inheritdoc/>
    ParticleFile.DataFingerprint IFingerprintedEnergy.Fingerprint => _data.Fingerprint;

    /// <summary>Bytes allocated by the evaluator's worker threads (for allocation tests).</summary>
    internal long WorkerAllocatedBytes => _evaluator.WorkerAllocatedBytes;

    /// <summary>L(μ).</summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, uniform weights, the data's dimension.</param>
    /// <exception cref="ArgumentException">Non-uniform weights, or the evaluator's checks (layout, dimension, NaN/∞).</exception>
    /// <exception cref="ObjectDisposedException">The energy has been disposed.</exception>
    public double Energy(ParticleSet particles)
    {
        RequireUniform(particles);
        return _evaluator.Loss(particles, _data);
    }

    /// <summary>∇V(θ_i) into <paramref name="gradient"/>, V(θ_i) into <paramref name="firstVariation"/> when not empty; returns L(μ).</summary>
    /// <param name="particles">n particles of <typeparamref name="TModel"/>, uniform weights, the data's dimension.</param>
    /// <param name="gradient">A different set of the same shape.</param>
    /// <param name="firstVariation">Empty, or length n.</param>
    /// <param name="step">Ignored (the energy is deterministic).</param>
    /// <exception cref="ArgumentException">Non-uniform weights, a length mismatch, or the evaluator's checks.</exception>
    /// <exception cref="ObjectDisposedException">The energy has been disposed.</exception>
    public double Gradient(ParticleSet particles, ParticleSet gradient, Span<double> firstVariation, long step)
    {
        RequireUniform(particles);
        if (!firstVariation.IsEmpty && firstVariation.Length != particles.Count)
        {
            throw new ArgumentException($"firstVariation has length {firstVariation.Length}; it must be empty or hold one value per particle ({particles.Count}).", nameof(firstVariation));
        }

        double loss = _evaluator.WassersteinGradient(particles, _data, gradient);
        if (!firstVariation.IsEmpty)
        {
            _evaluator.FirstVariation(particles, _data, particles, firstVariation);
        }

        return loss;
    }

    /// <summary>Stops the evaluator's worker threads; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _evaluator.Dispose();

    private static void RequireUniform(ParticleSet particles)
    {
        ArgumentNullException.ThrowIfNull(particles);
        if (!particles.HasUniformWeights)
        {
            throw new ArgumentException(
                "particles carries non-uniform weights; a network energy assumes the mean-field weights 1/n (NetworkEvaluator averages over particles).",
                nameof(particles));
        }
    }
}
