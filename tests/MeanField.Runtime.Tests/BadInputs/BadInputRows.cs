using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>The rows of the bad-input matrix, one partial file per area; <see cref="All"/> lists them.</summary>
internal static partial class BadInputRows
{
    private const string Evaluator = "NetworkEvaluator<GatedTanh>";
    private const string Flow = "GradientFlow<GatedTanh>";

    /// <summary>The message of a flat-array NaN/∞: e.g. <c>particles.Values[24] (vector parameter 'w' of particle 1, component 1) is NaN</c>.</summary>
    private const string BadParticle = "Values[24] (vector parameter 'w' of particle 1, component 1) is ";

    public static IEnumerable<BadInputRow> All() =>
        EvaluatorRows().Concat(FlowRows()).Concat(OptionsRows()).Concat(StorageRows()).Concat(ContractRows()).Concat(FileRows()).Concat(InteractionRows()).Concat(DynamicsRows()).Concat(PdeRows()).Concat(ClusteringRows()).Concat(DgmRows());

    private static BadInputRow Row<TException>(string member, string @case, string? paramName, string[] message, Action<BadInputWorld> act)
        where TException : Exception
        => new(member, @case, typeof(TException), paramName, message, act);

    /// <summary>Disposed, re-entrant and concurrent use of an evaluator member.</summary>
    private static IEnumerable<BadInputRow> EvaluatorUse(string member, Action<BadInputWorld> act)
    {
        yield return Row<ObjectDisposedException>(member, "after Dispose", Evaluator, ["has been disposed"], act) with { Arrange = w => w.Evaluator.Dispose() };
        yield return Row<InvalidOperationException>(member, "re-entrant, from inside a running call", null, [Evaluator + " is already running a call on this thread", "not thread-safe"], act) with { Mode = CallMode.InsideEvaluatorCall };
        yield return Row<InvalidOperationException>(member, "from another thread during a call", null, [Evaluator + " is already running a call on another thread", "not thread-safe"], act) with { Mode = CallMode.OtherThreadDuringEvaluatorCall };
    }

    /// <summary>Disposed, re-entrant and concurrent use of a flow member, and particles made non-finite outside the flow.</summary>
    private static IEnumerable<BadInputRow> FlowUse(string member, Action<BadInputWorld> act, bool checksParticles = true)
    {
        yield return Row<ObjectDisposedException>(member, "after Dispose", Flow, ["has been disposed"], act) with { Arrange = w => w.Flow.Dispose() };
        yield return Row<InvalidOperationException>(member, "re-entrant, from the progress callback", null, [Flow + " is already running a call on this thread", "re-entrant"], act) with { Mode = CallMode.InsideFlowCall };
        yield return Row<InvalidOperationException>(member, "from another thread during a step", null, [Flow + " is already running a call on another thread", "not thread-safe"], act) with { Mode = CallMode.OtherThreadDuringFlowCall };
        if (!checksParticles)
        {
            yield break;
        }

        yield return Row<InvalidOperationException>(member, "particles made NaN outside the flow", null, ["Particles." + BadParticle + "NaN", "changed outside the flow after step 0"], act)
            with { Arrange = w => w.Flow.Particles.Values[BadInputWorld.BadIndex] = double.NaN };
    }

    private static ParticleSet Gated(int n, int d) => ParticleSet.Create<GatedTanh>(n, d);
}
