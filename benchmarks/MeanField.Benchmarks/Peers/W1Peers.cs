using System.Numerics.Tensors;

namespace MeanField.Benchmarks.Peers;

/// <summary>
/// One W1 step written without the generator, for comparison with <see cref="GradientFlow{TModel}.Step"/> of
/// <c>TanhNetwork</c>: f(x) = (1/n) Σ_i c_i tanh(w_i·x + b_i), loss (1/L) Σ_l ½(ŷ_l − y_l)², Wasserstein gradient
/// V(θ_i) = n·∂L/∂θ_i and the Euler update θ_i ← θ_i − η V(θ_i). Each implementation keeps its own copy of the
/// particles (plain arrays c, b, w) and the samples.
/// </summary>
/// <remarks>
/// Every implementation streams over the samples: for sample l it computes the n pre-activations z_i = w_i·x_l + b_i
/// (n·d multiply-adds), ŷ_l and the residual r_l = ŷ_l − y_l, then accumulates the gradients, the w part
/// Σ_l r_l c_i σ′(z_il) x_l being another n·d multiply-adds. That is the 4·L·n·d flops of the two products the
/// GFLOP/s column credits (<see cref="W1Flops"/>), with O(n·d) memory and nothing of size L × n.
/// </remarks>
public abstract class W1Peer
{
    /// <summary>n, d, L.</summary>
    protected readonly int N, D, L;

    /// <summary>The step size η.</summary>
    protected readonly double Eta;

    /// <summary>The particles: c and b (length n), w (n × d, row-major).</summary>
    protected readonly double[] C, B, W;

    /// <summary>The samples: x (L × d, row-major) and y (length L).</summary>
    protected readonly double[] X, Y;

    /// <summary>Gradient accumulators, the same shapes as c, b, w.</summary>
    protected readonly double[] GradC, GradB, GradW;

    /// <summary>Copies the particles (a <c>TanhNetwork</c> set) and the samples.</summary>
    protected W1Peer(ParticleSet particles, SampleSet data, double stepSize)
    {
        N = particles.Count;
        D = particles.Dimension;
        L = data.Count;
        Eta = stepSize;
        C = particles.Scalar("c").ToArray();
        B = particles.Scalar("b").ToArray();
        W = particles.Vector("w").ToArray();
        X = data.Inputs.ToArray();
        Y = data.Targets.ToArray();
        GradC = new double[N];
        GradB = new double[N];
        GradW = new double[N * D];
    }

    /// <summary>One step: returns the loss before the update, as <see cref="GradientFlow{TModel}.Step"/> does.</summary>
    public abstract double Step();

    /// <summary>Writes the particles into a <c>TanhNetwork</c> set of the same shape.</summary>
    public void CopyTo(ParticleSet particles)
    {
        C.CopyTo(particles.Scalar("c"));
        B.CopyTo(particles.Scalar("b"));
        W.CopyTo(particles.Vector("w"));
    }
}

/// <summary>The flops one W1 step is credited with: the two n·d products per sample, 2 flops per multiply-add, 4·L·n·d.</summary>
public static class W1Flops
{
    /// <summary>4·L·n·d.</summary>
    public static double PerStep(int samples, int dimension, int particles) => 4.0 * samples * particles * dimension;

    /// <summary>(L, d, n) from a shape string "L,d,n".</summary>
    public static (int Samples, int Dimension, int Particles) Parse(string shape)
    {
        var parts = shape.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1], parts[2]);
    }
}

/// <summary>(a) Straightforward scalar loops: what a careful user writes by hand (one thread, no SIMD, no allocation).</summary>
public sealed class ScalarW1Step(ParticleSet particles, SampleSet data, double stepSize) : W1Peer(particles, data, stepSize)
{
    private readonly double[] _activation = new double[particles.Count];

