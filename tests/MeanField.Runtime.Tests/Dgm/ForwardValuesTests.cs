using System.Globalization;
using MeanField.Dgm;

namespace MeanField.Runtime.Tests.Dgm;

/// <summary>
/// The values-only pass of read-outs (<c>ForwardValues</c>, specs/dgm.md §2.5): the MLP's value channel alone gives the
/// full forward pass's values to the bit, for any number of points (tiles of 64, a partial last one), with and without
/// time, both embeddings; it leaves the records of the last full pass as they were (a reverse pass after it gives the
/// same gradient) and allocates nothing; the gated network's fallback gives its full pass's values; bad spans are
/// refused naming the argument.
/// </summary>
public sealed class ForwardValuesTests
{
    private const int D = 3;

    private static double[] Times(int n, bool hasTime) => hasTime ? [.. Enumerable.Range(0, n).Select(i => 0.05 + (0.003 * i))] : [];

    private static double[] FullValues(ILaplacianNetwork net, double[] x, double[] t)
    {
        int n = x.Length / D;
        var u = new double[n];
        net.Forward(x, t, u, new double[D * n], new double[n], net.HasTime ? new double[n] : [], new double[net.WeightedLaplacians * n]);
        return u;
    }

    [Theory]
    [InlineData(true, false, 12, 3, 1)]
    [InlineData(true, false, 100, 3, 1000)]
    [InlineData(false, true, 7, 1, 65)]
    [InlineData(true, true, 12, 2, 130)]
    [InlineData(false, false, 20, 3, 64)]
    public void TheMlpsValuesAreTheFullPassValuesToTheBit(bool periodic, bool hasTime, int width, int depth, int n)
    {
        InputEmbedding embedding = periodic ? InputEmbedding.Periodic : InputEmbedding.Plain;
        var net = new LaplacianNetwork(D, width, depth, embedding, hasTime, seed: 5);
        double[] x = LaplacianNetworkTests.Points(n, D, embedding, 9), t = Times(n, hasTime);
        double[] expected = FullValues(net, x, t);
        var values = new double[n];
        net.ForwardValues(x, t, values);
        Assert.Equal(expected, values);
    }

    /// <summary>With weighted Laplacians the value channel is the same computation: the same bits.</summary>
    [Fact]
    public void WeightedLaplaciansDoNotChangeTheValues()
    {
        var net = new LaplacianNetwork(D, 12, 3, InputEmbedding.Periodic, hasTime: false, seed: 5, LaplacianNetworkTests.Directions.AsSpan(0, 2 * D));
        double[] x = LaplacianNetworkTests.Points(90, D, InputEmbedding.Periodic, 2);
        var values = new double[90];
        net.ForwardValues(x, [], values);
        Assert.Equal(FullValues(net, x, []), values);
    }

    /// <summary>A reverse pass after a values-only pass over other points gives the gradient of the last full pass.</summary>
    [Fact]
    public void TheLastFullPassesRecordsStay()
    {
        const int n = 150;
        var net = new LaplacianNetwork(D, 12, 3, InputEmbedding.Periodic, hasTime: true, seed: 11);
        double[] x = LaplacianNetworkTests.Points(n, D, InputEmbedding.Periodic, 3), t = Times(n, true);
        double[] u = new double[n], g = new double[D * n], l = new double[n], dt = new double[n];
        double[] Gradient()
        {
            var gradient = new double[net.ParameterCount];
            net.Backward(u, g, l, dt, gradient);
            return gradient;
        }

        net.Forward(x, t, u, g, l, dt);
        double[] expected = Gradient();
        net.Forward(x, t, u, g, l, dt);
        double[] other = LaplacianNetworkTests.Points(300, D, InputEmbedding.Periodic, 8);
        net.ForwardValues(other, Times(300, true), new double[300]);
        Assert.Equal(expected, Gradient());
    }

    /// <summary>After the first call, a values-only pass allocates 0 bytes (deterministic).</summary>
    [Fact]
    public void AllocatesNothing()
    {
        var net = new LaplacianNetwork(D, 12, 3, InputEmbedding.Periodic, hasTime: false, seed: 1);
        double[] x = LaplacianNetworkTests.Points(500, D, InputEmbedding.Periodic, 4);
        var values = new double[500];
        net.ForwardValues(x, [], values);
        Assert.Equal(0, SteadyAllocation.Bytes(() => net.ForwardValues(x, [], values)));
    }

    /// <summary>The gated network runs its full pass in batches of its last batch size: the values of one full pass over all the points.</summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 50)]
    public void TheGatedValuesAreItsFullPassValues(bool hasTime, int batchBefore)
    {
        const int n = 130;
        var net = new GatedLaplacianNetwork(D, 12, 2, InputEmbedding.Periodic, hasTime, seed: 7);
        double[] x = LaplacianNetworkTests.Points(n, D, InputEmbedding.Periodic, 6), t = Times(n, hasTime);
        double[] expected = FullValues(net, x, t);
        if (batchBefore > 0)
        {
            FullValues(net, x[..(batchBefore * D)], t[..(hasTime ? batchBefore : 0)]);
        }

        var values = new double[n];
        net.ForwardValues(x, t, values);
        Assert.Equal(expected, values);
    }

    /// <summary>Each bad span is refused with the argument's name and both counts, for both architectures.</summary>
    [Fact]
    public void RefusesBadInputs()
    {
        ILaplacianNetwork[] nets =
        [
            new LaplacianNetwork(D, 4, 1, InputEmbedding.Periodic, hasTime: true, seed: 1),
            new GatedLaplacianNetwork(D, 4, 1, InputEmbedding.Periodic, hasTime: true, seed: 1),
        ];
        const int n = 5;
        double[] x = new double[n * D], t = new double[n], u = new double[n];
        foreach (ILaplacianNetwork net in nets)
        {
            void Expect(string name, int length, int expected, Action action)
            {
                ArgumentException e = Assert.Throws<ArgumentException>(action);
                Assert.Equal(name, e.ParamName);
                Assert.Contains(length.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
                Assert.Contains(expected.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
            }

            Expect("points", 0, D, () => net.ForwardValues([], t, u));
            Expect("points", 7, D, () => net.ForwardValues(new double[7], t, u));
            Expect("times", 4, n, () => net.ForwardValues(x, new double[4], u));
            Expect("value", 6, n, () => net.ForwardValues(x, t, new double[6]));
        }

        var noTime = new LaplacianNetwork(D, 4, 1, InputEmbedding.Plain, hasTime: false, seed: 1);
        ArgumentException times = Assert.Throws<ArgumentException>(() => noTime.ForwardValues(x, t, u));
        Assert.Equal("times", times.ParamName);
    }
}
