using System.Globalization;

namespace MeanField;

/// <summary>
/// A uniform periodic grid on the torus [0, 1)^d, d = 1 or 2 (specs/mfg.md §2.1): N_x (× N_y) points
/// x_i = i·h, h = 1/N per axis; in 1-D also on [0, L) (h = L/N), for a game on a bounded interval mapped to a circle
/// (crowd trading's inventories, §5.3). Nodes are numbered g = i_x + N_x·i_y (x fastest). Immutable.
/// </summary>
public sealed class PeriodicGrid
{
    /// <summary>The fewest points per axis (3): the upwind stencil needs a left and a right neighbour distinct from the node.</summary>
    public const int MinPointsPerAxis = 3;

    /// <summary>The most nodes (2²⁸): the unknown vector (2 per node, plus one) must fit an array.</summary>
    public const int MaxNodeCount = 1 << 28;

    /// <summary>A 1-D grid of <paramref name="n"/> points on [0, 1).</summary>
    /// <param name="n">Points (≥ <see cref="MinPointsPerAxis"/>, ≤ <see cref="MaxNodeCount"/>).</param>
    public PeriodicGrid(int n)
        : this(n, 1.0)
    {
    }

    /// <summary>A 1-D grid of <paramref name="n"/> points on the circle [0, <paramref name="length"/>).</summary>
    /// <param name="n">Points (≥ <see cref="MinPointsPerAxis"/>, ≤ <see cref="MaxNodeCount"/>).</param>
    /// <param name="length">L &gt; 0, finite: x_i = i·L/n; densities integrate to 1 over [0, L).</param>
    public PeriodicGrid(int n, double length)
    {
        CheckAxis(n, nameof(n));
        if (!(length > 0) || !double.IsFinite(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, string.Create(CultureInfo.InvariantCulture, $"length must be finite and > 0; got {length}."));
        }

        Dimension = 1;
        Nx = n;
        Ny = 1;
        Length = length;
    }

    /// <summary>A 2-D grid of <paramref name="nx"/> × <paramref name="ny"/> points on [0, 1)².</summary>
    /// <param name="nx">Points along x (≥ <see cref="MinPointsPerAxis"/>).</param>
    /// <param name="ny">Points along y (≥ <see cref="MinPointsPerAxis"/>); nx·ny ≤ <see cref="MaxNodeCount"/>.</param>
    public PeriodicGrid(int nx, int ny)
    {
        CheckAxis(nx, nameof(nx));
        CheckAxis(ny, nameof(ny));
        if ((long)nx * ny > MaxNodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(ny), ny, string.Create(CultureInfo.InvariantCulture, $"nx·ny = {(long)nx * ny} nodes exceeds {MaxNodeCount}."));
        }

        Dimension = 2;
        Nx = nx;
        Ny = ny;
        Length = 1;
    }

    /// <summary>The period L of the x axis (1 unless given; a 2-D grid is the unit torus).</summary>
    public double Length { get; }

    /// <summary>d: 1 or 2.</summary>
    public int Dimension { get; }

    /// <summary>Points along x.</summary>
    public int Nx { get; }

    /// <summary>Points along y (1 for a 1-D grid).</summary>
    public int Ny { get; }

    /// <summary>All nodes: N_x·N_y.</summary>
    public int NodeCount => Nx * Ny;

    /// <summary>h_x = L/N_x.</summary>
    public double Hx => Length / Nx;

    /// <summary>h_y = 1/N_y (1 for a 1-D grid, so that <see cref="CellVolume"/> is h_x).</summary>
    public double Hy => Dimension == 2 ? 1.0 / Ny : 1.0;

    /// <summary>h^d: h_x for 1-D, h_x·h_y for 2-D (the quadrature weight of a node: ∫f ≈ h^d Σ f_g).</summary>
    public double CellVolume => Hx * Hy;

    /// <summary>Writes the position of <paramref name="node"/> (d values: i_x·h_x, then i_y·h_y) to <paramref name="position"/>.</summary>
    /// <param name="node">The node index g = i_x + N_x·i_y, 0 ≤ g &lt; <see cref="NodeCount"/>.</param>
    /// <param name="position">Receives <see cref="Dimension"/> values.</param>
    public void Position(int node, Span<double> position)
    {
        if ((uint)node >= (uint)NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, string.Create(CultureInfo.InvariantCulture, $"node must be in [0, {NodeCount}); got {node}."));
        }

        if (position.Length < Dimension)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"position has length {position.Length}; the grid has dimension {Dimension}."), nameof(position));
        }

        PositionUnchecked(node, position);
    }

    /// <inheritdoc/>
    public override string ToString() => Dimension == 1
        ? Length == 1 ? string.Create(CultureInfo.InvariantCulture, $"PeriodicGrid({Nx})") : string.Create(CultureInfo.InvariantCulture, $"PeriodicGrid({Nx}, length {Length})")
        : string.Create(CultureInfo.InvariantCulture, $"PeriodicGrid({Nx} × {Ny})");

    internal void PositionUnchecked(int node, Span<double> position)
    {
        int ix = node % Nx;
        position[0] = ix * Hx;
        if (Dimension == 2)
        {
            position[1] = (node / Nx) * Hy;
        }
    }

    /// <summary>The neighbour of <paramref name="node"/> one step along <paramref name="axis"/> in direction <paramref name="step"/> (±1), wrapping.</summary>
    internal int Neighbour(int node, int axis, int step)
    {
        int ix = node % Nx, iy = node / Nx;
        if (axis == 0)
        {
            ix += step;
            ix = ix < 0 ? ix + Nx : ix >= Nx ? ix - Nx : ix;
        }
        else
        {
            iy += step;
            iy = iy < 0 ? iy + Ny : iy >= Ny ? iy - Ny : iy;
        }

        return ix + (Nx * iy);
    }

    /// <summary>h_k of <paramref name="axis"/>.</summary>
    internal double Spacing(int axis) => axis == 0 ? Hx : Hy;

    private static void CheckAxis(int n, string name)
    {
        if (n < MinPointsPerAxis || n > MaxNodeCount)
        {
            throw new ArgumentOutOfRangeException(name, n, string.Create(CultureInfo.InvariantCulture, $"{name} must be between {MinPointsPerAxis} and {MaxNodeCount} grid points; got {n}."));
        }
    }
}
