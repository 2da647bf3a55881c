namespace MeanField;

/// <summary>
/// Birth–death dynamics, the Wasserstein–Fisher–Rao gradient flow of an energy (Rotskoff–Jelassi–Bruna–Vanden-Eijnden
/// 2019): ∂tμ = ∇·(μ∇V) − α(V − ∫V dμ)μ with V = δE/δμ, discretised by a transport step followed by a birth–death step
/// (<see cref="BirthDeathMode"/>; see specs/particles.md §3).
/// </summary>
/// <remarks>
/// <para><b>Step k.</b> One pass of <see cref="IParticleEnergy.Gradient"/> at state k gives ∇V(θ_i), V_i = V(θ_i) and E_k;
/// then θ_i ← θ_i − Δt ∇V(θ_i) for every i, and the birth–death step with the V_i of state k and
/// V̄ = Σ_i w_i V_i / Σ_i w_i (a first-order splitting: the birth–death step sees V before the transport, an O(Δt) error
/// of the same order as the Euler step's).</para>
/// <para><b>Constant population.</b> Particles are visited in index order; particle i jumps when u_i ≤ α|V_i − V̄|Δt, u_i a
/// counter-based uniform of (seed, k, i); the other particle j is drawn uniformly from the n − 1 others by a second
/// uniform of (seed, k, i). A death copies θ_j over θ_i, a birth copies θ_i over θ_j (the current values, so a copy made
/// earlier in the same step can be copied again). Weights stay 1/n. Thread-independent and resumable bit-identically.</para>
/// <para><b>Weighted.</b> w_i ← w_i·exp(−α(V_i − V̄)Δt), then every weight is multiplied by M/Σ_i w_i, M the total
/// mass before the step: the mass is conserved to rounding (a few ulps of M per step).</para>
/// <para><b>Shared behaviour</b>: see <see cref="ParticleDynamics"/> (a divergence restores the weights too).</para>
/// </remarks>
public sealed class BirthDeathDynamics : ParticleDynamics
{
    private const ulong JumpSalt = 0x4249525448444531UL; // "BIRTHDE1"

    private readonly ParticleSet _gradient;
    private readonly double[] _firstVariation;
    private readonly BirthDeathOptions _options;

    /// <summary>Creates the dynamic; the particles (and, in weighted mode, their weights) are updated in place.</summary>
    /// <param name="particles">n particles (finite, weights finite and ≥ 0; uniform for constant population), of the layout the energy expects.</param>
    /// <param name="energy">E, V = δE/δμ and ∇V; the dynamic does not own or dispose it.</param>
    /// <param name="options">Step, rate, mode, seed, recording, checkpoints.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The particles hold NaN/∞ or bad weights, constant population is asked for non-uniform weights,
    /// the energy at them is not finite, or checkpoints are asked for in weighted mode or without a path.</exception>
    public BirthDeathDynamics(ParticleSet particles, IParticleEnergy energy, BirthDeathOptions options)
        : base(particles, energy, options, nameof(BirthDeathDynamics), static (particles, options) => Require(particles, (BirthDeathOptions)options))
    {
        _options = options;
        _gradient = particles.Clone();
        _firstVariation = new double[particles.Count];
    }

    /// <summary>
    /// Continues a constant-population run from a checkpoint written by <see cref="ParticleDynamics.SaveCheckpoint"/>, bit-identically (the
    /// checkpoint checks α, the seed, the step size and, for a <see cref="NetworkEnergy{TModel}"/>, the data).
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="energy">The energy of the original run.</param>
    /// <param name="options">Options for the continued run.</param>
    /// <param name="allowMismatch">True to resume although the options or the energy's data differ from the checkpoint's.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The path is blank; or, unless <paramref name="allowMismatch"/>, the options or data differ from the checkpoint's.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or is truncated or corrupt.</exception>
    public static BirthDeathDynamics Resume(string path, IParticleEnergy energy, BirthDeathOptions options, bool allowMismatch = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(energy);
        ArgumentNullException.ThrowIfNull(options);
        var (particles, state) = DynamicsSupport.ReadCheckpoint(path, nameof(BirthDeathDynamics), options.StepSize, Fingerprint(energy, options), allowMismatch, nameof(options));
        var dynamic = new BirthDeathDynamics(particles, energy, options);
        dynamic.Continue(state);
        return dynamic;
    }

    /// <summary>The options.</summary>
    public BirthDeathOptions Options => _options;

