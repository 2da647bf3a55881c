using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MeanField.Pde;

/// <summary>
/// A sparse direct LU of the 2n × 2n block A of a PDE Jacobian on a periodic grid (2 unknowns per node, interleaved
/// U_g, M_g: stencil couplings between nearby nodes and the node's own 2 × 2 block): nested-dissection ordering of the
/// torus from the grid geometry (<see cref="NestedDissection"/>), a multifrontal factorisation with dense frontal
/// matrices (<see cref="FrontKernels"/>), and the two triangular sweeps. The contract of <see cref="BandedLu"/>:
/// <see cref="Factor"/> → false when a pivot is zero or not finite, then <see cref="Solve(Span{double})"/>.
/// </summary>
/// <remarks>
/// <para><b>Pattern and ordering.</b> The analysed pattern is every entry of A between nodes at most one grid step
/// apart along each axis (the 5-point stencils of the HJB and FP rows and the diagonal neighbours the FP rows' Hessian
/// terms may reach), plus every entry between farther nodes that has been nonzero in a Jacobian (the FP rows' reach of
/// 2 steps when Ĥ couples p⁻_k with p⁺_k; not so for Engquist–Osher): separator lines are as thick as the farthest
/// analysed coupling along their axis, so they separate. A Jacobian with a nonzero outside the analysed pattern (rare:
/// a new coupling appearing during Newton) triggers a new analysis, like the band LU growing its band.</para>
/// <para><b>Symbolic analysis</b> (once per pattern): each separator (and each leaf box) is a front; its fully-summed
/// nodes are its own, its contribution-block nodes are the later-eliminated nodes adjacent to its subtree (the union of
/// its nodes' neighbours and its children's contribution blocks, all in ancestor separators: checked). Both unknowns of
/// a node stay together (2 × 2 node blocks). The original entries are mapped once to their position in the front that
/// eliminates the first of their two nodes, and each child's contribution block to its parent's rows and columns.</para>
/// <para><b>Numeric factorisation</b> (per Newton step): fronts in postorder; each is zeroed, receives its original
/// entries and its children's contribution blocks (extend-add, children in a fixed order), then its partial LU with
/// row interchanges within the fully-summed block (<see cref="FrontKernels.PartialLu"/>); the factors are copied out,
/// the contribution block stays in the front buffer of its depth until the parent adds it. With more than one core and
/// a large tree the root's two subtrees are factored on two threads, each with its own buffers, and added to the root
/// in the same order as the single-threaded path: the factors are the same bit for bit whatever the thread count.
/// All storage is allocated by the analysis; factorisations and solves allocate nothing.</para>
/// <para><b>Cost</b> ≈ 10 n^{3/2} flops for a 2-D grid (George's bound; <see cref="FactorFlops"/> counts them):
/// ≈ 12 GFLOP at 256 × 256 against ≈ 275 GFLOP for the folded band LU.</para>
/// </remarks>
internal sealed class NestedDissectionLu : IBlockFactorisation
{
    /// <summary>Boxes of at most this many nodes are not dissected further (one dense front each).</summary>
    internal const int LeafNodes = 48;


    private readonly int _nx, _ny, _n;

    private CsrMatrix? _mapped;
    private int _size, _pinRow, _pinColumn;
    private bool[] _analysed = [];      // per Jacobian entry: in the analysed pattern

    // The analysis.
    private int _fronts;
    private int[] _parent = [], _firstChild = [], _nextSibling = [], _depth = [];
    private int[] _frontSize = [], _pivotCount = [];           // unknowns: all, fully summed
    private int[] _unknownStart = [], _unknowns = [];          // the front's unknowns (fully summed first)
    private int[] _mapStart = [], _childMap = [];              // contribution block → parent's local unknowns
    private int[] _assemblyStart = [], _assemblySource = [], _assemblyTarget = []; // source −1: the pin entry
    private int[] _target = [];         // per Jacobian entry: −2 outside A, −1 not in the analysed pattern, else ≥ 0
    private long[] _factorStart = [];
    private int[] _pivotStart = [];

