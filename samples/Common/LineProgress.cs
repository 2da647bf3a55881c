using System.Globalization;

namespace MeanField.Samples;

/// <summary>
/// Progress as plain lines (safe when the output is redirected): one line each time another tenth of the work is done,
/// <c>  [####······]  40 %  step 640 / 1600  E = 1.234E-02</c>.
/// </summary>
/// <param name="output">Where the lines go.</param>
/// <param name="total">The number of steps of the whole run (≥ 1).</param>
/// <param name="label">Optional text before the bar (e.g. the method being run).</param>
public sealed class LineProgress(TextWriter output, int total, string label = "")
{
    private readonly TextWriter _output = output ?? throw new ArgumentNullException(nameof(output));
    private readonly int _total = total >= 1 ? total : throw new ArgumentOutOfRangeException(nameof(total), total, $"total must be ≥ 1; got {total}.");
    private int _lastTenth = -1;

    /// <summary>Reports that <paramref name="step"/> of the steps are done; prints when a new tenth is reached (and at 0).</summary>
    /// <param name="step">Steps done, 0 … total.</param>
    /// <param name="energy">The current energy, printed with the bar.</param>
    public void Report(int step, double energy)
    {
        int tenth = (int)Math.Min(10, (long)step * 10 / _total);
        if (tenth <= _lastTenth)
        {
            return;
        }

        _lastTenth = tenth;
        string bar = new string('#', tenth) + new string('·', 10 - tenth);
        string prefix = label.Length > 0 ? label + " " : string.Empty;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {prefix}[{bar}] {tenth * 10,3} %  step {step,6} / {_total}  E = {energy:0.0000E+00}"));
    }
}
