using System.Buffers.Binary;
using System.IO.Hashing;

namespace MeanField.Dgm;

internal sealed partial class DgmCore
{
    /// <summary>The DGM checkpoint's format version (specs/dgm.md §5.3).</summary>
    public const int CheckpointVersion = 1;

    /// <summary>The trainer kinds a checkpoint records (header offset 28; 0 in every ergodic file).</summary>
    public enum TrainerKind
    {
        /// <summary>The ergodic trainer.</summary>
        Ergodic = 0,

        /// <summary>The finite-horizon trainer.</summary>
        FiniteHorizon = 1,
    }

    private const int CheckpointHeaderSize = 64;
    private const int CheckpointTrailerSize = 12;

    private static ReadOnlySpan<byte> CheckpointMagic => "MFDG"u8;

    private static ReadOnlySpan<byte> CheckpointEnd => "END."u8;

    /// <summary>
    /// Doubles of the checkpoint's payload: λ, θ, φ, the networks' Adam state, λ's Adam state, then the batch sampler's
    /// state (<see cref="SamplerState"/>, empty for uniform batches).
    /// </summary>
    private int CheckpointDoubles => 1 + U.ParameterCount + V.ParameterCount + _networkOptimiser.StateLength + _lambdaOptimiser.StateLength + SamplerState.Length;

    /// <summary>
    /// The state of a trainer's batch sampler that a checkpoint must carry (the ergodic trainer's density chains: their
    /// points, then v at each), saved after the optimisers and restored in place; empty for uniform batches.
    /// </summary>
    public double[] SamplerState { get; set; } = [];

    /// <summary>The sampler's chain count, recorded at header offset 60 (0 in files of uniform batches and older files).</summary>
    public int SamplerChains { get; set; }

    /// <summary>
    /// The weight β of each batch in the running average of Z (the ergodic trainer's <c>normalisationAverage</c>), or 1
    /// when Z is the batch's own mean. When averaged, the sampler state ends with (β, ln Z̄); header offset 44 records 1
    /// (0 in files with the batch's own Z, which every older file is: offset 40 holds the payload length as a 32-bit
    /// integer, and the upper half of the 64-bit field it used to be was always 0).
    /// </summary>
    public double NormalisationWeight { get; set; } = 1;

    private bool NormalisationAveraged => NormalisationWeight < 1;

