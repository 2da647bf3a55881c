using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeanField.Pde;

/// <summary>
/// The discrete ergodic MFG system of specs/mfg.md §2.3 for a game <typeparamref name="TGame"/> on a
/// <see cref="PeriodicGrid"/>: the residual R(x) and its exact sparse Jacobian (§2.4), with the interleaved layout
/// x = (U_0, M_0, U_1, M_1, …, Λ), R = (HJB_0, FP_0, …, HJB_{n−1}, h^dΣM − 1, ΣU). The Fokker–Planck rows are
/// assembled as the adjoint of the linearised HJB rows (scatter of M_o times the upwind weights of node o).
/// Not thread-safe (scratch buffers); allocation-free after construction.
/// </summary>
internal sealed class ErgodicSystem<TGame> where TGame : struct, IGameModel<TGame>
{
    private readonly UpwindStencil<TGame> _stencil;
    private readonly int _n;
    private readonly int _q;

    // The positions in Jacobian.Values of every entry AddJacobianOfNode adds to, per node, in the order it adds them
    // (_perNode of them): found once here instead of a CsrMatrix.Find per entry and assembly, which cost more than
    // the Hamiltonian itself (profiled at N = 10⁴, 1-D). The additions, and so the values, are the same.
    private readonly int[] _slots;
    private readonly int _perNode;

    public ErgodicSystem(PeriodicGrid grid)
    {
        Grid = grid;
        _stencil = new UpwindStencil<TGame>(grid);
        _n = grid.NodeCount;
        _q = _n - 1;
        Jacobian = Pattern();
        int s = _stencil.Slots;
        _perNode = (2 * s) + 2 + (s * (s + 1));
        _slots = new int[_n * _perNode];
        for (int o = 0; o < _n; o++)
        {
            FillSlots(o, _slots.AsSpan(o * _perNode, _perNode));
        }
    }

    public PeriodicGrid Grid { get; }

    /// <summary>Unknowns and equations: 2n + 1.</summary>
    public int Size => (2 * _n) + 1;

    /// <summary>The node whose FP row is replaced by the mass constraint (the last).</summary>
    public int ReplacedNode => _q;

    /// <summary>The Jacobian, valid after <see cref="Assemble"/> with a Jacobian requested.</summary>
    public CsrMatrix Jacobian { get; }

    /// <summary>R(x) into <paramref name="residual"/>; with <paramref name="withJacobian"/>, also <see cref="Jacobian"/>.</summary>
    public void Assemble(ReadOnlySpan<double> x, Span<double> residual, bool withJacobian)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int n = _n, s = stencil.Slots;
        double nu = stencil.Viscosity, lambda = x[2 * n];
        ReadOnlySpan<double> um = x[..(2 * n)];
        residual.Clear();
        if (withJacobian)
        {
            Array.Clear(Jacobian.Values);
        }

        for (int o = 0; o < n; o++)
        {
            double mo = um[(2 * o) + 1];
            double value = stencil.Evaluate(o, um, mo, withJacobian, out double lapU, out double lapM);
            ReadOnlySpan<int> st = stencil.Stencil(o);
            residual[2 * o] = (-nu * lapU) + value + lambda;
            if (o != _q)
            {
                residual[(2 * o) + 1] += -nu * lapM;
            }

            for (int t = 0; t < s; t++)
            {
                if (st[t] != _q)
                {
                    residual[(2 * st[t]) + 1] += mo * stencil.Weights[t];
                }
            }

            if (withJacobian)
            {
                AddJacobianOfNode(o, st, mo);
            }
        }

        double mass = 0, sumU = 0;
        for (int g = 0; g < n; g++)
        {
            sumU += x[2 * g];
            mass += x[(2 * g) + 1];
        }

