using System.Runtime.CompilerServices;
using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.Concurrency;

/// <summary>
/// The concurrency contract (specs/reliability.md): one call at a time, enforced; a misuse is an
/// <see cref="InvalidOperationException"/>, never wrong numbers; <c>Dispose</c> during a call never blocks and never
/// hangs the call. Overlap is made deterministic with <see cref="GatedTanh.Hook"/> (an action run inside a call);
/// the stress tests bound every trial with a timeout, so a hang fails the test instead of hanging the run.
/// </summary>
public sealed class ConcurrencyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly SampleSet Data = TestData.Samples(130, 3, 11);

    [Fact]
    public void ASecondThreadIsRejectedAndTheRunningCallIsExact()
    {
        ParticleSet particles = GatedTanh.Particles(70, 3, 5);
        double expected = ReferenceLoss(particles);
        using var evaluator = new NetworkEvaluator<GatedTanh>(2);
        Exception? other = null;
        double otherLoss = double.NaN;
        GatedTanh.Hook = () => RunOnAnotherThread(() => otherLoss = evaluator.Loss(particles, Data), out other);

        double loss = evaluator.Loss(particles, Data);

        var error = Assert.IsType<InvalidOperationException>(other);
        Assert.Contains("NetworkEvaluator<GatedTanh> is already running a call on another thread", error.Message, StringComparison.Ordinal);
        Assert.Contains("not thread-safe", error.Message, StringComparison.Ordinal);
        Assert.True(double.IsNaN(otherLoss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(loss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(evaluator.Loss(particles, Data)));
    }

    [Fact]
    public void EveryEvaluatorEntryPointRejectsASecondThreadWithoutTouchingTheGradient()
    {
        ParticleSet particles = GatedTanh.Particles(70, 3, 5);
        ParticleSet expected = particles.Clone();
        double expectedLoss;
        using (var reference = new NetworkEvaluator<GatedTanh>(1))
        {
            expectedLoss = reference.WassersteinGradient(particles, Data, expected);
        }

        using var evaluator = new NetworkEvaluator<GatedTanh>(2);
        ParticleSet velocity = particles.Clone();
        ParticleSet otherVelocity = particles.Clone();
        var errors = new List<Exception?>();
        GatedTanh.Hook = () =>
        {
            var calls = new Action[]
            {
                () => evaluator.WassersteinGradient(particles, Data, otherVelocity),
                () => evaluator.Loss(particles, Data),
                () => evaluator.Predict(particles, Data, new double[Data.Count]),
                () => evaluator.Predict(particles, Data.Inputs.ToArray(), new double[Data.Count]),
                () => evaluator.FirstVariation(particles, Data, particles, new double[particles.Count]),
                () => evaluator.PairCacheBudgetBytes = 1 << 20,
                () => evaluator.Schedule = PairSchedule.Cached,
                () => evaluator.ValidateInputs = false,
            };
            foreach (Action call in calls)
            {
                RunOnAnotherThread(call, out Exception? error);
                errors.Add(error);
            }
        };

        double loss = evaluator.WassersteinGradient(particles, Data, velocity);

        Assert.Equal(8, errors.Count);
        Assert.All(errors, e => Assert.IsType<InvalidOperationException>(e));
        Assert.Equal(expectedLoss, loss);
        Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(velocity.Values));
        Assert.Equal(PairScheduleDefaults.DefaultBudgetBytes, evaluator.PairCacheBudgetBytes);
        Assert.Equal(PairSchedule.Auto, evaluator.Schedule);
        Assert.True(evaluator.ValidateInputs);
    }

    [Fact]
    public void AReentrantCallFromInsideACallIsRejected()
    {
        ParticleSet particles = GatedTanh.Particles(70, 3, 5);
        double expected = ReferenceLoss(particles);
        using var evaluator = new NetworkEvaluator<GatedTanh>(1);
        Exception? inner = null;
        GatedTanh.Hook = () => inner = Record.Exception(() => evaluator.Loss(particles, Data));

        double loss = evaluator.Loss(particles, Data);

        var error = Assert.IsType<InvalidOperationException>(inner);
        Assert.Contains("NetworkEvaluator<GatedTanh> is already running a call on this thread", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-entrant", error.Message, StringComparison.Ordinal);
        Assert.Equal(expected, loss);
    }

    [Fact]
    public void AProgressCallbackThatStepsIsRejectedAndTheStepCountIsIntact()
    {
        var options = new GradientFlowOptions { StepSize = 0.2, MaxSteps = 5, ThreadCount = 1 };
        ParticleSet expected = GatedTanh.Particles(40, 3, 9);
        using (var reference = new GradientFlow<GatedTanh>(expected, Data, options))
        {
            reference.Run();
        }

        var errors = new List<Exception?>();
        GradientFlow<GatedTanh>? flow = null;
        var progress = new MeanField.Samples.SynchronousProgress<GradientFlowProgress>(_ =>
        {
            errors.Add(Record.Exception(() => flow!.Step()));
            errors.Add(Record.Exception(() => flow!.Run()));
            errors.Add(Record.Exception(() => flow!.Loss()));
        });
        using (flow = new GradientFlow<GatedTanh>(GatedTanh.Particles(40, 3, 9), Data, options with { Progress = progress }))
        {
            GradientFlowResult result = flow.Run();

            Assert.Equal(5, result.StepsTaken);
            Assert.Equal(5, flow.StepsTaken);
            Assert.Equal([0, 1, 2, 3, 4, 5], flow.LossHistory.Select(p => p.Step));
            Assert.Equal(18, errors.Count);
            Assert.All(errors, e => Assert.Contains("GradientFlow<GatedTanh> is already running a call on this thread", Assert.IsType<InvalidOperationException>(e).Message, StringComparison.Ordinal));
            Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(flow.Particles.Values));
        }
    }

    [Fact]
    public void AnotherThreadIsRejectedByARunningFlow()
    {
        var options = new GradientFlowOptions { StepSize = 0.2, MaxSteps = 3, ThreadCount = 1 };
        Exception? other = null;
        int stepsSeen = -1;
        GradientFlow<GatedTanh>? flow = null;
        var progress = new MeanField.Samples.SynchronousProgress<GradientFlowProgress>(p =>
        {
            if (p.Step == 1)
            {
                RunOnAnotherThread(() => flow!.Step(), out other);
                stepsSeen = flow!.StepsTaken;
            }
        });
        using (flow = new GradientFlow<GatedTanh>(GatedTanh.Particles(40, 3, 9), Data, options with { Progress = progress }))
        {
            flow.Run();
            Assert.Contains("GradientFlow<GatedTanh> is already running a call on another thread", Assert.IsType<InvalidOperationException>(other).Message, StringComparison.Ordinal);
            Assert.Equal(1, stepsSeen);
            Assert.Equal(3, flow.StepsTaken);
        }
    }

    [Fact]
    public void DisposeDuringACallDoesNotBlockAndTheCallFinishesExactly()
    {
        ParticleSet particles = GatedTanh.Particles(70, 3, 5);
        double expected = ReferenceLoss(particles);
        var evaluator = new NetworkEvaluator<GatedTanh>(2);
        IReadOnlyList<Thread> workers = evaluator.Pool.Threads;
        Exception? disposeError = null;
        GatedTanh.Hook = () => RunOnAnotherThread(evaluator.Dispose, out disposeError);

        double loss = evaluator.Loss(particles, Data);

        Assert.Null(disposeError);
        Assert.Equal(expected, loss);
        var disposed = Assert.Throws<ObjectDisposedException>(() => evaluator.Loss(particles, Data));
        Assert.Equal("NetworkEvaluator<GatedTanh>", disposed.ObjectName);
        Assert.All(workers, t => Assert.True(t.Join(Patience), "a worker thread outlived Dispose"));
    }

    [Fact]
    public void DisposeFromInsideACallIsDeferredToTheCallsEnd()
    {
        ParticleSet particles = GatedTanh.Particles(70, 3, 5);
        double expected = ReferenceLoss(particles);
        var evaluator = new NetworkEvaluator<GatedTanh>(2);
        IReadOnlyList<Thread> workers = evaluator.Pool.Threads;
        GatedTanh.Hook = evaluator.Dispose;

        Assert.Equal(expected, evaluator.Loss(particles, Data));
        Assert.Throws<ObjectDisposedException>(() => evaluator.Predict(particles, Data, new double[Data.Count]));
        Assert.All(workers, t => Assert.True(t.Join(Patience)));
    }

    [Fact]
    public void DisposingAFlowFromItsCallbackStopsTheRunAtAStepBoundary()
    {
        var options = new GradientFlowOptions { StepSize = 0.2, MaxSteps = 10, ThreadCount = 2 };
        ParticleSet expected = GatedTanh.Particles(40, 3, 9);
        using (var reference = new GradientFlow<GatedTanh>(expected, Data, options with { MaxSteps = 4 }))
        {
            reference.Run();
        }

        GradientFlow<GatedTanh>? flow = null;
        var progress = new MeanField.Samples.SynchronousProgress<GradientFlowProgress>(p =>
        {
            if (p.Step == 3)
            {
                // Reported at the start of step 3 (the loss before it): that step completes, then the run stops.
                flow!.Dispose();
            }
        });
        flow = new GradientFlow<GatedTanh>(GatedTanh.Particles(40, 3, 9), Data, options with { Progress = progress });
        var error = Assert.Throws<ObjectDisposedException>(() => flow.Run());
        Assert.Equal("GradientFlow<GatedTanh>", error.ObjectName);
        Assert.Contains("stopped after step 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, flow.StepsTaken);
        Assert.Equal(TestData.Bits(expected.Values), TestData.Bits(flow.Particles.Values));
        Assert.Throws<ObjectDisposedException>(() => flow.Step());
        Assert.Equal(4, flow.StepsTaken);
    }

    /// <summary>
    /// Dispose at a random moment of a running gradient call, many times: the call either completes with the exact
    /// result or (when it starts after the Dispose) throws ObjectDisposedException; nothing hangs, workers exit.
    /// </summary>
    [Fact]
    public void DisposeRacingCallsNeverHangsAndNeverGivesWrongNumbers()
    {
        ParticleSet particles = TestData.TanhParticles(70, 3, 5);
        ParticleSet expected = particles.Clone();
        double expectedLoss;
        using (var reference = new NetworkEvaluator<TanhRidge>(1))
        {
            expectedLoss = reference.WassersteinGradient(particles, Data, expected);
        }

        long[] expectedBits = TestData.Bits(expected.Values);
        var random = new Random(1234);
        int completed = 0;
        int rejected = 0;
        for (int trial = 0; trial < 190; trial++)
        {
            var evaluator = new NetworkEvaluator<TanhRidge>(2);
            IReadOnlyList<Thread> workers = evaluator.Pool.Threads;
            int delay = random.Next(0, 20_000);
            bool twoDisposers = trial >= 150; // the last 40 trials race two Dispose calls against each other too
            using var start = new Barrier(twoDisposers ? 3 : 2);
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            var caller = new Thread(() =>
            {
                var velocity = particles.Clone();
                for (int call = 0; call < 3; call++)
                {
                    if (call == 1)
                    {
                        start.SignalAndWait(); // call 0 warms the buffers up undisturbed; calls 1 and 2 race the Dispose
                    }

                    try
                    {
                        double loss = evaluator.WassersteinGradient(particles, Data, velocity);
                        if (loss != expectedLoss || !expectedBits.SequenceEqual(TestData.Bits(velocity.Values)))
                        {
                            failures.Enqueue(new InvalidOperationException($"call {call}: wrong numbers"));
                        }

                        Interlocked.Increment(ref completed);
                    }
                    catch (ObjectDisposedException e) when (e.ObjectName == "NetworkEvaluator<TanhRidge>")
                    {
                        Interlocked.Increment(ref rejected);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                }
            });
            Thread Disposer() => new(() =>
            {
                start.SignalAndWait();
                Thread.SpinWait(delay);
                evaluator.Dispose();
            });
            Thread[] threads = twoDisposers ? [caller, Disposer(), Disposer()] : [caller, Disposer()];
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            Assert.All(threads, t => Assert.True(t.Join(Patience), $"trial {trial}: a call or Dispose hung"));
            Assert.Empty(failures);
            Assert.All(workers, t => Assert.True(t.Join(Patience), $"trial {trial}: a worker thread did not exit"));
        }

        Assert.Equal(190 * 3, completed + rejected);
        Assert.True(completed >= 190);
    }

    /// <summary>An evaluator that is never disposed is collected (its workers do not root it) and its workers exit.</summary>
    [Fact]
    public void AnUndisposedEvaluatorReleasesItsWorkersWhenCollected()
    {
        (WeakReference evaluator, IReadOnlyList<Thread> workers) = AbandonEvaluator();
        for (int attempt = 0; attempt < 10 && evaluator.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(evaluator.IsAlive, "the evaluator was kept alive (by its worker threads?)");
        Assert.NotEmpty(workers);
        Assert.All(workers, t => Assert.True(t.Join(Patience), "a worker thread outlived its collected evaluator"));
    }

    /// <summary>The same for a flow that is never disposed (its call guard and evaluator do not root it either).</summary>
    [Fact]
    public void AnUndisposedFlowReleasesItsWorkersWhenCollected()
    {
        (WeakReference flow, IReadOnlyList<Thread> workers) = AbandonFlow();
        for (int attempt = 0; attempt < 10 && flow.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(flow.IsAlive, "the flow was kept alive");
        Assert.NotEmpty(workers);
        Assert.All(workers, t => Assert.True(t.Join(Patience), "a worker thread outlived its collected flow"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Flow, IReadOnlyList<Thread> Workers) AbandonFlow()
    {
        var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(70, 3, 5), Data, new GradientFlowOptions { ThreadCount = 2, MaxSteps = 2 });
        flow.Run();
        return (new WeakReference(flow), flow.Evaluator.Pool.Threads);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Evaluator, IReadOnlyList<Thread> Workers) AbandonEvaluator()
    {
        var evaluator = new NetworkEvaluator<TanhRidge>(3);
        ParticleSet particles = TestData.TanhParticles(70, 3, 5);
        ParticleSet velocity = particles.Clone();
        evaluator.WassersteinGradient(particles, Data, velocity);
        return (new WeakReference(evaluator), evaluator.Pool.Threads);
    }

    private static double ReferenceLoss(ParticleSet particles)
    {
        using var reference = new NetworkEvaluator<GatedTanh>(1);
        return reference.Loss(particles, Data);
    }

    /// <summary>Runs <paramref name="action"/> on a new thread and waits for it (bounded), keeping its exception.</summary>
    private static void RunOnAnotherThread(Action action, out Exception? error)
    {
        Exception? caught = null;
        var thread = new Thread(() => caught = Record.Exception(action));
        thread.Start();
        Assert.True(thread.Join(Patience), "the other thread hung");
        error = caught;
    }
}
