using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeanField.Benchmarks.Tracking;

/// <summary>
/// Writes the compact result file committed as a baseline: the machine, the job, and per benchmark its
/// name, parameters, mean, error, standard deviation, median and allocated bytes. A few KB instead of
/// BenchmarkDotNet's full report (every measurement); <see cref="ResultReader"/> reads both.
/// </summary>
internal static class ResultWriter
{
    /// <summary>The value of the file's "format" property.</summary>
    public const string Format = "meanfield-benchmark-results/1";

    public static string ToJson(ResultSet set)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("job", set.Job);
            json.WriteStartObject("machine");
            json.WriteString("cpu", set.Machine.Cpu);
            json.WriteNumber("physicalCores", set.Machine.PhysicalCores);
            json.WriteNumber("logicalCores", set.Machine.LogicalCores);
            json.WriteString("architecture", set.Machine.Architecture);
            json.WriteString("hardwareIntrinsics", set.Machine.HardwareIntrinsics);
            json.WriteString("os", set.Machine.Os);
            json.WriteString("runtime", set.Machine.Runtime);
            json.WriteString("benchmarkDotNet", set.Machine.BenchmarkDotNet);
            json.WriteString("date", set.Machine.Date);
            json.WriteEndObject();
            json.WriteStartArray("benchmarks");
            foreach (var b in set.Benchmarks.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", b.Name);
                json.WriteString("parameters", b.Parameters);
                json.WriteNumber("meanNs", Math.Round(b.MeanNs, 3));
                json.WriteNumber("errorNs", Math.Round(b.ErrorNs, 3));
                json.WriteNumber("stdDevNs", Math.Round(b.StdDevNs, 3));
                json.WriteNumber("medianNs", Math.Round(b.MedianNs, 3));
                json.WriteNumber("iterations", b.Iterations);
                if (b.AllocatedBytes is long allocated)
                {
                    json.WriteNumber("allocatedBytes", allocated);
                }
                else
                {
                    json.WriteNull("allocatedBytes");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void Write(ResultSet set, string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, ToJson(set));
    }
}