    /// <summary>
    /// Writes the whole training state (parameters, λ, both optimisers, the step count and the batch stream's key) to
    /// <paramref name="path"/>, bit for bit, checksummed (CRC-64), with the safe-write protocol of the particle file: a
    /// trainer built with the same settings and loaded from it continues bit-identically.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">The trainer's kind (offset 28).</param>
    /// <param name="horizon">T for the finite horizon, 0 for the ergodic trainer (offset 48).</param>
    public void SaveCheckpoint(string path, TrainerKind kind, double horizon)
    {
        var payload = new double[CheckpointDoubles];
        int at = 0;
        payload[at++] = Lambda;
        U.Parameters.CopyTo(payload.AsSpan(at));
        at += U.ParameterCount;
        V.Parameters.CopyTo(payload.AsSpan(at));
        at += V.ParameterCount;
        _networkOptimiser.SaveState(payload.AsSpan(at, _networkOptimiser.StateLength));
        at += _networkOptimiser.StateLength;
        _lambdaOptimiser.SaveState(payload.AsSpan(at, _lambdaOptimiser.StateLength));
        at += _lambdaOptimiser.StateLength;
        SamplerState.CopyTo(payload.AsSpan(at));

        byte[] bytes = new byte[CheckpointHeaderSize + (payload.Length * sizeof(double)) + CheckpointTrailerSize];
        Span<byte> header = bytes.AsSpan(0, CheckpointHeaderSize);
        CheckpointMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], CheckpointVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], U.Width);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], U.Depth);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], PointCount);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], Steps);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], (int)kind);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], Key);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[44..], NormalisationAveraged ? 1 : 0);
        BinaryPrimitives.WriteDoubleLittleEndian(header[48..], horizon);
        BinaryPrimitives.WriteInt32LittleEndian(header[56..], (int)Architecture);
        BinaryPrimitives.WriteInt32LittleEndian(header[60..], SamplerChains);
        for (int i = 0; i < payload.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(CheckpointHeaderSize + (i * sizeof(double))), payload[i]);
        }

        int end = bytes.Length - CheckpointTrailerSize;
        CheckpointEnd.CopyTo(bytes.AsSpan(end));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(end + 4), Crc64.HashToUInt64(bytes.AsSpan(0, end + 4)));
        ParticleFile.WriteSafely(path, nameof(path), stream => stream.Write(bytes));
    }

    /// <summary>
    /// Restores the training state saved by <see cref="SaveCheckpoint"/> into this core, which must have been built for
    /// the same kind of trainer, game, width, depth, batch, horizon, seed and optimiser settings.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="kind">This trainer's kind.</param>
    /// <param name="horizon">This trainer's T (0 ergodic).</param>
    /// <param name="owner">The trainer, as the messages name it (e.g. "ErgodicDgmTrainer of ExplicitErgodicGame").</param>
    /// <exception cref="ArgumentException">The path is blank, or the checkpoint is of another configuration (the message says what differs).</exception>
    /// <exception cref="InvalidDataException">The file is not an intact DGM checkpoint (magic, version, length, checksum).</exception>
    public void LoadCheckpoint(string path, TrainerKind kind, double horizon, string owner)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"The path is blank ('{path}'); name a file.", nameof(path));
        }

        byte[] bytes;
        using (FileStream stream = ParticleFile.OpenForReading(path))
        {
            // Checked before the allocation: the expected length is known from this trainer.
            long expected = CheckpointHeaderSize + ((long)CheckpointDoubles * sizeof(double)) + CheckpointTrailerSize;
            if (stream.Length > expected || stream.Length < CheckpointHeaderSize + CheckpointTrailerSize)
            {
                CheckMagicAndVersion(stream, path);
                CheckKind(stream, path, kind, owner);
                throw Mismatch(path, owner, $"it is {stream.Length} bytes, a checkpoint of this trainer {expected}");
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        ReadOnlySpan<byte> header = bytes.AsSpan(0, CheckpointHeaderSize);
        CheckMagicAndVersion(header, path);
        int end = bytes.Length - CheckpointTrailerSize;
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(end + 4));
        ulong actual = Crc64.HashToUInt64(bytes.AsSpan(0, end + 4));
        if (stored != actual || !bytes.AsSpan(end, 4).SequenceEqual(CheckpointEnd))
        {
            throw Invalid(path, $"its CRC-64 does not match (stored {stored:x16}, computed {actual:x16}): the file is corrupted or truncated");
        }

        CheckKind(header, path, kind, owner);

        (string Name, long Saved, long Mine)[] shape =
        [
            ("d", BinaryPrimitives.ReadInt32LittleEndian(header[8..]), Dimension),
            ("width", BinaryPrimitives.ReadInt32LittleEndian(header[12..]), U.Width),
            ("depth", BinaryPrimitives.ReadInt32LittleEndian(header[16..]), U.Depth),
            ("points per step", BinaryPrimitives.ReadInt32LittleEndian(header[20..]), PointCount),
            ("payload doubles", BinaryPrimitives.ReadInt32LittleEndian(header[40..]), CheckpointDoubles),
        ];
        foreach (var (name, saved, mine) in shape)
        {
            if (saved != mine)
            {
                throw Mismatch(path, owner, $"it was saved with {name} = {saved}, this trainer has {mine}");
            }
        }

        double savedHorizon = BinaryPrimitives.ReadDoubleLittleEndian(header[48..]);
        if (BitConverter.DoubleToInt64Bits(savedHorizon) != BitConverter.DoubleToInt64Bits(horizon))
        {
            throw Mismatch(path, owner, $"it was saved with the horizon T = {savedHorizon:R}, this trainer has {horizon:R}");
        }

        ulong key = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        if (key != Key)
        {
            throw Mismatch(path, owner, "it was saved by a trainer of another seed (its batch stream differs)");
        }

        int steps = BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
        if (steps < 0)
        {
            throw Invalid(path, $"its step count {steps} is negative");
        }

        var payload = new double[CheckpointDoubles];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(CheckpointHeaderSize + (i * sizeof(double))));
        }

        int nu = U.ParameterCount, nv = V.ParameterCount, na = _networkOptimiser.StateLength, nl = _lambdaOptimiser.StateLength;
        ReadOnlySpan<double> networkState = payload.AsSpan(1 + nu + nv, na), lambdaState = payload.AsSpan(1 + nu + nv + na, nl);

        // Both optimisers' settings, and the running average's weight, are checked before anything of this trainer changes.
        if ((_networkOptimiser.Differs(networkState) ?? _lambdaOptimiser.Differs(lambdaState)) is { } differs)
        {
            throw Mismatch(path, owner, differs);
        }

        if (NormalisationAveraged && BitConverter.DoubleToInt64Bits(payload[^2]) != BitConverter.DoubleToInt64Bits(NormalisationWeight))
        {
            throw Mismatch(path, owner, $"it was saved with normalisationAverage = {payload[^2]:R}, this trainer has {NormalisationWeight:R}");
        }

        _networkOptimiser.RestoreState(networkState);
        _lambdaOptimiser.RestoreState(lambdaState);
        Lambda = payload[0];
        payload.AsSpan(1, nu).CopyTo(U.Parameters);
        payload.AsSpan(1 + nu, nv).CopyTo(V.Parameters);
        payload.AsSpan(1 + nu + nv + na + nl).CopyTo(SamplerState);
        Steps = steps;
    }

    private void CheckKind(Stream stream, string path, TrainerKind kind, string owner)
    {
        Span<byte> header = stackalloc byte[CheckpointHeaderSize];
        stream.Position = 0;
        if (stream.ReadAtLeast(header, CheckpointHeaderSize, throwOnEndOfStream: false) == CheckpointHeaderSize)
        {
            CheckKind(header, path, kind, owner);
        }
    }

    /// <summary>The trainer kind, the architecture, the density chains and Z's averaging, named before any length or shape check (their payloads differ).</summary>
    private void CheckKind(ReadOnlySpan<byte> header, string path, TrainerKind kind, string owner)
    {
        var savedKind = (TrainerKind)BinaryPrimitives.ReadInt32LittleEndian(header[28..]);
        if (savedKind != kind)
        {
            throw Mismatch(path, owner, $"it was saved by the {Describe(savedKind)} trainer, this is the {Describe(kind)} one");
        }

        int architecture = BinaryPrimitives.ReadInt32LittleEndian(header[56..]);
        if (architecture != (int)Architecture)
        {
            throw Mismatch(path, owner, $"it was saved with architecture (0 MLP, 1 gated) = {architecture}, this trainer has {(int)Architecture}");
        }

        int chains = BinaryPrimitives.ReadInt32LittleEndian(header[60..]);
        if (chains != SamplerChains)
        {
            throw Mismatch(path, owner, $"it was saved with {chains} density chains (points per step drawn from m), this trainer has {SamplerChains}");
        }

        static string Normalisation(bool averaged) => averaged ? "Z averaged over batches (normalisationAverage < 1)" : "each batch's own Z (normalisationAverage = 1)";
        bool savedAveraged = BinaryPrimitives.ReadInt32LittleEndian(header[44..]) != 0;
        if (savedAveraged != NormalisationAveraged)
        {
            throw Mismatch(path, owner, $"it was saved with {Normalisation(savedAveraged)}, this trainer uses {Normalisation(NormalisationAveraged)}");
        }
    }

    private static void CheckMagicAndVersion(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[8];
        stream.Position = 0;
        int got = stream.ReadAtLeast(header, 8, throwOnEndOfStream: false);
        CheckMagicAndVersion(header[..got], path);
    }

    private static void CheckMagicAndVersion(ReadOnlySpan<byte> header, string path)
    {
        if (header.Length < 4 || !header[..4].SequenceEqual(CheckpointMagic))
        {
            throw Invalid(path, "it does not start with the DGM checkpoint magic \"MFDG\"");
        }

        if (header.Length < 8)
        {
            throw Invalid(path, "it ends too early (truncated)");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version != CheckpointVersion)
        {
            throw Invalid(path, $"its format version is {version}; this build reads version {CheckpointVersion}");
        }
    }

    private static InvalidDataException Invalid(string path, string why) => new($"'{path}' is not a valid MeanField DGM checkpoint: {why}.");

    private static ArgumentException Mismatch(string path, string owner, string why)
        => new($"'{path}' is a DGM checkpoint of another configuration than this {owner}'s: {why}.", nameof(path));

    private static string Describe(TrainerKind kind) => kind switch
    {
        TrainerKind.Ergodic => "ergodic",
        TrainerKind.FiniteHorizon => "finite-horizon",
        _ => $"unknown ({(int)kind})",
    };
}
