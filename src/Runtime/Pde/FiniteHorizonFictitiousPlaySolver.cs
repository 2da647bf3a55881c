using System.Globalization;
using MeanField.Pde;

namespace MeanField;

/// <summary>
/// Solves the discrete finite-horizon mean-field game of <typeparamref name="TGame"/> (the system of
/// <see cref="FiniteHorizonSolver{TGame}"/>, specs/mfg.md §2.5) by the decoupled iteration of specs/mfg.md §11.2 instead
/// of Newton on the space–time system: given the averaged densities M̄^1 … M̄^{N_t} (and mean controls μ̄^k, for a game
/// that has them), (1) the best response, backward in time: U^{N_t} = g(x, M̄^{N_t}), then for k = N_t − 1 … 0 Newton on
/// the n HJB rows of step k, (U^k − U^{k+1})/Δt − νΔ_hU^k + Ĥ(x, D^±U^k, M̄^{k+1}) + μ̄^k c(x) = 0, from U^{k+1};
/// (2) its densities, forward: M^0 = m₀ and (M^{k+1} − M^k)/Δt + (∂HJB^k/∂U^k without 1/Δt)ᵀM^{k+1} = 0 with the
/// weights at (U^k, M̄^{k+1}), linear (the adjoint the full system uses: mass is conserved and M stays positive), and
/// μ^k from them; (3) the average M̄ ← M̄ + θ(M − M̄), μ̄ likewise, θ = 1/(j + 1) (fictitious play) or the fixed
/// <see cref="FictitiousPlayOptions.Damping"/>.
/// </summary>
/// <remarks>
/// <para>Why: each iteration costs N_t sparse n × n solves (band LUs in the folded ordering, §3.1; O(n) each in 1-D),
/// where Newton's space–time band LU costs O(N_t n³) in 1-D; so long horizons and fine 1-D grids, which Newton cannot
/// factor, are in reach, at the price of the fixed point's linear (damped) or O(1/j) (fictitious play) convergence.</para>
/// <para>The history is the full space–time system's ‖R‖_∞ at (U_j, M̄_j, μ̄_j), U_j the best response to M̄_j (index 0
/// after the first best response, then one per iteration); <see cref="NewtonSolution.StepLengths"/> holds the averaging
/// weights. Every iteration checks M &gt; 0 and the mass of every level (10⁻¹⁰).</para>
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class FiniteHorizonFictitiousPlaySolver<TGame> where TGame : struct, IGameModel<TGame>
{
    private readonly double[] _initialDensity;

    /// <summary>A solver for <typeparamref name="TGame"/> on <paramref name="grid"/> over [0, <paramref name="horizon"/>].</summary>
    /// <param name="grid">The grid; as for <see cref="FiniteHorizonSolver{TGame}"/>.</param>
    /// <param name="horizon">T &gt; 0, finite.</param>
    /// <param name="timeSteps">N_t ≥ 1 implicit Euler steps; n·N_t ≤ <see cref="MaxValues"/>.</param>
    /// <param name="options">The settings (null: the defaults, fictitious play).</param>
    public FiniteHorizonFictitiousPlaySolver(PeriodicGrid grid, double horizon, int timeSteps, FictitiousPlayOptions? options)
    {
        FiniteHorizonSolver<TGame>.CheckArguments(grid, horizon, timeSteps);
        if ((long)grid.NodeCount * (timeSteps + 1) > MaxValues)
        {
            throw new ArgumentOutOfRangeException(nameof(timeSteps), timeSteps, string.Create(CultureInfo.InvariantCulture, $"n·(timeSteps + 1) = {(long)grid.NodeCount * (timeSteps + 1)} values per grid function exceeds {MaxValues}."));
        }

        Grid = grid;
        Horizon = horizon;
        TimeSteps = timeSteps;
        Options = options ?? new FictitiousPlayOptions();
        _initialDensity = FiniteHorizonSolver<TGame>.InitialDensity(grid);
    }

    /// <summary>The most values of one space–time grid function, n·(N_t + 1) (2²⁷; the solver holds about five).</summary>
    public const int MaxValues = 1 << 27;

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>T.</summary>
    public double Horizon { get; }

    /// <summary>N_t.</summary>
    public int TimeSteps { get; }

    /// <summary>The settings.</summary>
    public FictitiousPlayOptions Options { get; }

    /// <summary>Iterates from M̄^k = m₀, μ̄ = 0 until the space–time system's ‖R‖_∞ ≤ <see cref="FictitiousPlayOptions.Tolerance"/>.</summary>
    /// <returns>U and M̄ at every time level (and μ̄), with the residual history.</returns>
    /// <exception cref="FictitiousPlayConvergenceException">The iteration stopped without converging; the exception holds the last iterate.</exception>
    public FiniteHorizonSolution Solve()
    {
        var work = new Workspace(Grid, Horizon, TimeSteps, _initialDensity, Options);
        var history = new List<double>(Math.Min(Options.MaxIterations, 100_000) + 1);
        var weights = new List<double>(Math.Min(Options.MaxIterations, 100_000));
        string? failure = work.Run(history, weights);
        FiniteHorizonSolution result = work.Result(history, weights, converged: failure is null);
        return failure is null
            ? result
            : throw new FictitiousPlayConvergenceException(string.Create(CultureInfo.InvariantCulture, $"FiniteHorizonFictitiousPlaySolver<{typeof(TGame).Name}> on {Grid}, T = {Horizon}, {TimeSteps} steps: {failure}. LastIterate holds the last iterate."), result);
    }

    /// <summary>
    /// One solve's buffers. X is the space–time system's layout (block k: U^k_g at 2nk + 2g, M̄^{k+1}_g at 2nk + 2g + 1;
    /// μ̄^k after the 2n·N_t), so the system's residual reads it as it is.
    /// </summary>
    private sealed class Workspace
    {
        private const int MaxHalvings = 60;
        private readonly FictitiousPlayOptions _options;
        private readonly FiniteHorizonSystem<TGame> _system;
        private readonly UpwindStencil<TGame> _stencil;
        private readonly BandedLu _lu = new();
        private readonly PeriodicGrid _grid;
        private readonly int[] _position;
        private readonly int _n;
        private readonly int _steps;
        private readonly int _band;
        private readonly double _dt;
        private readonly double[] _m0;
        private readonly double[] _x;
        private readonly double[] _residual;   // the space–time system's
        private readonly double[] _density;    // the FP sweep's M^1 … M^{N_t}, time-major
        private readonly double[] _meanControl; // its μ^k
        private readonly double[] _drift;      // ∂Ĥ/∂p⁻ + ∂Ĥ/∂p⁺ per node of the current FP step (mean control only)
        private readonly double[] _next;       // U^{k+1}, n
        private readonly double[] _rows;       // one step's HJB rows, n
        private readonly double[] _trial;      // one block, 2n
        private readonly double[] _z;          // band order, n
        private readonly double[] _positions;  // n × d

        public Workspace(PeriodicGrid grid, double horizon, int steps, double[] initialDensity, FictitiousPlayOptions options)
        {
            _options = options;
            _grid = grid;
            _system = new FiniteHorizonSystem<TGame>(grid, horizon, steps, initialDensity, withJacobian: false);
            _stencil = new UpwindStencil<TGame>(grid);
            _position = FoldedOrdering.Positions(grid);
            _n = grid.NodeCount;
            _steps = steps;
            _dt = horizon / steps;
            _m0 = initialDensity;
            for (int o = 0; o < _n; o++)
            {
                foreach (int t in _stencil.Stencil(o))
                {
                    _band = Math.Max(_band, Math.Abs(_position[o] - _position[t]));
                }
            }

            _x = new double[_system.Size];
            _residual = new double[_system.Size];
            _density = new double[_n * steps];
            _meanControl = new double[_system.MeanControl ? steps : 0];
            _drift = new double[_system.MeanControl ? _n : 0];
            _next = new double[_n];
            _rows = new double[_n];
            _trial = new double[2 * _n];
            _z = new double[_n];
            _positions = new double[_n * grid.Dimension];
            for (int g = 0; g < _n; g++)
            {
                grid.PositionUnchecked(g, _positions.AsSpan(g * grid.Dimension, grid.Dimension));
            }

            for (int k = 0; k < steps; k++)
            {
                for (int g = 0; g < _n; g++)
                {
                    _x[(2 * _n * k) + (2 * g) + 1] = initialDensity[g];
                }
            }
        }

        public string? Run(List<double> history, List<double> weights)
        {
            string? failure = BestResponse(out _);
            double norm = FullResidual();
            history.Add(norm);
            if (failure is not null)
            {
                return failure;
            }

            int n = _n, block = 2 * n, core = block * _steps;
            for (int j = 1; ; j++)
            {
                if (norm <= _options.Tolerance)
                {
                    return null;
                }

                if (j > _options.MaxIterations)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"no convergence in {_options.MaxIterations} iterations (‖R‖_∞ = {norm:G3}, Tolerance {_options.Tolerance:G3})");
                }

                failure = Densities(j);
                if (failure is not null)
                {
                    return failure;
                }

                double weight = _options.Damping ?? (1.0 / (j + 1));
                for (int k = 0; k < _steps; k++)
                {
                    double mass = 0, min = double.PositiveInfinity;
                    for (int g = 0; g < n; g++)
                    {
                        int i = (block * k) + (2 * g) + 1;
                        _x[i] += weight * (_density[(k * n) + g] - _x[i]);
                        mass += _x[i];
                        min = Math.Min(min, _x[i]);
                    }

                    mass *= _grid.CellVolume;
                    if (!(min > 0) || !(Math.Abs(mass - 1) <= 1e-10))
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"the averaged density of level {k + 1} lost positivity or mass at iteration {j} (min M̄ = {min:G3}, h^dΣM̄ = {mass:R})");
                    }

                    if (_system.MeanControl)
                    {
                        _x[core + k] += weight * (_meanControl[k] - _x[core + k]);
                    }
                }

                failure = BestResponse(out int hjbIterations);
                norm = FullResidual();
                history.Add(norm);
                weights.Add(weight);
                if (failure is not null)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"iteration {j}: {failure}");
                }

                _options.Progress?.Report(new FictitiousPlayProgress(j, norm, weight, hjbIterations));
            }
        }

        public FiniteHorizonSolution Result(List<double> history, List<double> weights, bool converged)
        {
            int n = _n, steps = _steps, d = _grid.Dimension;
            var u = new double[(steps + 1) * n];
            var m = new double[(steps + 1) * n];
            _m0.CopyTo(m, 0);
            for (int k = 0; k < steps; k++)
            {
                for (int g = 0; g < n; g++)
                {
                    u[(k * n) + g] = _x[(2 * n * k) + (2 * g)];
                    m[((k + 1) * n) + g] = _x[(2 * n * k) + (2 * g) + 1];
                }
            }

            for (int g = 0; g < n; g++)
            {
                u[(steps * n) + g] = TGame.TerminalCost(_positions.AsSpan(g * d, d), m[(steps * n) + g]);
            }

            double[]? meanControl = _system.MeanControl ? _x[(2 * n * steps)..] : null;
            return new FiniteHorizonSolution(_grid, steps * _dt, steps, u, m, meanControl, history.ToArray(), weights.ToArray(), converged);
        }

        private double FullResidual()
        {
            _system.Assemble(_x, _residual, withJacobian: false);
            return NewtonMethod.MaxAbs(_residual);
        }

        /// <summary>The best response to (M̄, μ̄): U^{N_t − 1} … U^0 by Newton on each step's HJB rows, backward.</summary>
        private string? BestResponse(out int iterations)
        {
            int n = _n, d = _grid.Dimension, block = 2 * n;
            iterations = 0;
            for (int g = 0; g < n; g++)
            {
                _next[g] = TGame.TerminalCost(_positions.AsSpan(g * d, d), _x[(block * (_steps - 1)) + (2 * g) + 1]);
            }

            for (int k = _steps - 1; k >= 0; k--)
            {
                Span<double> um = _x.AsSpan(block * k, block);
                if (k == _steps - 1)
                {
                    for (int g = 0; g < n; g++)
                    {
                        um[2 * g] = _next[g];
                    }
                }

                double mu = _system.MeanControl ? _x[(block * _steps) + k] : 0;
                string? failure = StepNewton(um, mu, k, ref iterations);
                if (failure is not null)
                {
                    return failure;
                }

                for (int g = 0; g < n; g++)
                {
                    _next[g] = um[2 * g];
                }

                if (k > 0)
                {
                    // Warm start of U^{k−1}: U^k.
                    Span<double> previous = _x.AsSpan(block * (k - 1), block);
                    for (int g = 0; g < n; g++)
                    {
                        previous[2 * g] = _next[g];
                    }
                }
            }

            return null;
        }

        /// <summary>‖·‖_∞ of step k's HJB rows at <paramref name="um"/> (U^k and M̄^{k+1} interleaved), into <see cref="_rows"/>.</summary>
        private double StepResidual(ReadOnlySpan<double> um, double mu)
        {
            UpwindStencil<TGame> stencil = _stencil;
            double nu = stencil.Viscosity, inverseDt = 1 / _dt;
            for (int o = 0; o < _n; o++)
            {
                double value = stencil.Evaluate(o, um, um[(2 * o) + 1], false, out double lapU, out _);
                _rows[o] = ((um[2 * o] - _next[o]) * inverseDt) - (nu * lapU) + value + (mu * Coupling(o));
            }

            return NewtonMethod.MaxAbs(_rows);
        }

        private double Coupling(int o) => _system.MeanControl ? _system.Coupling[o] : 0;

        private string? StepNewton(Span<double> um, double mu, int k, ref int iterations)
        {
            int n = _n;
            double norm = StepResidual(um, mu);
            for (int it = 0; ; it++, iterations++)
            {
                if (!double.IsFinite(norm))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the HJB residual of step {k} is {norm}");
                }

                if (norm <= _options.HjbTolerance)
                {
                    return null;
                }

                if (it >= _options.HjbMaxIterations)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the HJB solve of step {k} did not reach ‖HJB‖_∞ ≤ {_options.HjbTolerance:G3} in {_options.HjbMaxIterations} Newton iterations (‖HJB‖_∞ = {norm:G3})");
                }

                LoadStepMatrix(um, transpose: false);
                if (!_lu.Factor())
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the HJB Jacobian of step {k} is singular");
                }

                for (int g = 0; g < n; g++)
                {
                    _z[_position[g]] = -_rows[g];
                }

                _lu.Solve(_z);
                double update = NewtonMethod.MaxAbs(_z), max = 0;
                for (int g = 0; g < n; g++)
                {
                    max = Math.Max(max, Math.Abs(um[2 * g]));
                }

                um.CopyTo(_trial);
                bool accepted = false;
                double s = 1;
                for (int halving = 0; halving <= MaxHalvings; halving++, s *= 0.5)
                {
                    for (int g = 0; g < n; g++)
                    {
                        _trial[2 * g] = um[2 * g] + (s * _z[_position[g]]);
                    }

                    double trialNorm = StepResidual(_trial, mu);
                    if (trialNorm < (1 - (1e-4 * s)) * norm)
                    {
                        accepted = true;
                        norm = trialNorm;
                        break;
                    }
                }

                if (!accepted)
                {
                    // The rounding floor of the rows (ν/h² times the rounding of U): the iterate no longer changes.
                    StepResidual(um, mu);
                    return update <= 1e-13 * (1 + max) ? null : string.Create(CultureInfo.InvariantCulture, $"the HJB line search of step {k} found no decreasing step (‖HJB‖_∞ = {norm:G3})");
                }

                for (int g = 0; g < n; g++)
                {
                    um[2 * g] = _trial[2 * g];
                }

                if (s * update <= 1e-13 * (1 + max))
                {
                    iterations++;
                    return null;
                }
            }
        }

        /// <summary>I/Δt − νΔ_h + W (W the upwind weights at (U^k, M̄^{k+1})) or its transpose, in the folded order.</summary>
        private void LoadStepMatrix(ReadOnlySpan<double> um, bool transpose)
        {
            UpwindStencil<TGame> stencil = _stencil;
            _lu.Reset(_n, _band, _band);
            int s = stencil.Slots;
            double inverseDt = 1 / _dt;
            for (int o = 0; o < _n; o++)
            {
                stencil.Evaluate(o, um, um[(2 * o) + 1], false, out _, out _);
                if (transpose && _system.MeanControl)
                {
                    _drift[o] = stencil.DriftX; // the FP sweep's weights, kept for μ^k once M^{k+1} is known
                }

                ReadOnlySpan<int> st = stencil.Stencil(o);
                int node = _position[o];
                for (int t = 0; t < s; t++)
                {
                    double entry = (t == 0 ? inverseDt + stencil.DiffusionDiagonal : stencil.DiffusionOffDiagonal(t)) + stencil.Weights[t];
                    if (transpose)
                    {
                        _lu.Add(_position[st[t]], node, entry);
                    }
                    else
                    {
                        _lu.Add(node, _position[st[t]], entry);
                    }
                }
            }
        }

        /// <summary>
        /// The Fokker–Planck sweep of the best response: M^{k+1} from M^k with the transposed step matrix at
        /// (U^k, M̄^{k+1}), into <see cref="_density"/>; μ^k = −hΣ_o M^{k+1}_o Σ_s δ_s w_s(o) for a mean-control game.
        /// </summary>
        private string? Densities(int iteration)
        {
            int n = _n, block = 2 * n;
            double inverseDt = 1 / _dt, h = _grid.Hx;
            for (int k = 0; k < _steps; k++)
            {
                ReadOnlySpan<double> um = _x.AsSpan(block * k, block);
                LoadStepMatrix(um, transpose: true);
                if (!_lu.Factor())
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the Fokker–Planck matrix of step {k} is singular at iteration {iteration}");
                }

                ReadOnlySpan<double> previous = k == 0 ? _m0 : _density.AsSpan((k - 1) * n, n);
                for (int g = 0; g < n; g++)
                {
                    _z[_position[g]] = previous[g] * inverseDt;
                }

                _lu.Solve(_z);
                Span<double> next = _density.AsSpan(k * n, n);
                double min = double.PositiveInfinity;
                for (int g = 0; g < n; g++)
                {
                    next[g] = _z[_position[g]];
                    min = Math.Min(min, next[g]);
                }

                if (!(min > 0) || !double.IsFinite(min))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the Fokker–Planck density of level {k + 1} is not positive at iteration {iteration} (min M = {min:G3})");
                }

                if (_system.MeanControl)
                {
                    double velocity = 0;
                    for (int o = 0; o < n; o++)
                    {
                        velocity += next[o] * _drift[o];
                    }

                    _meanControl[k] = -h * velocity;
                }
            }

            return null;
        }
    }
}
