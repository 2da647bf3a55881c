namespace MeanField.Generators.Symbolic;

/// <summary>Deterministic hashing (string.GetHashCode is randomised per process; generated code must not be).</summary>
internal static class StableHash
{
    /// <summary>Mixes <paramref name="value"/> into <paramref name="seed"/>.</summary>
    /// <param name="seed">The running hash.</param>
    /// <param name="value">The value to add.</param>
    /// <returns>The new hash.</returns>
    public static int Combine(int seed, int value)
    {
        unchecked
        {
            var h = (uint)seed ^ ((uint)value + 0x9E3779B9u + ((uint)seed << 6) + ((uint)seed >> 2));
            h ^= h >> 15;
            h *= 0x2C1B3C6Du;
            h ^= h >> 12;
            return (int)h;
        }
    }

    /// <summary>FNV-1a of a string's UTF-16 code units.</summary>
    /// <param name="text">The string.</param>
    /// <returns>Its hash.</returns>
    public static int Of(string text)
    {
        unchecked
        {
            var h = 2166136261u;
            foreach (var c in text)
            {
                h = (h ^ c) * 16777619u;
            }

            return (int)h;
        }
    }

    /// <summary>Hash of a double's bit pattern.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its hash.</returns>
    public static int Of(double value)
    {
        var bits = System.BitConverter.DoubleToInt64Bits(value);
        return unchecked((int)bits ^ (int)(bits >> 32));
    }
}
