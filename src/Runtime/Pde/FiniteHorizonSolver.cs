using System.Globalization;
using MeanField.Pde;

namespace MeanField;

/// <summary>
/// Solves the discrete finite-horizon mean-field game of <typeparamref name="TGame"/> on a periodic grid over [0, T]
/// (specs/mfg.md §2.5): implicit Euler, the HJB equation backward from U^{N_t} = g(x, M^{N_t}), the Fokker–Planck
/// equation forward from M^0 = m₀, the FP step the adjoint of the linearised HJB step (Achdou–Capuzzo-Dolcetta 2010).
/// Newton on the whole space–time system from U = 0, M^k = m₀, with the line search of the ergodic solver; each step
/// is one banded LU of the time-blocked, folded ordering (half-bandwidth ≈ 2n: the cost is O(N_t n³) in 1-D, so this
/// suits moderate grids). A 1-D game with a mean control (<see cref="IGameModel{TSelf}.HasMeanControl"/>, as crowd
/// trading, specs/mfg.md §5.3) adds the N_t mean controls μ^k to the Newton unknowns, bordered onto the band LU by a
/// dense N_t × N_t Schur complement (N_t more band solves per Newton step).
/// </summary>
/// <typeparam name="TGame">The game: its <see cref="IGameModel{TSelf}.InitialDensity"/>,
/// <see cref="IGameModel{TSelf}.TerminalCost"/> and <see cref="IGameModel{TSelf}.TerminalCostDerivative"/> are used.</typeparam>
public sealed class FiniteHorizonSolver<TGame> where TGame : struct, IGameModel<TGame>
{
    /// <summary>The most unknowns, 2n·N_t (2²⁴): the band LU holds about 3·2n values per unknown.</summary>
    public const int MaxUnknowns = 1 << 24;

    private readonly double[] _initialDensity;