        residual[(2 * _q) + 1] = (Grid.CellVolume * mass) - 1;
        residual[2 * n] = sumU;
        if (withJacobian)
        {
            CsrMatrix j = Jacobian;
            int start = j.RowStart[(2 * _q) + 1];
            for (int g = 0; g < n; g++)
            {
                j.Values[start + g] = Grid.CellVolume; // columns 2g + 1, sorted
            }

            start = j.RowStart[2 * n];
            for (int g = 0; g < n; g++)
            {
                j.Values[start + g] = 1; // columns 2g
            }
        }
    }

    /// <summary>The positions <see cref="AddJacobianOfNode"/> adds to at node o, in its order (−1: the FP row of the
    /// replaced node, skipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per node and solve, mostly before tiering
    private void FillSlots(int o, Span<int> slots)
    {
        ReadOnlySpan<int> st = _stencil.Stencil(o);
        int s = st.Length, n = _n, k = 0;
        int hjb = 2 * o;
        for (int t = 0; t < s; t++)
        {
            slots[k++] = Find(hjb, 2 * st[t]);
        }

        slots[k++] = Find(hjb, (2 * o) + 1);
        slots[k++] = Find(hjb, 2 * n);
        for (int t = 0; t < s; t++)
        {
            slots[k++] = o != _q ? Find((2 * o) + 1, (2 * st[t]) + 1) : -1;
        }

        for (int a = 0; a < s; a++)
        {
            int row = (2 * st[a]) + 1;
            slots[k++] = st[a] != _q ? Find(row, (2 * o) + 1) : -1;
            for (int b = 0; b < s; b++)
            {
                slots[k++] = st[a] != _q ? Find(row, 2 * st[b]) : -1;
            }
        }
    }

    /// <summary>The position of (row, column), which Pattern() must hold.</summary>
    private int Find(int row, int column)
    {
        int i = Jacobian.Find(row, column);
        return i >= 0 ? i : throw new InvalidOperationException($"Entry ({row}, {column}) is not in the sparsity pattern.");
    }

    private void AddJacobianOfNode(int o, ReadOnlySpan<int> st, double mo)
    {
        UpwindStencil<TGame> stencil = _stencil;
        int s = st.Length;
        double[] values = Jacobian.Values;
        ReadOnlySpan<int> slots = _slots.AsSpan(o * _perNode, _perNode);
        ReadOnlySpan<double> weights = stencil.Weights;
        int k = 0;

        // HJB_o: −ν Δ_h + upwind weights in U; ∂Ĥ/∂m in M_o; 1 in Λ.
        values[slots[k++]] += stencil.DiffusionDiagonal + weights[0];
        for (int t = 1; t < s; t++)
        {
            values[slots[k++]] += stencil.DiffusionOffDiagonal(t) + weights[t];
        }

        values[slots[k++]] += stencil.Gradient[2 * stencil.Dimension];
        values[slots[k++]] += 1;

        // FP rows: −ν Δ_h M (row o) and the scatter of M_o w_s (rows of the stencil nodes).
        if (o != _q)
        {
            values[slots[k]] += stencil.DiffusionDiagonal;
            for (int t = 1; t < s; t++)
            {
                values[slots[k + t]] += stencil.DiffusionOffDiagonal(t);
            }
        }

        k += s;
        ReadOnlySpan<double> pm = stencil.PM, pp = stencil.PP;
        for (int a = 0; a < s; a++, k += s + 1)
        {
            if (st[a] == _q)
            {
                continue;
            }

            values[slots[k]] += weights[a] + (mo * pm[a]);
            for (int b = 0; b < s; b++)
            {
                double v = pp[(a * s) + b];
                if (v != 0)
                {
                    values[slots[k + 1 + b]] += mo * v;
                }
            }
        }
    }

    /// <summary>The pattern as (row, column) pairs, duplicates allowed (<see cref="CsrMatrix.FromEntries"/> sorts and
    /// merges them): flat arrays instead of one list per row, which was the largest part of the per-solve setup at
    /// N = 10⁴, 1-D (2n + 1 lists, each grown and sorted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per solve: tier-0 code would stay
    private CsrMatrix Pattern()
    {
        int n = _n, s = _stencil.Slots;
        int capacity = (n * (s + 2 + (s * (s + 1)))) + (2 * n);
        // Pooled: two multi-megabyte temporaries per solve otherwise (see BandedLu.PoolLimit).
        int[] rows = ArrayPool<int>.Shared.Rent(capacity);
        int[] columns = ArrayPool<int>.Shared.Rent(capacity);
        int k = 0;
        for (int o = 0; o < n; o++)
        {
            ReadOnlySpan<int> st = _stencil.Stencil(o);
            int hjb = 2 * o;
            foreach (int t in st)
            {
                rows[k] = hjb;
                columns[k++] = 2 * t;
            }

            rows[k] = hjb;
            columns[k++] = (2 * o) + 1;
            rows[k] = hjb;
            columns[k++] = 2 * n;
            foreach (int a in st)
            {
                if (a == _q)
                {
                    continue;
                }

                int fp = (2 * a) + 1;
                rows[k] = fp;
                columns[k++] = (2 * o) + 1; // M_o (scatter) — also covers −ν Δ_h M, whose stencil is the same set
                foreach (int b in st)
                {
                    rows[k] = fp;
                    columns[k++] = 2 * b;
                }
            }
        }

        for (int g = 0; g < n; g++)
        {
            rows[k] = (2 * _q) + 1;
            columns[k++] = (2 * g) + 1;
            rows[k] = 2 * n;
            columns[k++] = 2 * g;
        }

        CsrMatrix pattern = CsrMatrix.FromEntries(Size, rows.AsSpan(0, k), columns.AsSpan(0, k));
        ArrayPool<int>.Shared.Return(rows);
        ArrayPool<int>.Shared.Return(columns);
        return pattern;
    }
}
