using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.OdeSolvers;

namespace MeanField.Runtime.Tests.Pde;

/// <summary>
/// The ODE reference of the crowd-trading game (Cardaliaguet–Lehalle 2018; specs/mfg.md §5.3), integrated with
/// MathNet.Numerics' fourth-order Runge–Kutta, independently of the PDE solvers: the value function is quadratic in the
/// inventory, u(t, q) = h₀(t) + h₁(t) q + ½ h₂(t) q², with
/// h₂' = h₂²/(2κ) − 2φ, h₂(T) = 2A (a Riccati equation, closed form <see cref="H2Exact"/>), and the mean inventory E and
/// h₁ solving the linear two-point problem E' = μ, h₁' = h₁h₂/(2κ) + αμ with μ = −(h₁ + h₂E)/(2κ), E(0) = E₀, h₁(T) = 0
/// (solved by shooting on h₁(0): the problem is linear, so two integrations give the exact slope).
/// </summary>
/// <param name="Kappa">κ &gt; 0, the temporary impact (cost κν² of trading at rate ν).</param>
/// <param name="Alpha">α, the permanent impact of the crowd's mean trading rate μ on the price drift.</param>
/// <param name="Phi">φ ≥ 0, the running inventory penalty φq².</param>
/// <param name="A">A ≥ 0, the terminal penalty Aq².</param>
/// <param name="T">The horizon.</param>
/// <param name="E0">The initial mean inventory.</param>
internal sealed record CrowdTradingReference(double Kappa, double Alpha, double Phi, double A, double T, double E0)
{
    /// <summary>
    /// E^k = hΣ_g q_g M^k_g, the mean inventory of a PDE solution at every level, with q = x − <paramref name="offset"/>
    /// on the circle of <see cref="MeanField.Models.CrowdTradingGame"/> (the quantity compared with <see cref="Solve"/>).
    /// </summary>
    public static double[] MeanInventory(MeanField.FiniteHorizonSolution solution, double offset)
    {
        int n = solution.Grid.NodeCount;
        double h = solution.Grid.Hx;
        var mean = new double[solution.TimeSteps + 1];
        for (int k = 0; k < mean.Length; k++)
        {
            for (int g = 0; g < n; g++)
            {
                mean[k] += h * ((g * h) - offset) * solution.M[(k * n) + g];
            }
        }

        return mean;
    }

    /// <summary>
    /// A Deep Galerkin solution's E(t) = ∫ q m dq (midpoint rule, 1000 points of the box [0, L]) and μ(t) (the trainer's
    /// <see cref="MeanField.Dgm.FiniteHorizonDgmTrainer{TGame}.MeanControl"/>) at every tenth time of <paramref name="time"/>
    /// (t = 0, 0.1, …, T for 100 steps), and their largest differences from <paramref name="mean"/> and <paramref name="rate"/>
    /// (specs/dgm.md §6.7).
    /// </summary>
    public static (double E, double Mu, double[] MeanInventory, double[] MeanRate) CompareDgm(
        MeanField.Dgm.FiniteHorizonDgmTrainer<MeanField.Models.CrowdTradingGame> trainer, double[] time, double[] mean, double[] rate)
    {
        const int nx = 1000;
        double length = MeanField.Models.CrowdTradingGame.Length, offset = MeanField.Models.CrowdTradingGame.Offset;
        double[] x = [.. Enumerable.Range(0, nx).Select(i => length * (i + 0.5) / nx)];
        double[] u = new double[nx], m = new double[nx], t = new double[nx];
        var inventory = new List<double>();
        var rates = new List<double>();
        double errE = 0, errMu = 0;
        for (int k = 0; k < time.Length; k += 10)
        {
            Array.Fill(t, time[k]);
            trainer.Solution(x, t, u, m);
            double e = 0;
            for (int i = 0; i < nx; i++)
            {
                e += (x[i] - offset) * m[i] * length / nx;
            }

            double mu = trainer.MeanControl(time[k]);
            inventory.Add(e);
            rates.Add(mu);
            errE = Math.Max(errE, Math.Abs(e - mean[k]));
            errMu = Math.Max(errMu, Math.Abs(mu - rate[k]));
        }

        return (errE, errMu, [.. inventory], [.. rates]);
    }

    /// <summary>r = 2√(κφ), the root of h₂' = 0.</summary>
    private double R => 2 * Math.Sqrt(Kappa * Phi);

    /// <summary>
    /// h₂(t) in closed form: with τ = T − t, g(τ) = h₂ solves g' = (r² − g²)/(2κ), g(0) = 2A, so
    /// g = r tanh(rτ/(2κ) + atanh(2A/r)) when 2A &lt; r, r coth(rτ/(2κ) + acoth(2A/r)) when 2A &gt; r, and r when 2A = r.
    /// </summary>
    public double H2Exact(double t)
    {
        double r = R, s = r * (T - t) / (2 * Kappa), ratio = 2 * A / r;
        if (Math.Abs(ratio - 1) < 1e-15)
        {
            return r;
        }

        return ratio < 1 ? r * Math.Tanh(s + Math.Atanh(ratio)) : r / Math.Tanh(s + (0.5 * Math.Log((ratio + 1) / (ratio - 1))));
    }

    /// <summary>h₂ on the grid t_k = kT/steps by Runge–Kutta, integrated backward from h₂(T) = 2A (in τ = T − t).</summary>
    public double[] H2ByRungeKutta(int steps)
    {
        var path = RungeKutta.FourthOrder(
            Vector<double>.Build.Dense([2 * A]), 0, T, steps + 1,
            (tau, g) => Vector<double>.Build.Dense([((R * R) - (g[0] * g[0])) / (2 * Kappa)]));
        return [.. Enumerable.Range(0, steps + 1).Select(k => path[steps - k][0])];
    }

    /// <summary>
    /// (t, E(t), μ(t), h₁(t)) on t_k = kT/steps: the two-point problem solved by shooting on s = h₁(0) (h₁(T) is affine
    /// in s), each integration RK4 with h₂ from <see cref="H2Exact"/>.
    /// </summary>
    public (double[] Time, double[] MeanInventory, double[] MeanRate, double[] H1) Solve(int steps)
    {
        Vector<double>[] Integrate(double s) => RungeKutta.FourthOrder(
            Vector<double>.Build.Dense([E0, s]), 0, T, steps + 1,
            (t, y) =>
            {
                double h2 = H2Exact(t);
                double mu = -(y[1] + (h2 * y[0])) / (2 * Kappa);
                return Vector<double>.Build.Dense([mu, (y[1] * h2 / (2 * Kappa)) + (Alpha * mu)]);
            });

        var zero = Integrate(0);
        var one = Integrate(1);
        double a = zero[steps][1], b = one[steps][1] - a;
        var path = Integrate(-a / b);
        var time = Enumerable.Range(0, steps + 1).Select(k => T * k / steps).ToArray();
        var mean = path.Select(y => y[0]).ToArray();
        var h1 = path.Select(y => y[1]).ToArray();
        var rate = time.Select((t, k) => -(h1[k] + (H2Exact(t) * mean[k])) / (2 * Kappa)).ToArray();
        return (time, mean, rate, h1);
    }
}
