namespace MeanField.Samples;

/// <summary>A plain-text table: the first column left-aligned, the others right-aligned, one header rule.</summary>
public static class TextTable
{
    /// <summary>Writes the table.</summary>
    /// <param name="output">Where it goes.</param>
    /// <param name="header">The column titles.</param>
    /// <param name="rows">The rows, each with as many cells as the header.</param>
    /// <exception cref="ArgumentException">A row has another number of cells than the header.</exception>
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var all = new List<IReadOnlyList<string>> { header };
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
            {
                throw new ArgumentException($"A row has {row.Count} cells; the header has {header.Count}.", nameof(rows));
            }

            all.Add(row);
        }

        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (int c = 0; c < row.Count; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        for (int r = 0; r < all.Count; r++)
        {
            var cells = all[r].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            output.WriteLine("  " + string.Join("  ", cells));
            if (r == 0)
            {
                output.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