    /// <summary>Births (duplications) made by this object's steps, constant population only (a step undone after a divergence still counts).</summary>
    public long Births { get; private set; }

    /// <summary>Deaths (replacements by a copy) made by this object's steps, constant population only (a step undone after a divergence still counts).</summary>
    public long Deaths { get; private set; }

    private static ParticleFile.DataFingerprint Fingerprint(IParticleEnergy energy, BirthDeathOptions options) =>
        DynamicsSupport.Fingerprint(nameof(BirthDeathDynamics), energy, [options.Rate, (double)options.Mode], options.Seed);

    private static void Require(ParticleSet particles, BirthDeathOptions options)
    {
        if (options.Mode == BirthDeathMode.ConstantPopulation && !particles.HasUniformWeights)
        {
            throw new ArgumentException("particles carries non-uniform weights; the constant-population mode moves equally weighted particles (weights 1/n). Use BirthDeathMode.Weighted.", nameof(particles));
        }
    }

    /// <inheritdoc/>
    private protected override ParticleFile.DataFingerprint CheckpointFingerprint() => Fingerprint(ParticleEnergy, _options);

    /// <inheritdoc/>
    private protected override double Evaluate(int step) => ParticleEnergy.Gradient(Particles, _gradient, _firstVariation, step);

    /// <inheritdoc/>
    private protected override void Move(int step)
    {
        double dt = _options.StepSize;
        double[] values = Particles.Data;
        double[] gradient = _gradient.Data;
        for (int c = 0; c < values.Length; c++)
        {
            values[c] -= dt * gradient[c];
        }

        if (_options.Rate == 0)
        {
            return;
        }

        double[] weights = Particles.WeightData;
        double mass = 0;
        double weighted = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            mass += weights[i];
            weighted += weights[i] * _firstVariation[i];
        }

        double mean = weighted / mass;
        if (_options.Mode == BirthDeathMode.Weighted)
        {
            Reweight(weights, mean, mass);
        }
        else
        {
            Jump(step, mean);
        }
    }

    /// <summary>w_i ← w_i·exp(−α(V_i − V̄)Δt), rescaled to the mass before the step.</summary>
    private void Reweight(double[] weights, double mean, double mass)
    {
        double factor = -_options.Rate * _options.StepSize;
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= Math.Exp(factor * (_firstVariation[i] - mean));
            total += weights[i];
        }

        double scale = mass / total;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= scale;
        }
    }

    /// <summary>The constant-population clone/kill step (Rotskoff–Jelassi–Bruna–Vanden-Eijnden 2019; specs/particles.md §3.2).</summary>
    private void Jump(int step, double mean)
    {
        int n = Particles.Count;
        if (n < 2)
        {
            return;
        }

        ulong key = DynamicsSupport.StepKey(_options.Seed, JumpSalt, step);
        double scale = _options.Rate * _options.StepSize;
        for (int i = 0; i < n; i++)
        {
            double excess = _firstVariation[i] - mean;
            double u = CounterRandom.Uniform(key, 2 * (ulong)i);
            if (u > scale * Math.Abs(excess))
            {
                continue;
            }

            // 1 − r ∈ [0, 1): a uniform index among the n − 1 others.
            double r = CounterRandom.Uniform(key, (2 * (ulong)i) + 1);
            int other = Math.Min((int)((1 - r) * (n - 1)), n - 2);
            if (other >= i)
            {
                other++;
            }

            if (excess > 0)
            {
                CopyParticle(other, i);
                Deaths++;
            }
            else
            {
                CopyParticle(i, other);
                Births++;
            }
        }
    }

    /// <summary>Copies every scalar and vector value of particle <paramref name="from"/> over particle <paramref name="to"/>.</summary>
    private void CopyParticle(int from, int to)
    {
        int n = Particles.Count;
        int d = Particles.Dimension;
        int scalars = Particles.Layout.ScalarCount;
        double[] values = Particles.Data;
        for (int s = 0; s < scalars; s++)
        {
            values[(s * n) + to] = values[(s * n) + from];
        }

        for (int a = 0; a < Particles.Layout.VectorParameters.Count; a++)
        {
            int offset = (scalars * n) + (a * n * d);
            Array.Copy(values, offset + (from * d), values, offset + (to * d), d);
        }
    }

    /// <inheritdoc/>
    private protected override void OnRecorded(GradientFlowProgress entry) => _options.Progress?.Report(entry);
}
