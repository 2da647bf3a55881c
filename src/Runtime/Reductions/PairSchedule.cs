namespace MeanField;

/// <summary>How the Wasserstein gradient of a network treats the (sample, particle) pair channels between its passes.</summary>
public enum PairSchedule
{
    /// <summary>
    /// The default: <see cref="Cached"/> when a block of the cache fits the budget and pays for its memory traffic (input dimension
    /// d ≥ <see cref="PairScheduleDefaults.AutoCacheMinimumDimension"/>), <see cref="Streaming"/> otherwise.
    /// </summary>
    Auto = 0,

    /// <summary>Recompute the pair channels in the backward pass; memory O(n·d + L·d) whatever the sizes.</summary>
    Streaming = 1,

    /// <summary>Keep the forward pass's pair channels for the backward pass (block by block of samples) whenever a block fits the budget.</summary>
    Cached = 2,
}

/// <summary>The defaults of the pair schedule, with the measurements behind them.</summary>
public static class PairScheduleDefaults
{
    /// <summary>
    /// The default memory budget of the cached schedule: 256 MiB. It holds the cache of every case of the peers' W1 table
    /// (P·L·n doubles = 128 MiB at L·n = 2^24, one pair channel), and keeps a step far below 512 MB where the whole cache
    /// cannot fit: at L = n = 65536 it would need 32 GiB, so that step runs blocks of one sample tile per thread (64 MiB
    /// on 2 threads, a 373 MB peak working set).
    /// </summary>
    public const long DefaultBudgetBytes = 256L << 20;

    /// <summary>
    /// The smallest input dimension at which <see cref="PairSchedule.Auto"/> caches: 16. Caching trades one tile product
    /// of depth d per pair (2d flops) — and, for a unit that keeps its activation's value instead of the pair channel
    /// (tanh, logistic: <see cref="INetworkModel{TSelf}.CutCount"/>), the activation's second evaluation — for about 16
    /// bytes of traffic per pair (written, read back). Since the cache runs in blocks that stay in the last-level cache
    /// (specs/performance.md §5) that traffic is cheap: measured on a 2-core Zen 4 (AVX-512 on 256-bit units), 2
    /// threads, L = n = 4096, ms per step streaming / cached (blocked), two alternating runs each (2026-12-06, night):
    /// d = 16 tanh 36.1, 35.1 / 25.8, 25.7, ReLU 20.8, 20.4 / 19.3, 18.9; d = 8 tanh 27.5, 27.7 / 21.2, 21.3, ReLU
    /// 13.0, 13.0 / 14.4, 14.2. From 16 up caching pays for both units; at 8 it loses for ReLU. (Before the blocks, when
    /// the whole L × n cache went through memory, the threshold was 32: on a Zen 5, d = 16 tanh 30.7–32.5 streaming
    /// against 29.5–34.4 cached, ReLU 18.8–19.1 against 22.1–23.7.)
    /// </summary>
    public const int AutoCacheMinimumDimension = 16;

    /// <summary>
    /// <paramref name="value"/> if it is a defined <see cref="PairSchedule"/>; otherwise an
    /// <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> and the value.
    /// </summary>
    internal static PairSchedule Require(PairSchedule value, string name) =>
        Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be Auto, Streaming or Cached; got {(int)value}.");
}
