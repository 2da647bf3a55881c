using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MeanField.Samples;

/// <summary>
/// A sample's JSON result, checksummed (specs/particles.md §7):
/// <code>
/// {
///   "format": "meanfield-sample-result",
///   "version": 1,
///   "kind": "langevin",
///   "sha256": "&lt;64 lower-case hex digits&gt;",
///   "payload": { … }
/// }
/// </code>
/// <c>sha256</c> is the SHA-256 of the UTF-8 bytes of the <c>payload</c> value exactly as they stand in the file, from its
/// opening <c>{</c> to its closing <c>}</c>. Files are written atomically (<see cref="AtomicFile"/>); <see cref="Read{T}"/>
/// rejects a file whose format, version, kind or checksum is not the expected one with an <see cref="InvalidDataException"/>
/// naming the file.
/// </summary>
public static class ResultFile
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "meanfield-sample-result";

    /// <summary>The value of the <c>version</c> field this code writes and reads.</summary>
    public const int Version = 1;

    private static readonly JsonSerializerOptions PayloadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
    };

    /// <summary>Writes <paramref name="payload"/> as a result of kind <paramref name="kind"/>, atomically.</summary>
    /// <typeparam name="T">The payload's type (serialised with camel-case property names; doubles must be finite).</typeparam>
    /// <param name="path">The file to create or replace (its folder is created when missing).</param>
    /// <param name="kind">What the payload is (e.g. <c>langevin</c>); checked by <see cref="Read{T}"/>.</param>
    /// <param name="payload">The result.</param>
    /// <returns>The SHA-256 written, as lower-case hex.</returns>
    public static string Write<T>(string path, string kind, T payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(payload);
        // Indented one level deeper, to sit under "payload"; JSON strings hold no raw line feeds, so this touches only layout.
        byte[] body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload, PayloadOptions).Replace("\n", "\n  ", StringComparison.Ordinal));
        string sha = Convert.ToHexStringLower(SHA256.HashData(body));
        using var buffer = new MemoryStream();
        var head = Encoding.UTF8.GetBytes(
            $"{{\n  \"format\": \"{Format}\",\n  \"version\": {Version},\n  \"kind\": {JsonSerializer.Serialize(kind)},\n  \"sha256\": \"{sha}\",\n  \"payload\": ");
        buffer.Write(head);
        buffer.Write(body);
        buffer.Write("\n}\n"u8);
        AtomicFile.WriteAllBytes(path, buffer.ToArray());
        return sha;
    }

    /// <summary>Reads a result written by <see cref="Write{T}"/> and verifies its checksum.</summary>
    /// <typeparam name="T">The payload's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="kind">The expected kind.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, not a sample result of this version and kind, or its checksum does not match its payload.</exception>
    public static T Read<T>(string path, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No sample result at '{path}'.", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, "it is not a JSON object");
            }

            string? format = Text(root, "format");
            if (format != Format)
            {
                throw Bad(path, $"its format is '{format}', not '{Format}'");
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != Version)
            {
                throw Bad(path, $"its version is not {Version}");
            }

            string? actualKind = Text(root, "kind");
            if (actualKind != kind)
            {
                throw Bad(path, $"it holds a '{actualKind}' result, not '{kind}'");
            }

            string? sha = Text(root, "sha256");
            if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, "it has no payload object");
            }

            string actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload.GetRawText())));
            if (!string.Equals(sha, actual, StringComparison.Ordinal))
            {
                throw Bad(path, $"its payload's SHA-256 is {actual}, but the file records {sha ?? "none"} (the file is corrupt or was edited)");
            }

            return payload.Deserialize<T>(PayloadOptions) ?? throw Bad(path, "its payload is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid sample result: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static InvalidDataException Bad(string path, string why) => new($"'{path}' is not a valid sample result: {why}.");
}
