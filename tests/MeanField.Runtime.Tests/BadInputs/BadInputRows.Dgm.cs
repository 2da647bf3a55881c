using System.Globalization;
using MeanField.Dgm;
using MeanField.Models;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>
/// The Deep Galerkin trainer's entry points (specs/dgm.md §5): the constructor's ranges, the solution's shapes and
/// coordinates, the checkpoint's paths and files. Every single-byte corruption and the checkpoints of another
/// configuration are DgmCheckpointTests'; these rows put the contract in the matrix every entry point is listed in.
/// </summary>
internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> DgmRows() => ErgodicDgmRows().Concat(FiniteHorizonDgmRows());

    private static IEnumerable<BadInputRow> ErgodicDgmRows()
    {
        const string Ctor = "ErgodicDgmTrainer`1..ctor(Int32, Int32, Int32, UInt64, Double, Double, Double, Int32, DgmArchitecture, Double, Double, Double)";
        foreach ((string name, int value, Action make) in new (string, int, Action)[]
        {
            ("width", 0, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(0, 2, 8, 1)),
            ("width", 4097, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(4097, 2, 8, 1)),
            ("depth", 0, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 0, 8, 1)),
            ("depth", 65, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 65, 8, 1)),
            ("batch", 0, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 0, 1)),
            ("batch", -5, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, -5, 1)),
            ("threads", 0, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, threads: 0)),
            ("threads", 3, () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, threads: 3)),
        })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Ctor, $"{name} {text}", name, [name, "got " + text], _ => make());
        }

        foreach ((string name, double value) in new[]
        {
            ("learningRate", 0.0), ("learningRate", double.NaN), ("lambdaLearningRate", -1e-3), ("lambdaLearningRate", double.PositiveInfinity),
            ("decay", 0.0), ("decay", 1.5), ("decay", double.NaN),
            ("densityFraction", -0.1), ("densityFraction", 1.0), ("densityFraction", double.NaN),
            ("proposalStep", 0.0), ("proposalStep", 0.6), ("proposalStep", double.NaN),
            ("normalisationAverage", 0.0), ("normalisationAverage", 1.5), ("normalisationAverage", double.NaN),
        })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            Action make = name switch
            {
                "learningRate" => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, learningRate: value),
                "lambdaLearningRate" => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, lambdaLearningRate: value),
                "densityFraction" => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, densityFraction: value),
                "proposalStep" => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, densityFraction: 0.5, proposalStep: value),
                "normalisationAverage" => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, normalisationAverage: value),
                _ => () => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, decay: value),
            };
            yield return Row<ArgumentOutOfRangeException>(Ctor, $"{name} {text}", name, [name, "got " + text], _ => make());
        }

        yield return Row<ArgumentOutOfRangeException>(
            Ctor, "densityFraction 0.75 of a batch of 2", "densityFraction", ["densityFraction 0.75 of a batch of 2 leaves no uniform point"], w => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 2, 1, densityFraction: 0.75));
        yield return Row<NotSupportedException>(Ctor, "a game with a mean control", null, ["CrowdTradingGame has a mean control"], w => _ = new ErgodicDgmTrainer<CrowdTradingGame>(8, 2, 8, 1));
        yield return Row<ArgumentOutOfRangeException>(Ctor, "architecture 7", "architecture", ["architecture must be Mlp or Gated", "got 7"], w => _ = new ErgodicDgmTrainer<ExplicitErgodicGame>(8, 2, 8, 1, architecture: (DgmArchitecture)7));

        const string Solution = "ErgodicDgmTrainer`1.Solution(ReadOnlySpan<Double>, Span<Double>, Span<Double>)";
        static ErgodicDgmTrainer<ExplicitErgodicGame2D> Trainer2D() => new(4, 1, 8, 1);
        yield return Row<ArgumentException>(Solution, "no points", "points", ["points has 0 values", "multiple of d = 2"], _ => Trainer2D().Solution([], [], []));
        yield return Row<ArgumentException>(Solution, "points of odd length in 2-D", "points", ["points has 3 values", "multiple of d = 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3], new double[1], new double[1]));
        yield return Row<ArgumentException>(Solution, "u too short", "u", ["u has length 1", "one value per point, 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], new double[1], new double[2]));
        yield return Row<ArgumentException>(Solution, "m too long", "m", ["m has length 3", "one value per point, 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], new double[2], new double[3]));
        foreach (double bad in new[] { double.NaN, double.NegativeInfinity })
        {
            string text = bad.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentException>(Solution, "points[3] " + text, "points", ["points[3] (point 1, coordinate 1) is " + text, "finite"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, bad], new double[2], new double[2]));
        }

        const string Norms = "ErgodicDgmTrainer`1.ResidualNorms(ReadOnlySpan<Double>)";
        yield return Row<ArgumentException>(Norms, "no points", "points", ["points has 0 values", "multiple of d = 2"], _ => Trainer2D().ResidualNorms([]));
        yield return Row<ArgumentException>(Norms, "points[0] NaN", "points", ["points[0] (point 0, coordinate 0) is NaN", "finite"], _ => Trainer2D().ResidualNorms([double.NaN, 0.5]));
        const string Weighted = "ErgodicDgmTrainer`1.WeightedLambda(ReadOnlySpan<Double>)";
        yield return Row<ArgumentException>(Weighted, "no points", "points", ["points has 0 values", "multiple of d = 2"], _ => Trainer2D().WeightedLambda([]));
        yield return Row<ArgumentException>(Weighted, "points of odd length in 2-D", "points", ["points has 3 values", "multiple of d = 2"], _ => Trainer2D().WeightedLambda([0.1, 0.2, 0.3]));
        yield return Row<ArgumentException>(Weighted, "points[1] +∞", "points", ["points[1] (point 0, coordinate 1) is Infinity", "finite"], _ => Trainer2D().WeightedLambda([0.1, double.PositiveInfinity]));
        const string WeightedMass = "ErgodicDgmTrainer`1.WeightedLambda(ReadOnlySpan<Double>, Double)";
        yield return Row<ArgumentOutOfRangeException>(WeightedMass, "meanMass 0", "meanMass", ["meanMass is 0", "finite and positive"], _ => Trainer2D().WeightedLambda([0.1, 0.2], 0));
        yield return Row<ArgumentOutOfRangeException>(WeightedMass, "meanMass NaN", "meanMass", ["meanMass is NaN", "finite and positive"], _ => Trainer2D().WeightedLambda([0.1, 0.2], double.NaN));
        yield return Row<ArgumentException>(WeightedMass, "no points", "points", ["points has 0 values", "multiple of d = 2"], _ => Trainer2D().WeightedLambda([], 1));

        FileFixtures f = FileFixtures.Instance;
        const string Save = "ErgodicDgmTrainer`1.SaveCheckpoint(String)";
        yield return Row<ArgumentNullException>(Save, "path null", "path", ["path"], _ => Trainer2D().SaveCheckpoint(null!));
        yield return Row<ArgumentException>(Save, "path blank", "path", ["blank"], _ => Trainer2D().SaveCheckpoint(" "));
        yield return Row<ArgumentException>(Save, "path is a directory", "path", [f.Directory, "is a directory"], _ => Trainer2D().SaveCheckpoint(f.Directory));
        yield return Row<DirectoryNotFoundException>(Save, "directory missing", null, [f.MissingDirectoryFile, "does not exist"], _ => Trainer2D().SaveCheckpoint(f.MissingDirectoryFile));

        const string Load = "ErgodicDgmTrainer`1.LoadCheckpoint(String)";
        yield return Row<ArgumentNullException>(Load, "path null", "path", ["path"], _ => Trainer2D().LoadCheckpoint(null!));
        yield return Row<ArgumentException>(Load, "path blank", "path", ["blank"], _ => Trainer2D().LoadCheckpoint("\t"));
        yield return Row<FileNotFoundException>(Load, "no file", null, [f.Missing], _ => Trainer2D().LoadCheckpoint(f.Missing));
        yield return Row<InvalidDataException>(Load, "an empty file", null, [f.Empty, "empty"], _ => Trainer2D().LoadCheckpoint(f.Empty));
        yield return Row<InvalidDataException>(Load, "a particle file (another format)", null, [f.Corrupt, "MFDG"], _ => Trainer2D().LoadCheckpoint(f.Corrupt));
    }

    private static IEnumerable<BadInputRow> FiniteHorizonDgmRows()
    {
        const string Ctor = "FiniteHorizonDgmTrainer`1..ctor(Double, Int32, Int32, Int32, UInt64, Int32, Double, Double, Double, Double, Int32, Double, Boolean, DgmArchitecture)";
        foreach ((string name, int value, Action make) in new (string, int, Action)[]
        {
            ("width", 0, () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 0, 2, 8, 1)),
            ("depth", 65, () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 65, 8, 1)),
            ("batch", 0, () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 0, 1)),
            ("boundaryBatch", -1, () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, boundaryBatch: -1)),
            ("threads", 3, () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, threads: 3)),
        })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(Ctor, $"{name} {text}", name, [name, "got " + text], _ => make());
        }

        foreach ((string name, double value) in new[]
        {
            ("horizon", 0.0), ("horizon", double.NaN), ("horizon", double.PositiveInfinity), ("terminalWeight", -1.0), ("initialWeight", 0.0),
            ("learningRate", double.NaN), ("decay", 1.5), ("length", 0.0), ("length", double.NegativeInfinity),
        })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            Action make = name switch
            {
                "horizon" => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(value, 8, 2, 8, 1),
                "terminalWeight" => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, terminalWeight: value),
                "initialWeight" => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, initialWeight: value),
                "learningRate" => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, learningRate: value),
                "length" => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, length: value),
                _ => () => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, decay: value),
            };
            yield return Row<ArgumentOutOfRangeException>(Ctor, $"{name} {text}", name, [name, "got " + text], _ => make());
        }

        yield return Row<ArgumentException>(Ctor, "a mean-control game's batch not a multiple of 64", "batch", ["batch is 100", "CrowdTradingGame has a mean control", "multiple of 64"], w => _ = new FiniteHorizonDgmTrainer<CrowdTradingGame>(1, 8, 2, 100, 1));

        yield return Row<ArgumentOutOfRangeException>(Ctor, "architecture -1", "architecture", ["architecture must be Mlp or Gated", "got -1"], w => _ = new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 8, 2, 8, 1, architecture: (DgmArchitecture)(-1)));

        const string MeanControl = "FiniteHorizonDgmTrainer`1.MeanControl(Double, Int32)";
        static FiniteHorizonDgmTrainer<CrowdTradingGame> Crowd() => new(1, 4, 1, 64, 1, length: 5, periodic: false);
        foreach (double bad in new[] { -0.5, 1.5, double.NaN })
        {
            string text = bad.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentOutOfRangeException>(MeanControl, "time " + text, "time", ["time must be in [0, T = 1]", "got " + text], _ => Crowd().MeanControl(bad));
        }

        yield return Row<ArgumentOutOfRangeException>(MeanControl, "points 4", "points", ["points (quadrature points) must be between 8", "got 4"], _ => Crowd().MeanControl(0.5, 4));
        yield return Row<InvalidOperationException>(MeanControl, "a game without a mean control", null, ["ExplicitErgodicGame has no mean control"], _ => new FiniteHorizonDgmTrainer<ExplicitErgodicGame>(1, 4, 1, 8, 1).MeanControl(0.5));

        const string Solution = "FiniteHorizonDgmTrainer`1.Solution(ReadOnlySpan<Double>, ReadOnlySpan<Double>, Span<Double>, Span<Double>)";
        static FiniteHorizonDgmTrainer<ExplicitErgodicGame2D> Trainer2D() => new(0.5, 4, 1, 8, 1);
        yield return Row<ArgumentException>(Solution, "no points", "points", ["points has 0 values", "multiple of d = 2"], _ => Trainer2D().Solution([], [], [], []));
        yield return Row<ArgumentException>(Solution, "times too short", "times", ["times has length 1", "one value per point, 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], [0.1], new double[2], new double[2]));
        yield return Row<ArgumentException>(Solution, "u too short", "u", ["u has length 1", "one value per point, 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], [0.1, 0.2], new double[1], new double[2]));
        yield return Row<ArgumentException>(Solution, "m too long", "m", ["m has length 3", "one value per point, 2"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], [0.1, 0.2], new double[2], new double[3]));
        yield return Row<ArgumentException>(Solution, "points[2] NaN", "points", ["points[2] (point 1, coordinate 0) is NaN", "finite"], _ => Trainer2D().Solution([0.1, 0.2, double.NaN, 0.4], [0.1, 0.2], new double[2], new double[2]));
        foreach (double bad in new[] { -0.1, 0.6, double.NaN })
        {
            string text = bad.ToString(CultureInfo.InvariantCulture);
            yield return Row<ArgumentException>(Solution, "times[1] " + text, "times", ["times[1] is " + text, "[0, T = 0.5]"], _ => Trainer2D().Solution([0.1, 0.2, 0.3, 0.4], [0.1, bad], new double[2], new double[2]));
        }

        FileFixtures f = FileFixtures.Instance;
        const string Save = "FiniteHorizonDgmTrainer`1.SaveCheckpoint(String)";
        yield return Row<ArgumentNullException>(Save, "path null", "path", ["path"], _ => Trainer2D().SaveCheckpoint(null!));
        yield return Row<ArgumentException>(Save, "path is a directory", "path", [f.Directory, "is a directory"], _ => Trainer2D().SaveCheckpoint(f.Directory));

        const string Load = "FiniteHorizonDgmTrainer`1.LoadCheckpoint(String)";
        yield return Row<ArgumentException>(Load, "path blank", "path", ["blank"], _ => Trainer2D().LoadCheckpoint("\t"));
        yield return Row<FileNotFoundException>(Load, "no file", null, [f.Missing], _ => Trainer2D().LoadCheckpoint(f.Missing));
        yield return Row<InvalidDataException>(Load, "a particle file (another format)", null, [f.Corrupt, "MFDG"], _ => Trainer2D().LoadCheckpoint(f.Corrupt));
    }
}
