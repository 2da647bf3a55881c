namespace MeanField.Pde;

/// <summary>
/// A nested-dissection separator tree of a periodic N_x × N_y grid (the torus) from its geometry: a region (a box
/// of the torus, periodic along an axis it spans whole) is cut across its longer splittable axis by separator lines
/// <c>thickness</c> nodes thick — two parallel lines, half a period apart, along a periodic axis (one line does not
/// cut a circle), one line at the middle otherwise — and the pieces are dissected in turn until they hold at most
/// <c>leafNodes</c> nodes or cannot be cut. Every separator (and every leaf) is one front; fronts are
/// numbered in postorder (children before their parent, the root last), so a front's index is its elimination rank.
/// </summary>
/// <remarks>
/// Separator lines t nodes thick separate the pieces for any matrix whose entries couple nodes at most t apart
/// along the cut axis (the 5-point stencils: t = 1). The 256 × 256 torus: a 512-node root (two lines), two
/// 254-node separators of the 127 × 256 cylinders, then single lines of 127, 63, 63, 31, … nodes.
/// </remarks>
internal sealed class NestedDissection
{
    private readonly int _nx, _ny, _tx, _ty, _leaf;
    private readonly List<int> _nodes = [];
    private readonly List<int> _start = [0];
    private readonly List<int> _parent = [];

    private NestedDissection(int nx, int ny, int thicknessX, int thicknessY, int leafNodes)
    {
        _nx = nx;
        _ny = ny;
        _tx = thicknessX;
        _ty = thicknessY;
        _leaf = leafNodes;
    }

    /// <summary>The nodes of every front, concatenated in front order.</summary>
    public int[] Nodes { get; private set; } = [];

    /// <summary>Front f holds Nodes[Start[f] .. Start[f + 1]).</summary>
    public int[] Start { get; private set; } = [];

    /// <summary>The parent front of every front (−1 for the root, the last front).</summary>
    public int[] Parent { get; private set; } = [];

    public int FrontCount => Parent.Length;

    /// <summary>The tree of an <paramref name="nx"/> × <paramref name="ny"/> torus (node g = i_x + N_x·i_y).</summary>
    public static NestedDissection Build(int nx, int ny, int thicknessX, int thicknessY, int leafNodes)
    {
        var tree = new NestedDissection(nx, ny, thicknessX, thicknessY, leafNodes);
        int root = tree.Dissect(0, nx, nx > 1, 0, ny, ny > 1);
        tree.Nodes = [.. tree._nodes];
        tree.Start = [.. tree._start];
        tree.Parent = [.. tree._parent];
        tree.Parent[root] = -1;
        return tree;
    }

    /// <summary>Dissects the box [x0, x0 + wx) × [y0, y0 + wy) (modulo the grid; periodic along an axis it spans
    /// whole, until that axis is cut); returns the index of its front.</summary>
    private int Dissect(int x0, int wx, bool periodicX, int y0, int wy, bool periodicY)
    {
        bool canX = wx >= (periodicX ? (2 * _tx) + 2 : _tx + 2), canY = wy >= (periodicY ? (2 * _ty) + 2 : _ty + 2);
        if ((long)wx * wy <= _leaf || !(canX || canY))
        {
            return AddFront(x0, wx, y0, wy, -1);
        }

        // Cut across x (vertical lines) when x is the longer splittable extent.
        bool cutX = canX && (!canY || wx >= wy);
        var children = new List<int>(2);
        int front;
        if (cutX)
        {
            if (periodicX)
            {
                int half = wx / 2;
                children.Add(Dissect(x0 + _tx, half - _tx, false, y0, wy, periodicY));
                children.Add(Dissect(x0 + half + _tx, wx - half - _tx, false, y0, wy, periodicY));
                front = AddFront(x0, _tx, y0, wy, x0 + half);
            }
            else
            {
                int left = (wx - _tx) / 2;
                children.Add(Dissect(x0, left, false, y0, wy, periodicY));
                children.Add(Dissect(x0 + left + _tx, wx - left - _tx, false, y0, wy, periodicY));
                front = AddFront(x0 + left, _tx, y0, wy, -1);
            }
        }
        else
        {
            if (periodicY)
            {
                int half = wy / 2;
                children.Add(Dissect(x0, wx, periodicX, y0 + _ty, half - _ty, false));
                children.Add(Dissect(x0, wx, periodicX, y0 + half + _ty, wy - half - _ty, false));
                front = AddFrontY(x0, wx, y0, _ty, y0 + half);
            }
            else
            {
                int low = (wy - _ty) / 2;
                children.Add(Dissect(x0, wx, periodicX, y0, low, false));
                children.Add(Dissect(x0, wx, periodicX, y0 + low + _ty, wy - low - _ty, false));
                front = AddFrontY(x0, wx, y0 + low, _ty, -1);
            }
        }

        foreach (int child in children)
        {
            _parent[child] = front;
        }

        return front;
    }

    /// <summary>A front of the box [x0, x0 + wx) × [y0, y0 + wy), and the same box shifted to <paramref name="secondX"/> (≥ 0).</summary>
    private int AddFront(int x0, int wx, int y0, int wy, int secondX)
    {
        AddBox(x0, wx, y0, wy);
        if (secondX >= 0)
        {
            AddBox(secondX, wx, y0, wy);
        }

        return Close();
    }

    /// <summary>A front of the box [x0, x0 + wx) × [y0, y0 + wy), and the same box shifted to <paramref name="secondY"/> (≥ 0).</summary>
    private int AddFrontY(int x0, int wx, int y0, int wy, int secondY)
    {
        AddBox(x0, wx, y0, wy);
        if (secondY >= 0)
        {
            AddBox(x0, wx, secondY, wy);
        }

        return Close();
    }

    private void AddBox(int x0, int wx, int y0, int wy)
    {
        for (int y = y0; y < y0 + wy; y++)
        {
            for (int x = x0; x < x0 + wx; x++)
            {
                _nodes.Add((x % _nx) + (_nx * (y % _ny)));
            }
        }
    }

    private int Close()
    {
        _start.Add(_nodes.Count);
        _parent.Add(-1);
        return _parent.Count - 1;
    }
}
