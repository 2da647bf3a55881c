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
    /// The smallest input dimension at which <see cref="PairSchedule.Auto"/> caches: 32. Caching trades one tile product
    /// of depth d per pair (2d flops) — and, for a unit that keeps its activation's value instead of the pair channel
    /// (tanh, logistic: <see cref="INetworkModel{TSelf}.CutCount"/>), the activation's second evaluation — for about 24
    /// bytes of memory traffic per pair (written, read for ownership, read back). Measured on a 2-core Zen 5 (AVX-512),
    /// 2 threads, ms per step streaming / cached, two alternating runs each (2026-12-06, after the kept values):
    /// tanh L = n = 4096: d = 16 37.6–38.4 / 34.9–38.7, d = 32 46.6–47.8 / 38.2–39.6; tanh (16384, 32, 1024) 49.8–50.4 /
    /// 39.3–50.7; ReLU L = n = 4096: d = 16 23.6–26.3 / 28.5–31.6, d = 32 38.2–41.1 / 35.7–36.4; ReLU (16384, 32, 1024)
    /// 42.5–42.9 / 34.2–38.8. Again after the operators took their inputs in registers (both schedules faster): tanh
    /// d = 16 30.7–32.5 / 29.5–34.4, d = 32 38.0 / 31.6–32.2; ReLU d = 16 18.8–19.1 / 22.1–23.7, d = 32 31.6–34.8 /
    /// 29.7–33.1, (16384, 32, 1024) 32.9–33.1 / 28.6–28.9.
    /// From 32 up caching pays for both; at 16 it loses for ReLU and ties for tanh. (Before the
    /// kept values, another day: tanh L = n = 4096, d = 32 34.7 / 36.4, d = 64 48.4 / 47.1, d = 256 142.5 / 107.4.)
    /// </summary>
    public const int AutoCacheMinimumDimension = 32;

    /// <summary>
    /// <paramref name="value"/> if it is a defined <see cref="PairSchedule"/>; otherwise an
    /// <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> and the value.
    /// </summary>
    internal static PairSchedule Require(PairSchedule value, string name) =>
        Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be Auto, Streaming or Cached; got {(int)value}.");
}
