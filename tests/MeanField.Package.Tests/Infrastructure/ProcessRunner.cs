using System.Diagnostics;
using System.Text;

namespace MeanField.Package.Tests.Infrastructure;

/// <summary>The outcome of one external command: its exit code and its interleaved stdout/stderr.</summary>
public sealed record ProcessResult(string Command, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    public string Describe() =>
        $"`{Command}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:F0} s. Output:\n{Output}";
}

/// <summary>
/// Runs dotnet (or bash) the way a user's shell would: with the test host's MSBuild/VSTest variables removed,
/// no MSBuild node reuse or compiler server left behind, stdin closed, a time limit (the whole process tree is
/// killed when it is exceeded) and all output captured for the assertion message.
/// </summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var args = arguments.ToList();
        string command = fileName + " " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        // `dotnet test` sets variables for its own MSBuild and test host; a user's shell has none of them.
        foreach (string key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";   // no MSBuild nodes outliving the command (they would hold our pipes)
        info.Environment["UseSharedCompilation"] = "false";   // nor a compiler server
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };

        // A null line is the end of that stream. Process.WaitForExit(timeout) does not wait for the asynchronous readers
        // (only the untimed overload does), so without these the last lines could still be in flight when the result is
        // taken: under load (the other test assemblies running), a build's "error MF0012" line or a program's whole
        // output went missing while the exit code had arrived.
        var outputClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errorClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Receive(output, e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Receive(output, e.Data, errorClosed);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }

            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"`{command}` in {workingDirectory} did not finish within {timeout.TotalSeconds:F0} s and was killed. Output so far:\n{Snapshot(output)}");
        }

        // Let the readers drain to the end of both streams; a grandchild still holding the pipes must not hang the test.
        bool drained = Task.WaitAll([outputClosed.Task, errorClosed.Task], StreamDrainTimeout);
        if (!drained)
        {
            Append(output, $"[ProcessRunner: the output streams were still open {StreamDrainTimeout.TotalSeconds:F0} s after the process exited (a child process holds them); the output above may be incomplete.]");
        }

        return new ProcessResult(command, workingDirectory, process.ExitCode, Snapshot(output), clock.Elapsed);
    }

    public static ProcessResult Dotnet(string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment, params string[] arguments)
        => Run("dotnet", arguments, workingDirectory, timeout, environment);

    /// <summary>Runs and asserts exit code 0, with the command's whole output in the failure message.</summary>
    public static ProcessResult Succeed(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    /// <summary>How long to wait, after the process exits, for the ends of its output streams.</summary>
    private static readonly TimeSpan StreamDrainTimeout = TimeSpan.FromSeconds(60);

    private static void Receive(StringBuilder output, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        Append(output, line);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
