using System.Globalization;
using MeanField.Pde;

namespace MeanField;

/// <summary>
/// Solves the discrete ergodic mean-field game of <typeparamref name="TGame"/> on a periodic grid (specs/mfg.md):
/// −νΔ_hU + Ĥ(x, D⁻U, D⁺U, M) + Λ = 0, FP = (∂HJB/∂U)ᵀM = 0, h^dΣM = 1, ΣU = 0, by Newton's method on the whole
/// system from U = 0, M = 1, Λ = 0, with a backtracking line search that keeps M &gt; 0 and decreases ‖R‖_∞.
/// Each Newton step is one banded LU (folded ordering, bordered for Λ and the constraints; see specs/mfg.md §3.1).
/// </summary>
/// <remarks>
/// The solver holds no state between calls: <see cref="Solve"/> allocates its buffers once per call (O(n·bandwidth))
/// and the Newton loop allocates nothing more, so concurrent calls on one solver are safe.
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class ErgodicSolver<TGame> where TGame : struct, IGameModel<TGame>
{
    private const int MaxHalvings = 60;

    /// <summary>A solver for <typeparamref name="TGame"/> on <paramref name="grid"/>.</summary>
    /// <param name="grid">The grid; its dimension must be the game's.</param>
    /// <param name="options">Newton's settings (null: the defaults).</param>
    public ErgodicSolver(PeriodicGrid grid, ErgodicOptions? options)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int d = TGame.Dimension;
        if (d is not (1 or 2))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TGame).Name}.Dimension is {d}; the PDE solvers support 1 and 2."), nameof(grid));
        }

        if (grid.Dimension != d)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"grid has dimension {grid.Dimension}; {typeof(TGame).Name} has dimension {d}."), nameof(grid));
        }

        double nu = TGame.Viscosity;
        if (!(nu > 0) || !double.IsFinite(nu))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TGame).Name}.Viscosity is {nu}; it must be finite and > 0."), nameof(grid));
        }

        Grid = grid;
        Options = options ?? new ErgodicOptions();
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>Newton's settings.</summary>
    public ErgodicOptions Options { get; }

    /// <summary>
    /// Runs Newton from U = 0, M = 1, Λ = 0 until ‖R‖_∞ ≤ <see cref="ErgodicOptions.Tolerance"/> or the accepted update
    /// ‖sδ‖_∞ ≤ <see cref="ErgodicOptions.StepTolerance"/>.
    /// </summary>
    /// <returns>The solution with its Newton history.</returns>
    /// <exception cref="NewtonConvergenceException">Newton stopped without converging; the exception holds the last iterate.</exception>
    public ErgodicSolution Solve()
    {
        var system = new ErgodicSystem<TGame>(Grid);
        var linear = new BorderedBandSolver(Grid, system.ReplacedNode);
        int size = system.Size, n = Grid.NodeCount;
        var x = new double[size];
        var trial = new double[size];
        var residual = new double[size];
        var trialResidual = new double[size];
        var rhs = new double[size];
        var delta = new double[size];
        for (int g = 0; g < n; g++)
        {
            x[(2 * g) + 1] = 1;
        }

        var history = new List<double>(Options.MaxIterations + 1);
        var steps = new List<double>(Options.MaxIterations);
        system.Assemble(x, residual, withJacobian: true);
        double norm = MaxAbs(residual);
        history.Add(norm);
        if (!double.IsFinite(norm))
        {
            throw Failure($"the residual at the initial guess (U = 0, M = 1, Λ = 0) is {norm}: {typeof(TGame).Name}'s Hamiltonian is not finite there", x, history, steps);
        }

        for (int iteration = 1; ; iteration++)
        {
            if (norm <= Options.Tolerance)
            {
                return Result(x, history, steps, converged: true);
            }

            if (iteration > Options.MaxIterations)
            {
                throw Failure($"no convergence in {Options.MaxIterations} iterations (‖R‖_∞ = {norm:G3}, Tolerance {Options.Tolerance:G3})", x, history, steps);
            }

            if (!linear.Factor(system.Jacobian))
            {
                throw Failure($"the Jacobian is singular at iteration {iteration}", x, history, steps);
            }

            for (int i = 0; i < size; i++)
            {
                rhs[i] = -residual[i];
            }

            linear.Solve(system.Jacobian, rhs, delta);
            double s = 1, trialNorm = double.NaN;
            bool accepted = false;
            for (int halving = 0; halving <= MaxHalvings; halving++, s *= 0.5)
            {
                bool positive = true;
                for (int i = 0; i < size; i++)
                {
                    trial[i] = x[i] + (s * delta[i]);
                }

                for (int g = 0; g < n && positive; g++)
                {
                    positive = trial[(2 * g) + 1] > 0;
                }

                if (!positive)
                {
                    continue;
                }

                system.Assemble(trial, trialResidual, withJacobian: false);
                trialNorm = MaxAbs(trialResidual);
                if (trialNorm < (1 - (1e-4 * s)) * norm)
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                throw Failure($"the line search found no step that keeps M > 0 and decreases ‖R‖_∞ at iteration {iteration} (‖R‖_∞ = {norm:G3})", x, history, steps);
            }

            double update = s * MaxAbs(delta);
            (x, trial) = (trial, x);
            system.Assemble(x, residual, withJacobian: true);
            norm = MaxAbs(residual);
            history.Add(norm);
            steps.Add(s);
            Options.Progress?.Report(new NewtonProgress(iteration, norm, s));
            if (update <= Options.StepTolerance)
            {
                return Result(x, history, steps, converged: true);
            }
        }
    }

    private ErgodicSolution Result(double[] x, List<double> history, List<double> steps, bool converged)
    {
        int n = Grid.NodeCount;
        var u = new double[n];
        var m = new double[n];
        for (int g = 0; g < n; g++)
        {
            u[g] = x[2 * g];
            m[g] = x[(2 * g) + 1];
        }

        return new ErgodicSolution(Grid, u, m, x[2 * n], history.ToArray(), steps.ToArray(), converged);
    }

    private NewtonConvergenceException Failure(string why, double[] x, List<double> history, List<double> steps) =>
        new(string.Create(CultureInfo.InvariantCulture, $"ErgodicSolver<{typeof(TGame).Name}> on {Grid}: {why}. LastIterate holds the last accepted iterate."), Result(x, history, steps, converged: false));

    /// <summary>max |v_i|; NaN if any value is NaN (so a NaN residual never passes a comparison).</summary>
    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values)
        {
            double a = Math.Abs(v);
            if (double.IsNaN(a))
            {
                return double.NaN;
            }

            max = Math.Max(max, a);
        }

        return max;
    }
}