    /// <inheritdoc/>
    public override double Step()
    {
        // Locals and row spans, as a careful user writes them: the JIT then drops the bounds checks of the inner loops.
        double[] c = C, b = B, activation = _activation, gradC = GradC, gradB = GradB;
        int n = N, d = D;
        Array.Clear(gradC);
        Array.Clear(gradB);
        Array.Clear(GradW);
        double loss = 0;
        for (int l = 0; l < L; l++)
        {
            var x = new ReadOnlySpan<double>(X, l * d, d);

            // Forward: ŷ_l = (1/n) Σ_i c_i tanh(w_i·x_l + b_i).
            double prediction = 0;
            for (int i = 0; i < n; i++)
            {
                var w = new ReadOnlySpan<double>(W, i * d, d);
                double z = b[i];
                for (int j = 0; j < w.Length && j < x.Length; j++)
                {
                    z += w[j] * x[j];
                }

                double a = Math.Tanh(z);
                activation[i] = a;
                prediction += c[i] * a;
            }

            prediction /= n;
            double r = prediction - Y[l];
            loss += 0.5 * r * r;

            // Backward: n·∂ℓ_l/∂c_i = r σ(z), ∂/∂b_i = r c_i σ′(z), ∂/∂w_i = r c_i σ′(z) x_l.
            for (int i = 0; i < n; i++)
            {
                double a = activation[i];
                gradC[i] += r * a;
                double g = r * c[i] * (1 - (a * a));
                gradB[i] += g;
                var gw = new Span<double>(GradW, i * d, d);
                for (int j = 0; j < gw.Length && j < x.Length; j++)
                {
                    gw[j] += g * x[j];
                }
            }
        }

        // Euler: θ ← θ − η V, V = (1/L) Σ_l (…).
        double scale = Eta / L;
        for (int i = 0; i < n; i++)
        {
            c[i] -= scale * gradC[i];
            b[i] -= scale * gradB[i];
        }

        double[] weights = W, gradW = GradW;
        for (int k = 0; k < weights.Length && k < gradW.Length; k++)
        {
            weights[k] -= scale * gradW[k];
        }

        return loss / L;
    }
}

/// <summary>A forward-mode dual number a + a′ε (ε² = 0): the value and the derivative along one direction.</summary>
public readonly record struct Dual(double Value, double Derivative)
{
    /// <summary>The variable itself: (v, 1).</summary>
    public static Dual Variable(double value) => new(value, 1);

    /// <summary>Sum.</summary>
    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Derivative + b.Derivative);

    /// <summary>Difference.</summary>
    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Derivative - b.Derivative);

    /// <summary>Product rule.</summary>
    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, (a.Derivative * b.Value) + (a.Value * b.Derivative));

    /// <summary>Quotient rule.</summary>
    public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, ((a.Derivative * b.Value) - (a.Value * b.Derivative)) / (b.Value * b.Value));

    /// <summary>A constant.</summary>
    public static implicit operator Dual(double value) => new(value, 0);

    /// <summary>tanh, tanh′ = 1 − tanh².</summary>
    public static Dual Tanh(Dual a)
    {
        double t = Math.Tanh(a.Value);
        return new(t, (1 - (t * t)) * a.Derivative);
    }

    /// <summary>exp.</summary>
    public static Dual Exp(Dual a)
    {
        double e = Math.Exp(a.Value);
        return new(e, e * a.Derivative);
    }

    /// <summary>max(a, 0) (derivative 0 at the kink).</summary>
    public static Dual Relu(Dual a) => a.Value > 0 ? a : new(0, 0);
}

/// <summary>
/// (b) A generic step for any activation σ and loss ℓ, passed as delegates over <see cref="Dual"/> numbers (σ and σ′ in
/// one call, ℓ and ∂ℓ/∂ŷ in another): what a user writes without the generator. One thread, no allocation per step.
/// </summary>
public sealed class DualW1Step : W1Peer
{
    private readonly Func<Dual, Dual> _activation;
    private readonly Func<double, Dual, Dual> _loss;
    private readonly double[] _sigma;
    private readonly double[] _sigmaPrime;

    /// <summary>The tanh network: σ = <see cref="Dual.Tanh"/>, ℓ(y, ŷ) = ½(ŷ − y)².</summary>
    public DualW1Step(ParticleSet particles, SampleSet data, double stepSize)
        : this(particles, data, stepSize, Dual.Tanh, static (y, p) => 0.5 * (p - y) * (p - y))
    {
    }

