using MeanField.Runtime.Tests.TestModels;

namespace MeanField.Runtime.Tests.BadInputs;

/// <summary>
/// The file entry points (ParticleSet.Save/Load, GradientFlow.Resume, GradientFlowOptions.CheckpointPath): bad paths,
/// missing, empty, corrupt and truncated files, files of another kind or model, and resumes on other data or another
/// step size. Links, FIFOs and every single-bit flip are the checkpoint tests' (Storage/CheckpointPathTests.cs,
/// Storage/ParticleFileTests.cs); these rows put the same contract in the one matrix every entry point is listed in.
/// </summary>
internal static partial class BadInputRows
{
    private static IEnumerable<BadInputRow> FileRows()
    {
        FileFixtures f = FileFixtures.Instance;

        const string Save = "ParticleSet.Save(String)";
        yield return Row<ArgumentNullException>(Save, "path null", "path", ["path"], w => w.Particles.Save(null!));
        yield return Row<ArgumentException>(Save, "path empty", "path", ["blank"], w => w.Particles.Save(""));
        yield return Row<ArgumentException>(Save, "path blank", "path", ["blank", "'   '"], w => w.Particles.Save("   "));
        yield return Row<ArgumentException>(Save, "path is a directory", "path", [f.Directory, "is a directory"], w => w.Particles.Save(f.Directory));
        yield return Row<DirectoryNotFoundException>(Save, "directory missing", null, [f.MissingDirectoryFile, "does not exist"], w => w.Particles.Save(f.MissingDirectoryFile));

        const string SaveCheckpoint = "GradientFlow`1.SaveCheckpoint(String)";
        yield return Row<ArgumentException>(SaveCheckpoint, "path blank", "path", ["blank"], w => w.Flow.SaveCheckpoint(" "));
        yield return Row<ArgumentException>(SaveCheckpoint, "path is a directory", "path", [f.Directory, "is a directory"], w => w.Flow.SaveCheckpoint(f.Directory));
        yield return Row<DirectoryNotFoundException>(SaveCheckpoint, "directory missing", null, [f.MissingDirectoryFile, "does not exist"], w => w.Flow.SaveCheckpoint(f.MissingDirectoryFile));

        const string Load = "ParticleSet.Load(String)";
        yield return Row<ArgumentNullException>(Load, "path null", "path", ["path"], w => ParticleSet.Load(null!));
        yield return Row<ArgumentException>(Load, "path blank", "path", ["blank"], w => ParticleSet.Load(" \t"));
        yield return Row<FileNotFoundException>(Load, "no file", null, [f.Missing], w => ParticleSet.Load(f.Missing));
        yield return Row<InvalidDataException>(Load, "a directory", null, [f.Directory, "directory"], w => ParticleSet.Load(f.Directory));
        yield return Row<InvalidDataException>(Load, "an empty file", null, [f.Empty, "empty"], w => ParticleSet.Load(f.Empty));
        yield return Row<InvalidDataException>(Load, "one bit flipped", null, [f.Corrupt], w => ParticleSet.Load(f.Corrupt));
        yield return Row<InvalidDataException>(Load, "truncated to half", null, [f.Truncated], w => ParticleSet.Load(f.Truncated));

        const string Resume = "GradientFlow`1.Resume(String, SampleSet, GradientFlowOptions, Boolean)";
        yield return Row<ArgumentNullException>(Resume, "path null", "path", ["path"], w => GradientFlow<GatedTanh>.Resume(null!, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "data null", "data", ["data"], w => GradientFlow<GatedTanh>.Resume(f.Checkpoint, null!, w.Options).Dispose());
        yield return Row<ArgumentNullException>(Resume, "options null", "options", ["options"], w => GradientFlow<GatedTanh>.Resume(f.Checkpoint, w.Samples, null!).Dispose());
        yield return Row<ArgumentException>(Resume, "path blank", "path", ["blank"], w => GradientFlow<GatedTanh>.Resume("  ", w.Samples, w.Options).Dispose());
        yield return Row<FileNotFoundException>(Resume, "no file", null, [f.Missing], w => GradientFlow<GatedTanh>.Resume(f.Missing, w.Samples, w.Options).Dispose());
        yield return Row<InvalidDataException>(Resume, "one bit flipped", null, [f.Corrupt], w => GradientFlow<GatedTanh>.Resume(f.Corrupt, w.Samples, w.Options).Dispose());
        yield return Row<InvalidDataException>(Resume, "a particle file without flow state", null, [f.ParticlesOnly, "no flow state"], w => GradientFlow<GatedTanh>.Resume(f.ParticlesOnly, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentException>(Resume, "another model's checkpoint", "path", ["TanhRidge", "GatedTanh"], w => GradientFlow<GatedTanh>.Resume(f.OtherModelCheckpoint, w.Samples, w.Options).Dispose());
        yield return Row<ArgumentException>(Resume, "other data of the same shape", "data", ["not the data the checkpoint", "allowMismatch"], w => GradientFlow<GatedTanh>.Resume(f.Checkpoint, f.OtherSamples, w.Options).Dispose());
        yield return Row<ArgumentException>(Resume, "another step size", "options", ["StepSize is 0.2", "StepSize 0.1", "allowMismatch"], w => GradientFlow<GatedTanh>.Resume(f.Checkpoint, w.Samples, w.Options with { StepSize = 0.2 }).Dispose());
        yield return Row<ArgumentException>(Resume, "data of another dimension, even with allowMismatch", "data", ["dimension"], w => GradientFlow<GatedTanh>.Resume(f.Checkpoint, w.OtherDimensionSamples, w.Options, allowMismatch: true).Dispose());

        const string CheckpointPath = "GradientFlowOptions.set_CheckpointPath(String)";
        yield return Row<ArgumentException>(CheckpointPath, "empty", "CheckpointPath", ["CheckpointPath is blank"], w => _ = w.Options with { CheckpointPath = "" });
        yield return Row<ArgumentException>(CheckpointPath, "blank", "CheckpointPath", ["CheckpointPath is blank", "'  '"], w => _ = w.Options with { CheckpointPath = "  " });

        const string Ctor = "GradientFlow`1..ctor(ParticleSet, SampleSet, GradientFlowOptions)";
        yield return Row<ArgumentException>(Ctor, "CheckpointPath in a missing directory: rejected at construction", "options", [f.MissingDirectoryFile, "does not exist"], w =>
            new GradientFlow<GatedTanh>(w.Particles, w.Samples, w.Options with { CheckpointPath = f.MissingDirectoryFile, CheckpointEvery = 1 }).Dispose());
        yield return Row<ArgumentException>(Ctor, "CheckpointPath is a directory", "options", [f.Directory, "is a directory"], w =>
            new GradientFlow<GatedTanh>(w.Particles, w.Samples, w.Options with { CheckpointPath = f.Directory, CheckpointEvery = 1 }).Dispose());
    }

    /// <summary>Files made once per test run in a fresh temporary folder (deleted when the process exits).</summary>
    private sealed class FileFixtures
    {
        private static readonly Lazy<FileFixtures> Shared = new(() => new FileFixtures());

        private FileFixtures()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("meanfield-matrix-").FullName;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a temporary folder left behind is harmless.
                }
            };

            Missing = Path.Combine(Directory, "missing.mfck");
            MissingDirectoryFile = Path.Combine(Directory, "no-such-folder", "flow.mfck");

            // The same particles, data and step size as BadInputWorld's, so only the row's one difference is wrong.
            SampleSet samples = TestData.Samples(BadInputWorld.L, BadInputWorld.D, 3);
            var options = new GradientFlowOptions { StepSize = 0.1, MaxSteps = 2, ThreadCount = 1 };
            Checkpoint = Path.Combine(Directory, "flow.mfck");
            using (var flow = new GradientFlow<GatedTanh>(GatedTanh.Particles(BadInputWorld.N, BadInputWorld.D, 4), samples, options))
            {
                flow.Step();
                flow.SaveCheckpoint(Checkpoint);
            }

            OtherModelCheckpoint = Path.Combine(Directory, "tanh-ridge.mfck");
            using (var flow = new GradientFlow<TanhRidge>(TestData.TanhParticles(BadInputWorld.N, BadInputWorld.D, 1), samples, options))
            {
                flow.SaveCheckpoint(OtherModelCheckpoint);
            }

            ParticlesOnly = Path.Combine(Directory, "particles.mfps");
            GatedTanh.Particles(BadInputWorld.N, BadInputWorld.D, 1).Save(ParticlesOnly);

            byte[] bytes = File.ReadAllBytes(Checkpoint);
            Corrupt = Path.Combine(Directory, "corrupt.mfck");
            byte[] flipped = (byte[])bytes.Clone();
            flipped[bytes.Length / 2] ^= 0x10;
            File.WriteAllBytes(Corrupt, flipped);

            Truncated = Path.Combine(Directory, "truncated.mfck");
            File.WriteAllBytes(Truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());

            Empty = Path.Combine(Directory, "empty.mfck");
            File.WriteAllBytes(Empty, []);

            OtherSamples = TestData.Samples(BadInputWorld.L, BadInputWorld.D, 99);
        }

        public static FileFixtures Instance => Shared.Value;

        public string Directory { get; }

        public string Missing { get; }

        public string MissingDirectoryFile { get; }

        public string Checkpoint { get; }

        public string OtherModelCheckpoint { get; }

        public string ParticlesOnly { get; }

        public string Corrupt { get; }

        public string Truncated { get; }

        public string Empty { get; }

        /// <summary>Data of the checkpoint's shape with other values.</summary>
        public SampleSet OtherSamples { get; }
    }
}
