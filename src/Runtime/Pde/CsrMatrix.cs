using System.Buffers;
using System.Runtime.CompilerServices;

namespace MeanField.Pde;

/// <summary>
/// A square sparse matrix in compressed-row form with a fixed pattern (columns sorted within each row); the values are
/// reassembled in place. Internal: the Jacobian of <see cref="ErgodicSystem{TGame}"/>.
/// </summary>
internal sealed class CsrMatrix
{
    public CsrMatrix(int size, List<int>[] rows)
    {
        Size = size;
        RowStart = new int[size + 1];
        for (int r = 0; r < size; r++)
        {
            rows[r].Sort();
            int unique = 0;
            for (int i = 0; i < rows[r].Count; i++)
            {
                if (i == 0 || rows[r][i] != rows[r][i - 1])
                {
                    rows[r][unique++] = rows[r][i];
                }
            }

            rows[r].RemoveRange(unique, rows[r].Count - unique);
            RowStart[r + 1] = RowStart[r] + unique;
        }

        Columns = new int[RowStart[size]];
        Values = new double[RowStart[size]];
        for (int r = 0; r < size; r++)
        {
            rows[r].CopyTo(Columns, RowStart[r]);
        }
    }

    private CsrMatrix(int size, int[] rowStart, int[] columns)
    {
        Size = size;
        RowStart = rowStart;
        Columns = columns;
        Values = new double[columns.Length];
    }

    /// <summary>
    /// The matrix with the pattern of the (row, column) pairs (duplicates merged, columns sorted within each row: the
    /// same pattern the list constructor builds), by a counting sort on the rows; no per-row objects.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per solve: tier-0 code would stay
    public static CsrMatrix FromEntries(int size, ReadOnlySpan<int> rows, ReadOnlySpan<int> columns)
    {
        var start = new int[size + 1];
        foreach (int r in rows)
        {
            start[r + 1]++;
        }

        for (int r = 0; r < size; r++)
        {
            start[r + 1] += start[r];
        }

        var next = start.AsSpan(0, size).ToArray();
        int[] sorted = ArrayPool<int>.Shared.Rent(rows.Length); // a temporary (see BandedLu.PoolLimit)
        for (int i = 0; i < rows.Length; i++)
        {
            sorted[next[rows[i]]++] = columns[i];
        }

        var rowStart = new int[size + 1];
        int count = 0;
        for (int r = 0; r < size; r++)
        {
            Span<int> row = sorted.AsSpan(start[r], start[r + 1] - start[r]);
            row.Sort();
            for (int i = 0; i < row.Length; i++)
            {
                if (i == 0 || row[i] != row[i - 1])
                {
                    sorted[count++] = row[i];
                }
            }

            rowStart[r + 1] = count;
        }

        var matrix = new CsrMatrix(size, rowStart, sorted.AsSpan(0, count).ToArray());
        ArrayPool<int>.Shared.Return(sorted);
        return matrix;
    }

    public int Size { get; }

    public int[] RowStart { get; }

    public int[] Columns { get; }

    public double[] Values { get; }

    /// <summary>The position of entry (row, column) in <see cref="Values"/> (a linear scan of short rows, else a binary search); −1 if not in the pattern.</summary>
    public int Find(int row, int column)
    {
        int start = RowStart[row], end = RowStart[row + 1];
        if (end - start <= 32)
        {
            for (int i = start; i < end; i++)
            {
                if (Columns[i] == column)
                {
                    return i;
                }
            }

            return -1;
        }

        int found = Array.BinarySearch(Columns, start, end - start, column);
        return found >= 0 ? found : -1;
    }

    /// <summary>Adds <paramref name="value"/> to entry (row, column), which must be in the pattern.</summary>
    public void Add(int row, int column, double value)
    {
        int i = Find(row, column);
        if (i < 0)
        {
            throw new InvalidOperationException($"Entry ({row}, {column}) is not in the sparsity pattern.");
        }

        Values[i] += value;
    }

    /// <summary>The entry (row, column); 0 outside the pattern.</summary>
    public double this[int row, int column]
    {
        get
        {
            int i = Find(row, column);
            return i < 0 ? 0 : Values[i];
        }
    }
}