    /// <summary>Any activation and loss.</summary>
    public DualW1Step(ParticleSet particles, SampleSet data, double stepSize, Func<Dual, Dual> activation, Func<double, Dual, Dual> loss)
        : base(particles, data, stepSize)
    {
        _activation = activation;
        _loss = loss;
        _sigma = new double[N];
        _sigmaPrime = new double[N];
    }

    /// <inheritdoc/>
    public override double Step()
    {
        Array.Clear(GradC);
        Array.Clear(GradB);
        Array.Clear(GradW);
        double total = 0;
        for (int l = 0; l < L; l++)
        {
            var x = new ReadOnlySpan<double>(X, l * D, D);
            double prediction = 0;
            for (int i = 0; i < N; i++)
            {
                double z = B[i] + Dot(new ReadOnlySpan<double>(W, i * D, D), x);
                Dual a = _activation(Dual.Variable(z));
                _sigma[i] = a.Value;
                _sigmaPrime[i] = a.Derivative;
                prediction += C[i] * a.Value;
            }

            Dual loss = _loss(Y[l], Dual.Variable(prediction / N));
            total += loss.Value;
            double r = loss.Derivative;
            for (int i = 0; i < N; i++)
            {
                GradC[i] += r * _sigma[i];
                double g = r * C[i] * _sigmaPrime[i];
                GradB[i] += g;
                var gw = new Span<double>(GradW, i * D, D);
                for (int j = 0; j < D; j++)
                {
                    gw[j] += g * x[j];
                }
            }
        }

        double scale = Eta / L;
        for (int i = 0; i < N; i++)
        {
            C[i] -= scale * GradC[i];
            B[i] -= scale * GradB[i];
        }

        for (int k = 0; k < W.Length; k++)
        {
            W[k] -= scale * GradW[k];
        }

        return total / L;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            s += a[j] * b[j];
        }

        return s;
    }
}

/// <summary>
/// (c) System.Numerics.Tensors <see cref="TensorPrimitives"/>, one operation at a time over rows: per sample, n dot
/// products of length d, Add, Tanh, Dot for ŷ, then MultiplyAdd for the gradients (n of length d for w). SIMD inside
/// each call, one thread, preallocated buffers (no allocation per step).
/// </summary>
public sealed class TensorPrimitivesW1Step(ParticleSet particles, SampleSet data, double stepSize) : W1Peer(particles, data, stepSize)
{
    private readonly double[] _z = new double[particles.Count];
    private readonly double[] _a = new double[particles.Count];
    private readonly double[] _g = new double[particles.Count];

    /// <inheritdoc/>
    public override double Step()
    {
        Array.Clear(GradC);
        Array.Clear(GradB);
        Array.Clear(GradW);
        double loss = 0;
        for (int l = 0; l < L; l++)
        {
            var x = new ReadOnlySpan<double>(X, l * D, D);
            for (int i = 0; i < N; i++)
            {
                _z[i] = TensorPrimitives.Dot(new ReadOnlySpan<double>(W, i * D, D), x);
            }

            TensorPrimitives.Add(_z, B, _z);
            TensorPrimitives.Tanh(_z, _a);
            double r = (TensorPrimitives.Dot(C, _a) / N) - Y[l];
            loss += 0.5 * r * r;

            // gc += r·a; g = r·c·(1 − a²); gb += g; gw_i += g_i·x.
            TensorPrimitives.MultiplyAdd(_a, r, GradC, GradC);
            TensorPrimitives.MultiplyAdd(_a, _a, -1.0, _g);
            TensorPrimitives.Multiply(_g, C, _g);
            TensorPrimitives.Multiply(_g, -r, _g);
            TensorPrimitives.Add(GradB, _g, GradB);
            for (int i = 0; i < N; i++)
            {
                var gw = new Span<double>(GradW, i * D, D);
                TensorPrimitives.MultiplyAdd(x, _g[i], gw, gw);
            }
        }

        double step = -Eta / L;
        TensorPrimitives.MultiplyAdd(GradC, step, C, C);
        TensorPrimitives.MultiplyAdd(GradB, step, B, B);
        TensorPrimitives.MultiplyAdd(GradW, step, W, W);
        return loss / L;
    }
}
