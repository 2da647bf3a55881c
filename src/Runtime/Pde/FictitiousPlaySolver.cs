using System.Globalization;
using MeanField.Pde;

namespace MeanField;

/// <summary>
/// Solves the discrete ergodic mean-field game of <typeparamref name="TGame"/> (the system of
/// <see cref="ErgodicSolver{TGame}"/>, specs/mfg.md §2.3) by the decoupled iteration of specs/mfg.md §11 instead of
/// Newton on the whole system: given the averaged density M̄_k, (1) the best response: Newton on the HJB rows only,
/// −νΔ_hU + Ĥ(x, D⁻U, D⁺U, M̄_k) + Λ = 0, ΣU = 0; (2) its density: the linear Fokker–Planck equation
/// (∂HJB/∂U)ᵀM = 0 with the same upwind weights (the adjoint the full system uses), h^dΣM = 1; (3) the average:
/// fictitious play M̄_{k+1} = M̄_k + (M − M̄_k)/(k + 1) or, with <see cref="FictitiousPlayOptions.Damping"/> θ,
/// M̄_{k+1} = (1 − θ)M̄_k + θM. Fictitious play converges for potential games with a monotone coupling
/// (Cardaliaguet–Hadikhanloo 2017), at the rate O(1/k) measured here; a damped iteration converges geometrically when
/// θ(1 + ρ(K)) &lt; 2, K the linearised best-response map, and cycles otherwise (specs/mfg.md §11).
/// </summary>
/// <remarks>
/// <para>A separate solver rather than a method option of <see cref="ErgodicSolver{TGame}"/>: its settings (θ, the inner
/// tolerance) and its history (averaging weights, not line-search steps) are not Newton's, and its failure is not a Newton
/// failure (<see cref="FictitiousPlayConvergenceException"/>).</para>
/// <para>The result is an <see cref="ErgodicSolution"/> at (U_k, M̄_k, Λ_k), U_k the best response to M̄_k:
/// <see cref="NewtonSolution.ResidualHistory"/> holds the full system's ‖R‖_∞ (the norm Newton reports; index 0 after the
/// best response to M̄₀ ≡ 1, then one per iteration) and <see cref="NewtonSolution.StepLengths"/> the averaging weight of
/// each iteration. Every iteration checks M &gt; 0 and h^dΣM̄ = 1 (to 10⁻¹⁰).</para>
/// <para>Both linear solves are banded LUs of n × n matrices in the folded ordering (§3.1): the HJB Newton matrix
/// [∂HJB/∂U, 1; 1ᵀ, 0] with the U-constant gauge fixed by δU_q = 0 (its Λ column enters by a Sherman–Morrison update; U is
/// recentred to ΣU = 0 afterwards, which the HJB rows do not see), and (∂HJB/∂U)ᵀ with row q replaced by M_q = 1 (the rows
/// of (∂HJB/∂U)ᵀ sum to zero, so the replaced one holds too), normalised afterwards. The solver holds no state between
/// calls; <see cref="Solve"/> allocates its buffers once and the iterations allocate nothing more.</para>
/// </remarks>
/// <typeparam name="TGame">The game.</typeparam>
public sealed class FictitiousPlaySolver<TGame> where TGame : struct, IGameModel<TGame>
{
    /// <summary>A solver for <typeparamref name="TGame"/> on <paramref name="grid"/>.</summary>
    /// <param name="grid">The grid; its dimension must be the game's.</param>
    /// <param name="options">The settings (null: the defaults, fictitious play).</param>
    public FictitiousPlaySolver(PeriodicGrid grid, FictitiousPlayOptions? options)
    {
        GameChecks.Check<TGame>(grid);
        Grid = grid;
        Options = options ?? new FictitiousPlayOptions();
    }

    /// <summary>The grid.</summary>
    public PeriodicGrid Grid { get; }

    /// <summary>The settings.</summary>
    public FictitiousPlayOptions Options { get; }