    // The numbers.
    private double[] _factors = [];
    private int[] _pivots = [];
    private Workspace[] _workspaces = [];
    private double[] _solveWork = [];
    private bool _parallel;
    private SubtreeWork? _subtreeWork;

    public NestedDissectionLu(PeriodicGrid grid)
    {
        _nx = grid.Nx;
        _ny = grid.Ny;
        _n = grid.NodeCount;
    }

    /// <summary>Flops of one numeric factorisation (divisions and multiply–adds of the partial LUs; 0 before the first).</summary>
    public double FactorFlops { get; private set; }

    /// <summary>Fronts of the current analysis.</summary>
    internal int FrontCount => _fronts;

    /// <summary>How many times the pattern has been analysed (1 unless a coupling outside it appeared).</summary>
    internal int Analyses { get; private set; }

    /// <summary>Runs the root's subtrees on two threads when the factorisation is large (default: when there are two cores).</summary>
    internal bool AllowParallel { get; set; } = Environment.ProcessorCount > 1;

    /// <summary>Factorisations of at least this many flops run the root's two subtrees on two threads (below, a task
    /// costs more than it saves, and small solves stay allocation-free).</summary>
    internal double ParallelFlops { get; set; } = 2e8;

    /// <summary>Whether the two-thread path queues its first subtree to the pool (false: the tests' way to run the
    /// path where the factoring thread claims it itself).</summary>
    internal bool QueueToPool { get; set; } = true;

