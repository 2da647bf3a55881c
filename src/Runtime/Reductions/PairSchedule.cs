namespace MeanField;

/// <summary>How the Wasserstein gradient of a network treats the (sample, particle) pair channels between its passes.</summary>
public enum PairSchedule
{
    /// <summary>
    /// The default: <see cref="Cached"/> when the cache fits the budget and pays for its memory traffic (input dimension
    /// d ≥ <see cref="PairScheduleDefaults.AutoCacheMinimumDimension"/>), <see cref="Streaming"/> otherwise.
    /// </summary>
    Auto = 0,

    /// <summary>Recompute the pair channels in the backward pass; memory O(n·d + L·d) whatever the sizes.</summary>
    Streaming = 1,

    /// <summary>Keep the forward pass's pair channels for the backward pass whenever they fit the budget.</summary>
    Cached = 2,
}

/// <summary>The defaults of the pair schedule, with the measurements behind them.</summary>
public static class PairScheduleDefaults
{
    /// <summary>
    /// The default memory budget of the cached schedule: 256 MiB. It holds the cache of every case of the peers' W1 table
    /// (P·L·n doubles = 128 MiB at L·n = 2^24, one pair channel), and keeps a step far below 512 MB where the cache
    /// cannot fit: at L = n = 65536 it would need 32 GiB, so that step streams in O(n·d + L·d) memory.
    /// </summary>
    public const long DefaultBudgetBytes = 256L << 20;

    /// <summary>
    /// The smallest input dimension at which <see cref="PairSchedule.Auto"/> caches: 64. Caching trades one tile product
    /// of depth d per pair (2d flops) for about 24 bytes of memory traffic per pair (written, read for ownership, read
    /// back). Measured on a 2-core Zen 5 (AVX-512), W1 tanh, L = n = 4096, 2 threads, ms per step streaming / cached:
    /// d = 16: 32.6 / 30.6, d = 32: 34.7 / 36.4, d = 64: 48.4 / 47.1, d = 128: 74.7 / 62.6, d = 256: 142.5 / 107.4; with
    /// AVX-512 switched off (Vector256, half the flop rate, the same memory) d = 64: 94.6 / 86.1. Below 64 the gain is
    /// within the noise or negative, from 64 up it grows with d.
    /// </summary>
    public const int AutoCacheMinimumDimension = 64;

    /// <summary>
    /// <paramref name="value"/> if it is a defined <see cref="PairSchedule"/>; otherwise an
    /// <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> and the value.
    /// </summary>
    internal static PairSchedule Require(PairSchedule value, string name) =>
        Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be Auto, Streaming or Cached; got {(int)value}.");
}