    /// <summary>Iterates from M̄₀ ≡ 1, U = 0, Λ = 0 until the full system's ‖R‖_∞ ≤ <see cref="FictitiousPlayOptions.Tolerance"/>.</summary>
    /// <returns>The solution (U_k, M̄_k, Λ_k) with its residual history.</returns>
    /// <exception cref="FictitiousPlayConvergenceException">The iteration stopped without converging; the exception holds the last iterate.</exception>
    public ErgodicSolution Solve()
    {
        var work = new Workspace(Grid, Options);
        int n = Grid.NodeCount;
        for (int g = 0; g < n; g++)
        {
            work.X[(2 * g) + 1] = 1;
        }

        var history = new List<double>(Math.Min(Options.MaxIterations, 100_000) + 1);
        var weights = new List<double>(Math.Min(Options.MaxIterations, 100_000));
        string? failure = work.Run(history, weights);
        ErgodicSolution result = ErgodicSolution.FromInterleaved(Grid, work.X, history, weights, converged: failure is null);
        return failure is null
            ? result
            : throw new FictitiousPlayConvergenceException(string.Create(CultureInfo.InvariantCulture, $"FictitiousPlaySolver<{typeof(TGame).Name}> on {Grid}: {failure}. LastIterate holds the last iterate."), result);
    }

    /// <summary>One solve's buffers and steps. X is interleaved like <see cref="ErgodicSystem{TGame}"/>: (U_g, M̄_g), Λ.</summary>
    private sealed class Workspace
    {
        private const int MaxHalvings = 60;
        private readonly FictitiousPlayOptions _options;
        private readonly ErgodicSystem<TGame> _system;
        private readonly UpwindStencil<TGame> _stencil;
        private readonly BandedLu _lu = new();
        private readonly int[] _position;
        private readonly int _n;
        private readonly int _q;
        private readonly int _band;
        private readonly double _cellVolume;
        private readonly double[] _trial;    // interleaved, for the line search
        private readonly double[] _residual; // full system, 2n + 1
        private readonly double[] _hjb;      // HJB rows, n
        private readonly double[] _z;        // band order, n
        private readonly double[] _w;        // B⁻¹(1 − e_q), band order
        private readonly double[] _density;  // the FP solution, band order

        public Workspace(PeriodicGrid grid, FictitiousPlayOptions options)
        {
            _options = options;
            _system = new ErgodicSystem<TGame>(grid);
            _stencil = new UpwindStencil<TGame>(grid);
            _position = FoldedOrdering.Positions(grid);
            _n = grid.NodeCount;
            _q = _n - 1;
            _cellVolume = grid.CellVolume;
            for (int o = 0; o < _n; o++)
            {
                foreach (int t in _stencil.Stencil(o))
                {
                    _band = Math.Max(_band, Math.Abs(_position[o] - _position[t]));
                }
            }

            X = new double[_system.Size];
            _trial = new double[_system.Size];
            _residual = new double[_system.Size];
            _hjb = new double[_n];
            _z = new double[_n];
            _w = new double[_n];
            _density = new double[_n];
        }

        public double[] X { get; }

        public string? Run(List<double> history, List<double> weights)
        {
            int n = _n;
            double[] x = X;
            string? failure = BestResponse(x, out _);
            double norm = FullResidual(x);
            history.Add(norm);
            if (failure is not null)
            {
                return failure;
            }

            for (int k = 1; ; k++)
            {
                if (norm <= _options.Tolerance)
                {
                    return null;
                }

                if (k > _options.MaxIterations)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"no convergence in {_options.MaxIterations} iterations (‖R‖_∞ = {norm:G3}, Tolerance {_options.Tolerance:G3})");
                }

                failure = Density(x, k);
                if (failure is not null)
                {
                    return failure;
                }

                double weight = _options.Damping ?? (1.0 / (k + 1));
                double mass = 0, min = double.PositiveInfinity;
                for (int g = 0; g < n; g++)
                {
                    int i = (2 * g) + 1;
                    x[i] += weight * (_density[_position[g]] - x[i]);
                    mass += x[i];
                    min = Math.Min(min, x[i]);
                }

