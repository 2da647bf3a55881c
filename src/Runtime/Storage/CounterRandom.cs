namespace MeanField;

/// <summary>
/// Counter-based pseudo-random numbers: every value is a pure function of (key, counter), so a
/// particle's initial value depends only on the seed, the parameter and its own index, never on the
/// thread that fills it or on how many particles there are.
/// </summary>
internal static class CounterRandom
{
    /// <summary>Steele–Lea–Flood splitmix64 finaliser (a bijection on 64-bit words).</summary>
    public static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>The stream key of one parameter (by its ordinal in the particle layout) for a seed.</summary>
    public static ulong StreamKey(ulong seed, int parameter) => SplitMix64(SplitMix64(seed) ^ ((ulong)(uint)parameter * 0xD1B54A32D192ED03UL));

    /// <summary>A uniform double in (0, 1] with 53 random bits.</summary>
    public static double Uniform(ulong key, ulong counter) => ((SplitMix64(key + SplitMix64(counter)) >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value by Box–Muller from the counters 2·counter and 2·counter + 1.</summary>
    public static double Normal(ulong key, ulong counter)
    {
        double u1 = Uniform(key, 2 * counter);
        double u2 = Uniform(key, (2 * counter) + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
