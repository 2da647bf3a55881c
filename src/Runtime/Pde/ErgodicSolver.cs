using System.Globalization;
using MeanField.Pde;

namespace MeanField;

/// <summary>
/// Solves the discrete ergodic mean-field game of <typeparamref name="TGame"/> on a periodic grid (specs/mfg.md):
/// −νΔ_hU + Ĥ(x, D⁻U, D⁺U, M) + Λ = 0, FP = (∂HJB/∂U)ᵀM = 0, h^dΣM = 1, ΣU = 0, by Newton's method on the whole
/// system from U = 0, M = 1, Λ = 0, with a backtracking line search that keeps M &gt; 0 and decreases ‖R‖_∞.
/// Each Newton step is one factorisation of the 2n × 2n block (a folded band LU, or for 2-D grids from 16 × 16 nodes a
/// nested-dissection sparse LU), bordered for Λ and the constraints; see specs/mfg.md §3.1.
/// </summary>
/// <remarks>
/// The solver holds no state between calls: <see cref="Solve"/> allocates its buffers once per call (O(n·bandwidth)
/// for the band LU, the factors and fronts of the sparse LU: ≈ 330 MB at 256 × 256) and the Newton loop allocates
/// nothing more, so concurrent calls on one solver are safe. A game whose Ĥ does not depend on m makes Newton's block
/// singular; it is solved decoupled instead (HJB, then the linear FP; specs/mfg.md §3.1).
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class ErgodicSolver<TGame> where TGame : struct, IGameModel<TGame>
{
    /// <summary>A solver for <typeparamref name="TGame"/> on <paramref name="grid"/>.</summary>
    /// <param name="grid">The grid; its dimension must be the game's.</param>
    /// <param name="options">Newton's settings (null: the defaults).</param>
    public ErgodicSolver(PeriodicGrid grid, NewtonOptions? options)
    {
        GameChecks.Check<TGame>(grid);
        Grid = grid;
        Options = options ?? new NewtonOptions();
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>Newton's settings.</summary>
    public NewtonOptions Options { get; }

    /// <summary>The factorisation of the Newton step's 2n × 2n block (specs/mfg.md §3.1); tests and benchmarks pin one.</summary>
    internal BlockSolver LinearSolver { get; init; }

    /// <summary>
    /// Runs Newton from U = 0, M = 1, Λ = 0 until ‖R‖_∞ ≤ <see cref="NewtonOptions.Tolerance"/> or the accepted update
    /// ‖sδ‖_∞ ≤ <see cref="NewtonOptions.StepTolerance"/>.
    /// </summary>
    /// <returns>The solution with its Newton history.</returns>
    /// <exception cref="NewtonConvergenceException">Newton stopped without converging; the exception holds the last iterate.</exception>
    public ErgodicSolution Solve()
    {
        var problem = new Problem(Grid, LinearSolver);
        int n = Grid.NodeCount;
        var x = new double[problem.Size];
        for (int g = 0; g < n; g++)
        {
            x[(2 * g) + 1] = 1;
        }

        var history = new List<double>(Options.MaxIterations + 1);
        var steps = new List<double>(Options.MaxIterations);
        string? failure;
        try
        {
            failure = NewtonMethod.Run(problem, x, Options, history, steps);
        }
        finally
        {
            problem.Release(); // the band storage back to the pool
        }

        if (failure is not null && steps.Count == 0 && problem.IsUncoupled(x))
        {
            return Uncoupled(failure);
        }

        ErgodicSolution result = ErgodicSolution.FromInterleaved(Grid, x, history, steps, converged: failure is null);
        return failure is null
            ? result
            : throw new NewtonConvergenceException(string.Create(CultureInfo.InvariantCulture, $"ErgodicSolver<{typeof(TGame).Name}> on {Grid}: {failure}. LastIterate holds the last accepted iterate."), result);
    }

    /// <summary>
    /// A game without coupling (∂Ĥ/∂m ≡ 0 at the initial guess, and Newton's first factorisation singular): the HJB rows
    /// do not see M, so the bordered block's M columns keep the Fokker–Planck operator's null space and the block is
    /// singular (specs/mfg.md §3.1). The system decouples instead: U and Λ from the HJB rows, then M from the linear FP
    /// rows. That is one iteration of <see cref="FictitiousPlaySolver{TGame}"/> with θ = 1, whose result is returned
    /// (its <see cref="NewtonSolution.StepLengths"/> hold the averaging weight, 1).
    /// </summary>
    private ErgodicSolution Uncoupled(string newtonFailure)
    {
        var options = new FictitiousPlayOptions { Damping = 1, Tolerance = Options.Tolerance, MaxIterations = 3, Progress = null };
        try
        {
            return new FictitiousPlaySolver<TGame>(Grid, options).Solve();
        }
        catch (FictitiousPlayConvergenceException e)
        {
            throw new NewtonConvergenceException(string.Create(CultureInfo.InvariantCulture, $"ErgodicSolver<{typeof(TGame).Name}> on {Grid}: {newtonFailure}; Ĥ does not depend on m, and the decoupled solve failed too: {e.Message} LastIterate holds its last iterate."), e.LastIterate!);
        }
    }

    private sealed class Problem(PeriodicGrid grid, BlockSolver choice) : INewtonProblem
    {
        private readonly ErgodicSystem<TGame> _system = new(grid);
        private readonly BorderedSolver _linear = BorderedSolver.For(grid, grid.NodeCount - 1, choice);

        public int Size => _system.Size;

        public void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian) => _system.Assemble(x, residual, withJacobian);

        public bool Factor() => _linear.Factor(_system.Jacobian);

        public void Solve(ReadOnlySpan<double> rhs, Span<double> delta) => _linear.Solve(_system.Jacobian, rhs, delta);

        public void Release() => _linear.Release();

        /// <summary>Whether ∂Ĥ/∂m = 0 at every node of <paramref name="x"/>.</summary>
        public bool IsUncoupled(double[] x)
        {
            var stencil = new UpwindStencil<TGame>(grid);
            ReadOnlySpan<double> um = x.AsSpan(0, 2 * grid.NodeCount);
            for (int o = 0; o < grid.NodeCount; o++)
            {
                stencil.Evaluate(o, um, um[(2 * o) + 1], false, out _, out _);
                if (stencil.Gradient[2 * grid.Dimension] != 0)
                {
                    return false;
                }
            }

            return true;
        }

        public bool IsAdmissible(ReadOnlySpan<double> x)
        {
            for (int i = 1; i < x.Length - 1; i += 2)
            {
                if (!(x[i] > 0))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>The checks every PDE solver makes of a game and a grid (ArgumentException naming the grid and the value).</summary>
internal static class GameChecks
{
    public static void Check<TGame>(PeriodicGrid grid, bool allowMeanControl = false)
        where TGame : struct, IGameModel<TGame>
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

        if (TGame.HasMeanControl && !(allowMeanControl && d == 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TGame).Name} has a mean control (its H reads the population's mean velocity μ); {(allowMeanControl ? "the solver supports it in 1-D only" : "only the finite-horizon solvers (FiniteHorizonSolver<TGame>, FiniteHorizonFictitiousPlaySolver<TGame>) solve such a game: the ergodic ones have no time for μ(t) to depend on")}."), nameof(grid));
        }
    }
}
