namespace MeanField.Samples;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action on the reporting thread, at once and in order
/// (<see cref="Progress{T}"/> posts to the synchronisation context or the thread pool, so lines can arrive late or out
/// of order). Shared by the samples and the tests that record reports.
/// </summary>
/// <typeparam name="T">The report.</typeparam>
/// <param name="report">What to do with each report.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Action<T> _report = report ?? throw new ArgumentNullException(nameof(report));

    /// <inheritdoc/>
    public void Report(T value) => _report(value);
}
