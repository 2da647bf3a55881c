using System.Runtime.CompilerServices;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace MeanField.Generators.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify (whose core package is not available here), with its file conventions:
/// the accepted text is <c>Snapshots/{name}.verified.cs</c> beside the test source; a mismatch writes
/// <c>{name}.received.cs</c> and fails with the first differing line. Set <c>SNAPSHOT_ACCEPT=1</c> to
/// accept the received text (never set in CI; CI=true refuses it).
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);

        string? expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        bool accept = Environment.GetEnvironmentVariable("SNAPSHOT_ACCEPT") == "1"
                      && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verifiedPath}. Wrote {receivedPath}; review it, then rerun with SNAPSHOT_ACCEPT=1 to accept."
            : $"Snapshot {name} differs. {FirstDifference(expected, actual)}\nWrote {receivedPath}; rerun with SNAPSHOT_ACCEPT=1 to accept.");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var diff = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false);
        int line = 0;
        for (int i = 0; i < diff.Lines.Count; i++)
        {
            var piece = diff.Lines[i];
            if (piece.Type == ChangeType.Unchanged)
            {
                line++;
                continue;
            }

            string sign = piece.Type == ChangeType.Deleted ? "expected" : "actual";
            string next = i + 1 < diff.Lines.Count && diff.Lines[i + 1].Type != ChangeType.Unchanged
                ? $"\n  {(diff.Lines[i + 1].Type == ChangeType.Deleted ? "expected" : "actual")}: {diff.Lines[i + 1].Text}"
                : string.Empty;
            return $"First difference at line {line + 1}:\n  {sign}: {piece.Text}{next}";
        }

        return "The texts differ only in line endings or trailing whitespace.";
    }
}
