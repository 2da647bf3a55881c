namespace MeanField;

/// <summary>
/// Structural comparison of layouts: the generator may return a new <see cref="NetworkLayout"/> from each
/// <c>TModel.Layout</c> call, so two layouts are the same model's when their names, parameters and channels agree.
/// </summary>
internal static class LayoutComparer
{
    public static bool Equivalent(NetworkLayout a, NetworkLayout b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        return a.ModelName == b.ModelName
            && a.UsesSquaredNormOfInput == b.UsesSquaredNormOfInput
            && a.HasRegularizer == b.HasRegularizer
            && SameItems(a.ScalarParameters, b.ScalarParameters)
            && SameItems(a.VectorParameters, b.VectorParameters)
            && SameItems(a.ParticleChannels, b.ParticleChannels)
            && SameItems(a.PairChannels, b.PairChannels);
    }

    private static bool SameItems<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