    /// <summary>Row interchanges of the last factorisation (for the tests).</summary>
    internal int Interchanges()
    {
        int count = 0;
        for (int f = 0; f < _fronts; f++)
        {
            for (int j = 0; j < _pivotCount[f]; j++)
            {
                count += _pivots[_pivotStart[f] + j] != j ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>
    /// Factors A: rows and columns &lt; <paramref name="size"/> (= 2n) of <paramref name="matrix"/>, with row
    /// <paramref name="pinRow"/> replaced by the unit row e_{<paramref name="pinColumn"/>} (pinRow and pinColumn belong
    /// to the same node). False when a pivot is zero or not finite.
    /// </summary>
    public bool Factor(CsrMatrix matrix, int size, int pinRow, int pinColumn)
    {
        if (size != 2 * _n || (pinRow >> 1) != (pinColumn >> 1))
        {
            throw new ArgumentException($"A must have 2·{_n} rows and its pin row and column one node.", nameof(size));
        }

        bool analyse = false;
        if (!ReferenceEquals(matrix, _mapped) || _size != size || _pinRow != pinRow || _pinColumn != pinColumn)
        {
            _mapped = matrix;
            _size = size;
            _pinRow = pinRow;
            _pinColumn = pinColumn;
            _analysed = new bool[matrix.Values.Length];
            MarkNearEntries(matrix);
            analyse = true;
        }

        double[] values = matrix.Values;
        int[] target = _target;
        for (int i = 0; i < values.Length && !analyse; i++)
        {
            analyse = target[i] == -1 && values[i] != 0;
        }

        if (analyse)
        {
            // Every current nonzero joins the analysed pattern (not only the uncovered ones: a covered far entry of
            // the old ordering may be uncovered in the new one).
            MarkNonzeros(matrix);
            Analyse(matrix);
        }

        int root = _fronts - 1;
        int first = _firstChild[root];
        int second = first >= 0 ? _nextSibling[first] : -1;
        return _parallel && AllowParallel && second >= 0 && _nextSibling[second] < 0
            ? FactorTwoThreads(root, first, second, values)
            : Process(root, _workspaces[0], values);
    }

    /// <summary>
    /// The root's two subtrees on two threads (each with its own workspace), then their contribution blocks added to
    /// the root in the single-threaded order. The first subtree goes to the thread pool as a reusable work item
    /// (<see cref="SubtreeWork"/>), so a factorisation allocates nothing.
    /// </summary>
    private bool FactorTwoThreads(int root, int first, int second, double[] values)
    {
        Workspace main = _workspaces[0], other = _workspaces[1];
        Span<double> rootFront = Prepare(root, main, values);
        SubtreeWork work = _subtreeWork ??= new SubtreeWork(this);
        work.Start(first, main, values);
        bool okSecond;
        try
        {
            okSecond = Process(second, other, values);
        }
        finally
        {
            // Not started yet (a busy pool): run it here rather than wait for a pool thread.
            if (work.TryClaim())
            {
                work.Run();
            }

            work.Done.Wait();
        }

        work.Failure?.Throw();
        if (!work.Succeeded || !okSecond)
        {
            return false;
        }

        ExtendAdd(first, main.Fronts[1], rootFront, _frontSize[root]);
        ExtendAdd(second, other.Fronts[1], rootFront, _frontSize[root]);
        return FactorFront(root, rootFront, main);
    }

    /// <summary>Solves A x = b in place (after a successful <see cref="Factor"/>).</summary>
    public void Solve(Span<double> b) => Sweeps(b, []);

    /// <summary>Solves for two right-hand sides in place (after a successful <see cref="Factor"/>): one pass over the
    /// factors for both (the sweeps are memory-bound: the factors are ≈ 200 MB at 256 × 256).</summary>
    public void Solve(Span<double> b1, Span<double> b2) => Sweeps(b1, b2);

    /// <summary>The forward (L, with the fronts' interchanges) and backward (U) sweeps for b1 and, unless empty, b2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a few calls per solve: tier-0 code would stay
    private void Sweeps(Span<double> b1, Span<double> b2)
    {
        bool two = !b2.IsEmpty;
        double[] work = _solveWork;
        int fronts = _fronts, half = work.Length / 2;
        for (int f = 0; f < fronts; f++)
        {
            int s = _frontSize[f], k = _pivotCount[f], m = s - k;
            ReadOnlySpan<int> index = _unknowns.AsSpan(_unknownStart[f], s);
            ReadOnlySpan<double> factor = _factors.AsSpan((int)_factorStart[f], (k * s) + (m * k));
            ReadOnlySpan<int> pivots = _pivots.AsSpan(_pivotStart[f], k);
            Span<double> w1 = work.AsSpan(0, k), w2 = work.AsSpan(half, two ? k : 0);
            for (int i = 0; i < k; i++)
            {
                w1[i] = b1[index[i]];
                if (two)
                {
                    w2[i] = b2[index[i]];
                }
            }

            for (int j = 0; j < k; j++)
            {
                int p = pivots[j];
                if (p != j)
                {
                    (w1[j], w1[p]) = (w1[p], w1[j]);
                    if (two)
                    {
                        (w2[j], w2[p]) = (w2[p], w2[j]);
                    }
                }
            }

            for (int i = 1; i < k; i++)
            {
                ReadOnlySpan<double> row = factor.Slice(i * s, i);
                w1[i] -= TensorPrimitives.Dot(row, w1[..i]);
                if (two)
                {
                    w2[i] -= TensorPrimitives.Dot(row, w2[..i]);
                }
            }

            ReadOnlySpan<double> lower = factor[(k * s)..];
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<double> row = lower.Slice(i * k, k);
                b1[index[k + i]] -= TensorPrimitives.Dot(row, w1);
                if (two)
                {
                    b2[index[k + i]] -= TensorPrimitives.Dot(row, w2);
                }
            }

            for (int i = 0; i < k; i++)
            {
                b1[index[i]] = w1[i];
                if (two)
                {
                    b2[index[i]] = w2[i];
                }
            }
        }

        for (int f = fronts - 1; f >= 0; f--)
        {
            int s = _frontSize[f], k = _pivotCount[f];
            ReadOnlySpan<int> index = _unknowns.AsSpan(_unknownStart[f], s);
            ReadOnlySpan<double> upper = _factors.AsSpan((int)_factorStart[f], k * s);
            Span<double> v1 = work.AsSpan(0, s), v2 = work.AsSpan(half, two ? s : 0);
            for (int i = 0; i < s; i++)
            {
                v1[i] = b1[index[i]];
                if (two)
                {
                    v2[i] = b2[index[i]];
                }
            }

            for (int i = k - 1; i >= 0; i--)
            {
                ReadOnlySpan<double> row = upper.Slice(i * s, s);
                v1[i] = (v1[i] - TensorPrimitives.Dot(row[(i + 1)..], v1[(i + 1)..])) / row[i];
                if (two)
                {
                    v2[i] = (v2[i] - TensorPrimitives.Dot(row[(i + 1)..], v2[(i + 1)..])) / row[i];
                }
            }

            for (int i = 0; i < k; i++)
            {
                b1[index[i]] = v1[i];
                if (two)
                {
                    b2[index[i]] = v2[i];
                }
            }
        }
    }

    /// <summary>Drops the factor storage (the next <see cref="Factor"/> analyses again).</summary>
    public void Release()
    {
        _factors = [];
        _workspaces = [];
        _mapped = null;
    }

    /// <summary>Zeroes front f's buffer and adds its original entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<double> Prepare(int f, Workspace workspace, double[] values)
    {
        int s = _frontSize[f];
        Span<double> front = workspace.Fronts[_depth[f]].AsSpan(0, s * s);
        front.Clear();
        int[] source = _assemblySource, target = _assemblyTarget;
        for (int e = _assemblyStart[f]; e < _assemblyStart[f + 1]; e++)
        {
            int i = source[e];
            front[target[e]] += i >= 0 ? values[i] : 1;
        }

        return front;
    }

    /// <summary>Factors the subtree of front f; its contribution block is left in the workspace's buffer of its depth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Process(int f, Workspace workspace, double[] values)
    {
        Span<double> front = Prepare(f, workspace, values);
        int s = _frontSize[f];
        for (int c = _firstChild[f]; c >= 0; c = _nextSibling[c])
        {
            if (!Process(c, workspace, values))
            {
                return false;
            }

            ExtendAdd(c, workspace.Fronts[_depth[c]], front, s);
        }

        return FactorFront(f, front, workspace);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FactorFront(int f, Span<double> front, Workspace workspace)
    {
        int s = _frontSize[f], k = _pivotCount[f], m = s - k;
        Span<int> pivots = _pivots.AsSpan(_pivotStart[f], k);
        if (!FrontKernels.PartialLu(front, s, pivots, workspace.Pack))
        {
            return false;
        }

        Span<double> factor = _factors.AsSpan((int)_factorStart[f], (k * s) + (m * k));
        front[..(k * s)].CopyTo(factor);
        Span<double> lower = factor[(k * s)..];
        for (int i = 0; i < m; i++)
        {
            front.Slice((k + i) * s, k).CopyTo(lower.Slice(i * k, k));
        }

        return true;
    }

    /// <summary>Adds child c's contribution block (in <paramref name="child"/>) to its parent's front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ExtendAdd(int c, double[] child, Span<double> parent, int parentSize)
    {
        int s = _frontSize[c], k = _pivotCount[c], m = s - k;
        ReadOnlySpan<int> map = _childMap.AsSpan(_mapStart[c], m);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> row = child.AsSpan(((k + i) * s) + k, m);
            Span<double> target = parent.Slice(map[i] * parentSize, parentSize);
            for (int j = 0; j < m; j++)
            {
                target[map[j]] += row[j];
            }
        }
    }

    /// <summary>The entries of A between nodes at most one step apart along each axis (the near pattern).</summary>
    private void MarkNearEntries(CsrMatrix matrix)
    {
        for (int r = 0; r < _size; r++)
        {
            for (int i = matrix.RowStart[r]; i < matrix.RowStart[r + 1]; i++)
            {
                int c = matrix.Columns[i];
                if (c < _size && r != _pinRow)
                {
                    (int dx, int dy) = Distance(r >> 1, c >> 1);
                    _analysed[i] = dx <= 1 && dy <= 1;
                }
            }
        }
    }

    private void MarkNonzeros(CsrMatrix matrix)
    {
        for (int r = 0; r < _size; r++)
        {
            for (int i = matrix.RowStart[r]; i < matrix.RowStart[r + 1]; i++)
            {
                if (matrix.Columns[i] < _size && r != _pinRow && matrix.Values[i] != 0)
                {
                    _analysed[i] = true;
                }
            }
        }
    }

    /// <summary>The distance along x and along y of two nodes on the torus.</summary>
    private (int Dx, int Dy) Distance(int a, int b)
    {
        int dx = Math.Abs((a % _nx) - (b % _nx)), dy = Math.Abs((a / _nx) - (b / _nx));
        return (Math.Min(dx, _nx - dx), Math.Min(dy, _ny - dy));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per pattern: tier-0 code would stay
    private void Analyse(CsrMatrix matrix)
    {
        Analyses++;
        int n = _n, size = _size;

        // The node graph of the analysed pattern (symmetrised), and the thickness the separators need.
        var degree = new int[n + 1];
        int thicknessX = 1, thicknessY = 1;
        for (int r = 0; r < size; r++)
        {
            for (int i = matrix.RowStart[r]; i < matrix.RowStart[r + 1]; i++)
            {
                int a = r >> 1, b = matrix.Columns[i] >> 1;
                if (_analysed[i] && a != b)
                {
                    degree[a + 1]++;
                    degree[b + 1]++;
                    (int dx, int dy) = Distance(a, b);
                    thicknessX = Math.Max(thicknessX, dx);
                    thicknessY = Math.Max(thicknessY, dy);
                }
            }
        }

        for (int g = 0; g < n; g++)
        {
            degree[g + 1] += degree[g];
        }

        var adjacency = new int[degree[n]];
        var fill = degree.AsSpan(0, n).ToArray();
        for (int r = 0; r < size; r++)
        {
            for (int i = matrix.RowStart[r]; i < matrix.RowStart[r + 1]; i++)
            {
                int a = r >> 1, b = matrix.Columns[i] >> 1;
                if (_analysed[i] && a != b)
                {
                    adjacency[fill[a]++] = b;
                    adjacency[fill[b]++] = a;
                }
            }
        }

        var tree = NestedDissection.Build(_nx, _ny, thicknessX, thicknessY, LeafNodes);
        int fronts = tree.FrontCount;
        _fronts = fronts;
        _parent = tree.Parent;
        var frontOf = new int[n];
        var position = new int[n];
        for (int f = 0; f < fronts; f++)
        {
            for (int p = tree.Start[f]; p < tree.Start[f + 1]; p++)
            {
                frontOf[tree.Nodes[p]] = f;
                position[tree.Nodes[p]] = p;
            }
        }

        if (tree.Nodes.Length != n)
        {
            throw new InvalidOperationException($"Nested dissection ordered {tree.Nodes.Length} of {n} nodes.");
        }

        // Children (in increasing order) and depths.
        _firstChild = new int[fronts];
        _nextSibling = new int[fronts];
        _depth = new int[fronts];
        Array.Fill(_firstChild, -1);
        Array.Fill(_nextSibling, -1);
        for (int f = fronts - 2; f >= 0; f--)
        {
            int p = _parent[f];
            _nextSibling[f] = _firstChild[p];
            _firstChild[p] = f;
        }

        int maxDepth = 0;
        for (int f = fronts - 2; f >= 0; f--)
        {
            _depth[f] = _depth[_parent[f]] + 1;
            maxDepth = Math.Max(maxDepth, _depth[f]);
        }

        // Contribution blocks (node level), in postorder, checked against the tree.
        var contribution = new int[fronts][];
        var mark = new int[n];
        Array.Fill(mark, -1);
        var list = new List<int>();
        for (int f = 0; f < fronts; f++)
        {
            list.Clear();
            for (int p = tree.Start[f]; p < tree.Start[f + 1]; p++)
            {
                int v = tree.Nodes[p];
                for (int e = degree[v]; e < degree[v + 1]; e++)
                {
                    int u = adjacency[e];
                    if (frontOf[u] > f && mark[u] != f)
                    {
                        mark[u] = f;
                        list.Add(u);
                    }
                }
            }

            for (int c = _firstChild[f]; c >= 0; c = _nextSibling[c])
            {
                foreach (int u in contribution[c])
                {
                    if (frontOf[u] > f && mark[u] != f)
                    {
                        mark[u] = f;
                        list.Add(u);
                    }
                }
            }

            list.Sort((u, v) => position[u].CompareTo(position[v]));
            foreach (int u in list)
            {
                int a = _parent[f];
                while (a >= 0 && a != frontOf[u])
                {
                    a = _parent[a];
                }

                if (a < 0)
                {
                    throw new InvalidOperationException($"Nested dissection: node {u} couples front {f} with front {frontOf[u]}, not an ancestor (a separator does not separate).");
                }
            }

            contribution[f] = [.. list];
        }

        // Unknown lists, sizes, factor and pivot offsets, buffer sizes, flops.
        _frontSize = new int[fronts];
        _pivotCount = new int[fronts];
        _unknownStart = new int[fronts + 1];
        _factorStart = new long[fronts + 1];
        _pivotStart = new int[fronts + 1];
        var bufferSize = new long[maxDepth + 1];
        int maxSize = 0;
        double flops = 0;
        for (int f = 0; f < fronts; f++)
        {
            int own = tree.Start[f + 1] - tree.Start[f];
            int s = 2 * (own + contribution[f].Length), k = 2 * own;
            _frontSize[f] = s;
            _pivotCount[f] = k;
            _unknownStart[f + 1] = _unknownStart[f] + s;
            _factorStart[f + 1] = _factorStart[f] + ((long)k * s) + ((long)(s - k) * k);
            _pivotStart[f + 1] = _pivotStart[f] + k;
            bufferSize[_depth[f]] = Math.Max(bufferSize[_depth[f]], (long)s * s);
            maxSize = Math.Max(maxSize, s);
            for (int j = 0; j < k; j++)
            {
                double rest = s - j - 1;
                flops += rest + (2 * rest * rest);
            }
        }

        if (_factorStart[fronts] > Array.MaxLength || bufferSize.Max() > Array.MaxLength)
        {
            throw new InvalidOperationException($"The sparse LU of {n} nodes needs {_factorStart[fronts]} factor values, more than an array holds.");
        }

        FactorFlops = flops;
        _unknowns = new int[_unknownStart[fronts]];
        var local = new int[n];
        for (int f = 0; f < fronts; f++)
        {
            int o = _unknownStart[f], placed = 0;
            for (int p = tree.Start[f]; p < tree.Start[f + 1]; p++)
            {
                Put(tree.Nodes[p]);
            }

            foreach (int u in contribution[f])
            {
                Put(u);
            }

            void Put(int node)
            {
                _unknowns[o + (2 * placed)] = 2 * node;
                _unknowns[o + (2 * placed) + 1] = (2 * node) + 1;
                placed++;
            }
        }

        // Contribution block → parent's local unknowns.
        _mapStart = new int[fronts + 1];
        for (int f = 0; f < fronts; f++)
        {
            _mapStart[f + 1] = _mapStart[f] + (2 * contribution[f].Length);
        }

        _childMap = new int[_mapStart[fronts]];
        for (int p = 0; p < fronts; p++)
        {
            SetLocal(p);
            for (int c = _firstChild[p]; c >= 0; c = _nextSibling[c])
            {
                int o = _mapStart[c];
                foreach (int u in contribution[c])
                {
                    _childMap[o++] = 2 * local[u];
                    _childMap[o++] = (2 * local[u]) + 1;
                }
            }
        }

        void SetLocal(int f)
        {
            int s = _frontSize[f], o = _unknownStart[f];
            for (int i = 0; i < s; i += 2)
            {
                local[_unknowns[o + i] >> 1] = i >> 1;
            }
        }

        // Original entries → (owner front, position): bucketed by owner, then placed with the owner's local indices.
        int count = matrix.Values.Length;
        _target = new int[count];
        var owner = new int[count];
        var bucket = new int[fronts + 1];
        var rowOf = new int[count];
        for (int r = 0; r < matrix.Size; r++)
        {
            for (int i = matrix.RowStart[r]; i < matrix.RowStart[r + 1]; i++)
            {
                rowOf[i] = r;
                int c = matrix.Columns[i];
                if (r >= size || c >= size || r == _pinRow)
                {
                    owner[i] = -1;
                    _target[i] = -2;
                    continue;
                }

                owner[i] = Math.Min(frontOf[r >> 1], frontOf[c >> 1]);
                bucket[owner[i] + 1]++;
            }
        }

        int pinFront = frontOf[_pinRow >> 1];
        bucket[pinFront + 1]++;
        for (int f = 0; f < fronts; f++)
        {
            bucket[f + 1] += bucket[f];
        }

        var entries = new int[bucket[fronts]];
        var next = bucket.AsSpan(0, fronts).ToArray();
        for (int i = 0; i < count; i++)
        {
            if (owner[i] >= 0)
            {
                entries[next[owner[i]]++] = i;
            }
        }

        entries[next[pinFront]++] = -1;
        _assemblyStart = new int[fronts + 1];
        var source = new List<int>(entries.Length);
        var targets = new List<int>(entries.Length);
        var stamp = new int[n];
        Array.Fill(stamp, -1);
        for (int f = 0; f < fronts; f++)
        {
            SetLocal(f);
            int s = _frontSize[f], o = _unknownStart[f];
            for (int i = 0; i < s; i += 2)
            {
                stamp[_unknowns[o + i] >> 1] = f;
            }

            for (int e = bucket[f]; e < bucket[f + 1]; e++)
            {
                int i = entries[e];
                int r = i >= 0 ? rowOf[i] : _pinRow;
                int c = i >= 0 ? matrix.Columns[i] : _pinColumn;
                if (stamp[r >> 1] != f || stamp[c >> 1] != f)
                {
                    _target[i] = -1; // not in the analysed pattern: must stay zero (else a new analysis)
                    continue;
                }

                int position2 = ((2 * local[r >> 1]) + (r & 1)) * s + (2 * local[c >> 1]) + (c & 1);
                source.Add(i);
                targets.Add(position2);
                if (i >= 0)
                {
                    _target[i] = position2;
                }
            }

            _assemblyStart[f + 1] = source.Count;
        }

        _assemblySource = [.. source];
        _assemblyTarget = [.. targets];

        // Storage: allocated here, reused by every factorisation.
        _factors = GC.AllocateUninitializedArray<double>((int)_factorStart[fronts]);
        _pivots = new int[_pivotStart[fronts]];
        _solveWork = new double[2 * maxSize];
        _parallel = flops >= ParallelFlops;
        _workspaces = new Workspace[_parallel ? 2 : 1];
        for (int w = 0; w < _workspaces.Length; w++)
        {
            var buffers = new double[maxDepth + 1][];
            for (int d = 0; d <= maxDepth; d++)
            {
                buffers[d] = w > 0 && d == 0 ? [] : GC.AllocateUninitializedArray<double>((int)bufferSize[d]);
            }

            _workspaces[w] = new Workspace(buffers, new double[FrontKernels.PackLength(maxSize)]);
        }
    }

    /// <summary>One thread's buffers: a front buffer per tree depth (a child's contribution block waits in its
    /// buffer while its parent, one depth up, receives it) and the pack buffer of the product kernel.</summary>
    private sealed record Workspace(double[][] Fronts, double[] Pack);

    /// <summary>
    /// One subtree's factorisation as a thread-pool work item, reused by every factorisation. Whoever claims it first
    /// runs it: a pool thread, or the factoring thread once its own subtree is done (so a pool busy with other work,
    /// e.g. concurrent solves, delays nothing; a late pool execution of an earlier queueing finds it claimed or runs
    /// the current one — the same work either way).
    /// </summary>
    private sealed class SubtreeWork(NestedDissectionLu owner) : IThreadPoolWorkItem
    {
        private int _claimed = 1;
        private int _front;
        private Workspace? _workspace;
        private double[] _values = [];

        /// <summary>Set when the subtree is done (created without a lazy allocation left for later).</summary>
        public ManualResetEventSlim Done { get; } = MeanField.Threading.DoneEvent.Create();

        public bool Succeeded { get; private set; }

        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure { get; private set; }

        public void Start(int front, Workspace workspace, double[] values)
        {
            _front = front;
            _workspace = workspace;
            _values = values;
            Succeeded = false;
            Failure = null;
            Done.Reset();
            Volatile.Write(ref _claimed, 0);
            if (owner.QueueToPool)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

        public void Execute()
        {
            if (TryClaim())
            {
                Run();
            }
        }

        public void Run()
        {
            try
            {
                Succeeded = owner.Process(_front, _workspace!, _values);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _values = [];
                Done.Set();
            }
        }
    }
}
