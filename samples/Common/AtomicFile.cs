namespace MeanField.Samples;

/// <summary>Writes a file so that a reader sees the old file or the whole new one, never a part: a temporary file in the same folder, flushed to disk, then renamed over the target.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> (creating its folder when missing).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="bytes">The whole content.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank or names a folder.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"'{path}' is a folder; name a file.", nameof(path));
        }

        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