    /// <summary>A solver for <typeparamref name="TGame"/> on <paramref name="grid"/> over [0, <paramref name="horizon"/>].</summary>
    /// <param name="grid">The grid; its dimension must be the game's; m₀ at its nodes must be a density (positive,
    /// finite, h^dΣm₀ within 1 % of 1; it is then scaled to mass 1 exactly).</param>
    /// <param name="horizon">T &gt; 0, finite.</param>
    /// <param name="timeSteps">N_t ≥ 1 implicit Euler steps; 2·n·N_t ≤ <see cref="MaxUnknowns"/>.</param>
    /// <param name="options">Newton's settings (null: the defaults).</param>
    public FiniteHorizonSolver(PeriodicGrid grid, double horizon, int timeSteps, NewtonOptions? options)
    {
        CheckArguments(grid, horizon, timeSteps);
        if (2L * grid.NodeCount * timeSteps > MaxUnknowns)
        {
            throw new ArgumentOutOfRangeException(nameof(timeSteps), timeSteps, string.Create(CultureInfo.InvariantCulture, $"2·n·timeSteps = {2L * grid.NodeCount * timeSteps} unknowns exceeds {MaxUnknowns}."));
        }

        Grid = grid;
        Horizon = horizon;
        TimeSteps = timeSteps;
        Options = options ?? new NewtonOptions();
        _initialDensity = InitialDensity(grid);
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>T.</summary>
    public double Horizon { get; }

    /// <summary>N_t.</summary>
    public int TimeSteps { get; }

    /// <summary>Newton's settings.</summary>
    public NewtonOptions Options { get; }

    /// <summary>Runs Newton on the space–time system until ‖R‖_∞ ≤ Tolerance or the update ≤ StepTolerance.</summary>
    /// <returns>U and M at every time level, with the Newton history.</returns>
    /// <exception cref="NewtonConvergenceException">Newton stopped without converging; the exception holds the last iterate.</exception>
    public FiniteHorizonSolution Solve()
    {
        int n = Grid.NodeCount, steps = TimeSteps;
        var problem = new Problem(Grid, Horizon, steps, _initialDensity);
        var x = new double[problem.Size];
        for (int k = 0; k < steps; k++)
        {
            for (int g = 0; g < n; g++)
            {
                x[(2 * n * k) + (2 * g) + 1] = _initialDensity[g];
            }
        }

        var history = new List<double>(Options.MaxIterations + 1);
        var stepLengths = new List<double>(Options.MaxIterations);
        string? failure = NewtonMethod.Run(problem, x, Options, history, stepLengths);
        FiniteHorizonSolution result = Result(x, history, stepLengths, failure is null);
        return failure is null
            ? result
            : throw new NewtonConvergenceException(string.Create(CultureInfo.InvariantCulture, $"FiniteHorizonSolver<{typeof(TGame).Name}> on {Grid}, T = {Horizon}, {TimeSteps} steps: {failure}. LastIterate holds the last accepted iterate."), result);
    }

    private FiniteHorizonSolution Result(double[] x, List<double> history, List<double> stepLengths, bool converged)
    {
        int n = Grid.NodeCount, steps = TimeSteps, d = Grid.Dimension;
        double[]? meanControl = TGame.HasMeanControl ? x[(2 * n * steps)..] : null;
        var u = new double[(steps + 1) * n];
        var m = new double[(steps + 1) * n];
        _initialDensity.CopyTo(m, 0);
        for (int k = 0; k < steps; k++)
        {
            for (int g = 0; g < n; g++)
            {
                u[(k * n) + g] = x[(2 * n * k) + (2 * g)];
                m[((k + 1) * n) + g] = x[(2 * n * k) + (2 * g) + 1];
            }
        }

        Span<double> position = stackalloc double[2];
        for (int g = 0; g < n; g++)
        {
            Grid.PositionUnchecked(g, position);
            u[(steps * n) + g] = TGame.TerminalCost(position[..d], m[(steps * n) + g]);
        }

        return new FiniteHorizonSolution(Grid, Horizon, steps, u, m, meanControl, history.ToArray(), stepLengths.ToArray(), converged);
    }

    /// <summary>The checks both finite-horizon solvers make: the game on the grid, T and N_t.</summary>
    internal static void CheckArguments(PeriodicGrid grid, double horizon, int timeSteps)
    {
        GameChecks.Check<TGame>(grid, allowMeanControl: true);
        if (!(horizon > 0) || !double.IsFinite(horizon))
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, string.Create(CultureInfo.InvariantCulture, $"horizon must be finite and > 0; got {horizon}."));
        }

