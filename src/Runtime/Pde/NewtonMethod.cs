using System.Globalization;

namespace MeanField.Pde;

/// <summary>A discrete PDE system Newton's method can solve: residual, Jacobian, a linear solve, admissibility (M &gt; 0).</summary>
internal interface INewtonProblem
{
    /// <summary>Unknowns and equations.</summary>
    int Size { get; }

    /// <summary>R(x); with <paramref name="withJacobian"/>, also the Jacobian at x (kept for <see cref="Factor"/>).</summary>
    void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian);

    /// <summary>Factors the last assembled Jacobian; false when it is singular to working precision.</summary>
    bool Factor();

    /// <summary>Solves J δ = rhs with the last factorisation.</summary>
    void Solve(ReadOnlySpan<double> rhs, Span<double> delta);

    /// <summary>Whether x is admissible (every density value &gt; 0).</summary>
    bool IsAdmissible(ReadOnlySpan<double> x);
}

/// <summary>
/// Newton's method with a backtracking (Armijo) line search shared by the PDE solvers (specs/mfg.md §3): s = 1, ½, ¼, …
/// until x + sδ is admissible and ‖R(x + sδ)‖_∞ &lt; (1 − 10⁻⁴ s)‖R(x)‖_∞. Stops when ‖R‖_∞ ≤ Tolerance or an accepted
/// update has ‖sδ‖_∞ ≤ StepTolerance. Buffers are allocated once per run; the iterations allocate nothing.
/// </summary>
internal static class NewtonMethod
{
    private const int MaxHalvings = 60;

    /// <summary>Runs Newton from <paramref name="x"/> (overwritten with the last accepted iterate).</summary>
    /// <returns>Null when converged, else why it stopped.</returns>
    public static string? Run(INewtonProblem problem, double[] x, NewtonOptions options, List<double> history, List<double> steps)
    {
        int size = problem.Size;
        var trial = new double[size];
        var residual = new double[size];
        double[] trialResidual = new double[size];
        var rhs = new double[size];
        var delta = new double[size];
        problem.Assemble(x, residual, withJacobian: true);
        double norm = MaxAbs(residual);
        history.Add(norm);
        if (!double.IsFinite(norm))
        {
            return string.Create(CultureInfo.InvariantCulture, $"the residual at the initial guess is {norm}: the Hamiltonian or the data are not finite there");
        }

        for (int iteration = 1; ; iteration++)
        {
            if (norm <= options.Tolerance)
            {
                return null;
            }

            if (iteration > options.MaxIterations)
            {
                return string.Create(CultureInfo.InvariantCulture, $"no convergence in {options.MaxIterations} iterations (‖R‖_∞ = {norm:G3}, Tolerance {options.Tolerance:G3})");
            }

            if (!problem.Factor())
            {
                return string.Create(CultureInfo.InvariantCulture, $"the Jacobian is singular at iteration {iteration}");
            }

            for (int i = 0; i < size; i++)
            {
                rhs[i] = -residual[i];
            }

            problem.Solve(rhs, delta);
            double s = 1;
            bool accepted = false;
            if (MaxAbs(delta) <= options.StepTolerance)
            {
                // The full correction is below the step tolerance: the iterate no longer changes, and ‖R‖_∞ sits on its
                // rounding floor (ν/h² times the rounding of U), where no step can decrease it, so the line search would
                // only reject it 60 times. Take it and stop as converged.
                for (int i = 0; i < size; i++)
                {
                    trial[i] = x[i] + delta[i];
                }

                if (problem.IsAdmissible(trial))
                {
                    problem.Assemble(trial, trialResidual, withJacobian: true);
                    trial.CopyTo(x, 0);
                    (residual, trialResidual) = (trialResidual, residual);
                    norm = MaxAbs(residual);
                    history.Add(norm);
                    steps.Add(1);
                    options.Progress?.Report(new NewtonProgress(iteration, norm, 1));
                    return null;
                }
            }

            for (int halving = 0; halving <= MaxHalvings; halving++, s *= 0.5)
            {
                for (int i = 0; i < size; i++)
                {
                    trial[i] = x[i] + (s * delta[i]);
                }

                if (!problem.IsAdmissible(trial))
                {
                    continue;
                }

                // With the Jacobian: the accepted trial point is the next iterate, whose R and J are then already
                // assembled (J is no longer needed once δ is solved for). Assembling R alone here and R with J again
                // at the accepted point cost one extra assembly per step; a rejected trial (only in the first, damped
                // steps) now costs a Jacobian it does not use, which is cheaper on balance.
                problem.Assemble(trial, trialResidual, withJacobian: true);
                if (MaxAbs(trialResidual) < (1 - (1e-4 * s)) * norm)
                {
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the line search found no step that keeps M > 0 and decreases ‖R‖_∞ at iteration {iteration} (‖R‖_∞ = {norm:G3})");
            }

            double update = s * MaxAbs(delta);
            trial.CopyTo(x, 0);
            (residual, trialResidual) = (trialResidual, residual);
            norm = MaxAbs(residual);
            history.Add(norm);
            steps.Add(s);
            options.Progress?.Report(new NewtonProgress(iteration, norm, s));
            if (update <= options.StepTolerance)
            {
                return null;
            }
        }
    }

    /// <summary>max |v_i|; NaN if any value is NaN (so a NaN residual never passes a comparison).</summary>
    public static double MaxAbs(ReadOnlySpan<double> values)
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
