using ScottPlot;

namespace MeanField.Samples;

/// <summary>One curve of a line plot.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates (same length).</param>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>PNG plots with ScottPlot 5, written atomically.</summary>
public static class Plots
{
    /// <summary>Width of every plot, in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of every plot, in pixels.</summary>
    public const int Height = 500;

    /// <summary>A density histogram (bars of the given edges and heights) with a curve on top.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The title.</param>
    /// <param name="edges">Bin edges, one more than <paramref name="density"/>.</param>
    /// <param name="density">The histogram's density in each bin.</param>
    /// <param name="histogramLabel">Legend text of the bars.</param>
    /// <param name="curve">The curve drawn over the bars.</param>
    /// <param name="xLabel">The abscissa's label.</param>
    public static void SaveHistogram(string path, string title, IReadOnlyList<double> edges, IReadOnlyList<double> density, string histogramLabel, PlotSeries curve, string xLabel)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(curve);
        if (edges.Count != density.Count + 1)
        {
            throw new ArgumentException($"edges has {edges.Count} values; it needs density.Count + 1 = {density.Count + 1}.", nameof(edges));
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        for (int b = 0; b < density.Count; b++)
        {
            bars.Add(new Bar
            {
                Position = 0.5 * (edges[b] + edges[b + 1]),
                Value = density[b],
                Size = edges[b + 1] - edges[b],
                FillColor = Colors.SteelBlue.WithAlpha(0.6),
                LineWidth = 0,
            });
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = histogramLabel;
        var line = plot.Add.ScatterLine(curve.X.ToArray(), curve.Y.ToArray(), Colors.Black);
        line.LineWidth = 2;
        line.LegendText = curve.Label;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("density");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>Line plot of several series; with <paramref name="logY"/> the ordinate is on a log₁₀ scale (values must be &gt; 0).</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The title.</param>
    /// <param name="xLabel">The abscissa's label.</param>
    /// <param name="yLabel">The ordinate's label.</param>
    /// <param name="series">The curves.</param>
    /// <param name="logY">Log scale on the ordinate.</param>
    public static void SaveLines(string path, string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, bool logY)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        Color[] palette = [Colors.FireBrick, Colors.SteelBlue, Colors.ForestGreen, Colors.DarkOrange, Colors.Purple];
        for (int s = 0; s < series.Count; s++)
        {
            var one = series[s];
            double[] y = one.Y.Select(v => logY ? Math.Log10(v) : v).ToArray();
            var line = plot.Add.ScatterLine(one.X.ToArray(), y, palette[s % palette.Length]);
            line.LineWidth = 2;
            line.LegendText = one.Label;
        }

        if (logY)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = v => $"1e{v:0}",
            };
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? yLabel + " (log scale)" : yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>A heat map of values on a regular grid of the unit square, with a colour bar.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The title.</param>
    /// <param name="values">values[row, column]: row = y index (bottom to top), column = x index.</param>
    /// <param name="colorBarLabel">The colour bar's label.</param>
    public static void SaveHeatmap(string path, string title, double[,] values, string colorBarLabel)
    {
        ArgumentNullException.ThrowIfNull(values);
        var plot = new Plot();
        int rows = values.GetLength(0);
        var flipped = new double[rows, values.GetLength(1)];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < values.GetLength(1); c++)
            {
                flipped[r, c] = values[rows - 1 - r, c]; // ScottPlot draws row 0 at the top
            }
        }

        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Extent = new CoordinateRect(0, 1, 0, 1);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = colorBarLabel;
        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("y");
        Save(plot, path);
    }

    private static void Save(Plot plot, string path) => AtomicFile.WriteAllBytes(path, plot.GetImageBytes(Width, Height, ImageFormat.Png));
}