        if (timeSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(timeSteps), timeSteps, string.Create(CultureInfo.InvariantCulture, $"timeSteps must be ≥ 1; got {timeSteps}."));
        }
    }

    /// <summary>m₀ at the nodes, checked to be a density (within 1 %) and scaled to mass 1.</summary>
    internal static double[] InitialDensity(PeriodicGrid grid)
    {
        int n = grid.NodeCount, d = grid.Dimension;
        var m0 = new double[n];
        Span<double> position = stackalloc double[2];
        double mass = 0;
        for (int g = 0; g < n; g++)
        {
            grid.PositionUnchecked(g, position);
            double v = TGame.InitialDensity(position[..d]);
            if (!(v > 0) || !double.IsFinite(v))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TGame).Name}.InitialDensity is {v} at node {g} (x = {position[0]}{(d == 2 ? ", " + position[1].ToString(CultureInfo.InvariantCulture) : "")}); m₀ must be finite and > 0."), nameof(grid));
            }

            m0[g] = v;
            mass += v;
        }

        mass *= grid.CellVolume;
        if (Math.Abs(mass - 1) > 0.01)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TGame).Name}.InitialDensity is not a density on {grid}: h^dΣm₀ = {mass}, expected 1 (within 1 %)."), nameof(grid));
        }

        for (int g = 0; g < n; g++)
        {
            m0[g] /= mass;
        }

        return m0;
    }

    private sealed class Problem : INewtonProblem
    {
        private readonly FiniteHorizonSystem<TGame> _system;
        private readonly PermutedBandSolver _linear;
        private readonly BandedLu _schur = new();
        private readonly double[] _column = [];
        private readonly double[] _border = [];
        private readonly int _n;
        private readonly int _steps;

        public Problem(PeriodicGrid grid, double horizon, int steps, double[] initialDensity)
        {
            _system = new FiniteHorizonSystem<TGame>(grid, horizon, steps, initialDensity);
            int n = grid.NodeCount;
            _n = n;
            _steps = steps;
            int[] position = FoldedOrdering.Positions(grid);
            var bandIndex = new int[_system.CoreSize];
            for (int k = 0; k < steps; k++)
            {
                for (int g = 0; g < n; g++)
                {
                    bandIndex[(2 * n * k) + (2 * g)] = (2 * n * k) + (2 * position[g]);
                    bandIndex[(2 * n * k) + (2 * g) + 1] = (2 * n * k) + (2 * position[g]) + 1;
                }
            }

            _linear = new PermutedBandSolver(bandIndex);
            if (_system.MeanControl)
            {
                _column = new double[_system.CoreSize];
                _border = new double[steps];
            }
        }

        public int Size => _system.Size;

        public void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian) => _system.Assemble(x, residual, withJacobian);

        /// <summary>
        /// Factors the core block A (band LU) and, with mean controls, the Schur complement S = I − C A⁻¹B of the border
        /// (B: the μ columns, c at the HJB rows of each block; C: the MC rows; specs/mfg.md §5.3): N_t solves with A,
        /// S dense N_t × N_t (a full-band LU).
        /// </summary>
        public bool Factor()
        {
            if (!_linear.Factor(_system.Jacobian))
            {
                return false;
            }

            if (!_system.MeanControl)
            {
                return true;
            }

            int steps = _steps, block = 2 * _n;
            _schur.Reset(steps, steps - 1, steps - 1);
            for (int k = 0; k < steps; k++)
            {
                Array.Clear(_column);
                for (int g = 0; g < _n; g++)
                {
                    _column[(block * k) + (2 * g)] = _system.Coupling[g];
                }

                _linear.Solve(_column, _column);
                for (int j = 0; j < steps; j++)
                {
                    _schur.Add(j, k, (j == k ? 1 : 0) - Dot(j, _column));
                }
            }

            return _schur.Factor();
        }

        /// <summary>
        /// J δ = r: with mean controls, A y + B z = r₁, C y + z = r₂ give z = S⁻¹(r₂ − C A⁻¹r₁), y = A⁻¹(r₁ − B z).
        /// </summary>
        public void Solve(ReadOnlySpan<double> rhs, Span<double> delta)
        {
            int core = _system.CoreSize;
            if (!_system.MeanControl)
            {
                _linear.Solve(rhs, delta);
                return;
            }

            int block = 2 * _n;
            _linear.Solve(rhs[..core], _column);
            for (int j = 0; j < _steps; j++)
            {
                _border[j] = rhs[core + j] - Dot(j, _column);
            }

            _schur.Solve(_border);
            rhs[..core].CopyTo(_column);
            for (int k = 0; k < _steps; k++)
            {
                for (int g = 0; g < _n; g++)
                {
                    _column[(block * k) + (2 * g)] -= _system.Coupling[g] * _border[k];
                }
            }

            _linear.Solve(_column, delta[..core]);
            _border.CopyTo(delta[core..]);
        }

        /// <summary>(C y)_j: the MC^j row (block j's entries) times y.</summary>
        private double Dot(int j, ReadOnlySpan<double> y)
        {
            int block = 2 * _n;
            ReadOnlySpan<double> row = _system.MeanRows.AsSpan(block * j, block);
            ReadOnlySpan<double> part = y.Slice(block * j, block);
            double sum = 0;
            for (int i = 0; i < block; i++)
            {
                sum += row[i] * part[i];
            }

            return sum;
        }

        public bool IsAdmissible(ReadOnlySpan<double> x)
        {
            for (int i = 1; i < _system.CoreSize; i += 2)
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