                mass *= _cellVolume;
                if (!(min > 0) || !(Math.Abs(mass - 1) <= 1e-10))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the averaged density lost positivity or mass at iteration {k} (min M̄ = {min:G3}, h^dΣM̄ = {mass:R})");
                }

                failure = BestResponse(x, out int hjbIterations);
                norm = FullResidual(x);
                history.Add(norm);
                weights.Add(weight);
                if (failure is not null)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"iteration {k}: {failure}");
                }

                _options.Progress?.Report(new FictitiousPlayProgress(k, norm, weight, hjbIterations));
            }
        }

        /// <summary>The full system's ‖R‖_∞ at x (the norm Newton reports).</summary>
        private double FullResidual(double[] x)
        {
            _system.Assemble(x, _residual, withJacobian: false);
            return NewtonMethod.MaxAbs(_residual);
        }

        /// <summary>‖HJB(x)‖_∞ with M̄ fixed, the rows into <see cref="_hjb"/>.</summary>
        private double HjbResidual(double[] x)
        {
            UpwindStencil<TGame> stencil = _stencil;
            double nu = stencil.Viscosity, lambda = x[2 * _n];
            ReadOnlySpan<double> um = x.AsSpan(0, 2 * _n);
            for (int o = 0; o < _n; o++)
            {
                double value = stencil.Evaluate(o, um, um[(2 * o) + 1], false, out double lapU, out _);
                _hjb[o] = (-nu * lapU) + value + lambda;
            }

            return NewtonMethod.MaxAbs(_hjb);
        }

        /// <summary>Newton on the HJB rows for (U, Λ) with M̄ fixed, from the current U and Λ (a warm start).</summary>
        private string? BestResponse(double[] x, out int iterations)
        {
            int n = _n;
            double norm = HjbResidual(x);
            for (iterations = 0; ; iterations++)
            {
                if (!double.IsFinite(norm))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the HJB residual is {norm}");
                }

                if (norm <= _options.HjbTolerance)
                {
                    return null;
                }

                if (iterations >= _options.HjbMaxIterations)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"the HJB solve did not reach ‖HJB‖_∞ ≤ {_options.HjbTolerance:G3} in {_options.HjbMaxIterations} Newton iterations (‖HJB‖_∞ = {norm:G3})");
                }

                if (!FactorHjb(x))
                {
                    return "the HJB Jacobian is singular";
                }

                // z = A⁻¹(−HJB), A = B + (1 − e_q)e_qᵀ: δU_j = z_j (j ≠ q), δU_q = 0, δΛ = z_q.
                for (int g = 0; g < n; g++)
                {
                    _z[_position[g]] = -_hjb[g];
                }

                _lu.Solve(_z);
                int pq = _position[_q];
                double factor = _z[pq] / (1 + _w[pq]);
                double update = 0;
                for (int i = 0; i < n; i++)
                {
                    _z[i] -= _w[i] * factor;
                    update = Math.Max(update, Math.Abs(_z[i]));
                }

                double s = 1;
                bool accepted = false;
                double trialNorm = norm;
                Array.Copy(x, _trial, x.Length);
                for (int halving = 0; halving <= MaxHalvings; halving++, s *= 0.5)
                {
                    for (int g = 0; g < n; g++)
                    {
                        _trial[2 * g] = g == _q ? x[2 * g] : x[2 * g] + (s * _z[_position[g]]);
                    }

                    _trial[2 * n] = x[2 * n] + (s * _z[pq]);
                    trialNorm = HjbResidual(_trial);
                    if (trialNorm < (1 - (1e-4 * s)) * norm)
                    {
                        accepted = true;
                        break;
                    }
                }

                if (!accepted)
                {
                    // The rounding floor of the HJB rows (ν/h² times the rounding of U): the iterate no longer changes.
                    HjbResidual(x);
                    return update <= 1e-13 * (1 + MaxU(x)) ? null : string.Create(CultureInfo.InvariantCulture, $"the HJB line search found no decreasing step (‖HJB‖_∞ = {norm:G3})");
                }

                double mean = 0;
                for (int g = 0; g < n; g++)
                {
                    mean += _trial[2 * g];
                }

                mean /= n;
                for (int g = 0; g < n; g++)
                {
                    x[2 * g] = _trial[2 * g] - mean;
                }

                x[2 * n] = _trial[2 * n];
                norm = HjbResidual(x);
                if (s * update <= 1e-13 * (1 + MaxU(x)))
                {
                    iterations++;
                    return null;
                }
            }
        }

        private double MaxU(double[] x)
        {
            double max = 0;
            for (int g = 0; g < _n; g++)
            {
                max = Math.Max(max, Math.Abs(x[2 * g]));
            }

            return max;
        }

        /// <summary>
        /// ∂HJB/∂U at (U, M̄) without the pinned column q (diffusion plus upwind weights), or its transpose, into the band
        /// LU in the folded order.
        /// </summary>
        private void LoadHjbMatrix(double[] x, bool transpose)
        {
            UpwindStencil<TGame> stencil = _stencil;
            ReadOnlySpan<double> um = x.AsSpan(0, 2 * _n);
            _lu.Reset(_n, _band, _band);
            int s = stencil.Slots;
            for (int o = 0; o < _n; o++)
            {
                stencil.Evaluate(o, um, um[(2 * o) + 1], false, out _, out _);
                ReadOnlySpan<int> st = stencil.Stencil(o);
                int node = _position[o];
                for (int t = 0; t < s; t++)
                {
                    if (st[t] != _q)
                    {
                        double entry = (t == 0 ? stencil.DiffusionDiagonal : stencil.DiffusionOffDiagonal(t)) + stencil.Weights[t];
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
        }

        /// <summary>
        /// Factors B = ∂HJB/∂U with column q replaced by e_q (nonsingular: the other columns span the range of ∂HJB/∂U,
        /// which misses e_q) and solves B w = 1 − e_q for the Sherman–Morrison update. Leaves the HJB rows in
        /// <see cref="_hjb"/> untouched.
        /// </summary>
        private bool FactorHjb(double[] x)
        {
            LoadHjbMatrix(x, transpose: false);
            int pq = _position[_q];
            _lu.Add(pq, pq, 1);
            if (!_lu.Factor())
            {
                return false;
            }

            Array.Fill(_w, 1.0);
            _w[pq] = 0;
            _lu.Solve(_w);
            double denominator = 1 + _w[pq];
            return denominator != 0 && double.IsFinite(denominator);
        }

        /// <summary>
        /// The Fokker–Planck density of the best response in <see cref="_density"/> (band order): (∂HJB/∂U)ᵀM = 0 with the
        /// weights at (U, M̄), row q replaced by M_q = 1, then normalised to h^dΣM = 1; checks M &gt; 0.
        /// </summary>
        private string? Density(double[] x, int iteration)
        {
            LoadHjbMatrix(x, transpose: true);

            int pq = _position[_q];
            _lu.Add(pq, pq, 1);
            if (!_lu.Factor())
            {
                return string.Create(CultureInfo.InvariantCulture, $"the Fokker–Planck matrix is singular at iteration {iteration}");
            }

            Array.Clear(_density);
            _density[pq] = 1;
            _lu.Solve(_density);
            double sum = 0, min = double.PositiveInfinity;
            foreach (double v in _density)
            {
                sum += v;
                min = Math.Min(min, v);
            }

            if (!(min > 0) || !double.IsFinite(sum))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the Fokker–Planck density is not positive at iteration {iteration} (min M = {min / sum:G3})");
            }

            double scale = 1 / (_cellVolume * sum);
            for (int i = 0; i < _n; i++)
            {
                _density[i] *= scale;
            }

            return null;
        }
    }
}
