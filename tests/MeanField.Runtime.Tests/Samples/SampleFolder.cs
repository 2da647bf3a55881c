namespace MeanField.Runtime.Tests.Samples;

/// <summary>A fresh temporary folder for a sample's output files, deleted afterwards.</summary>
internal sealed class SampleFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "meanfield-sample-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>The 8-byte PNG signature (ISO/IEC 15948 §5.2).</summary>
    public static void AssertPng(string path)
    {
        Assert.True(System.IO.File.Exists(path), $"{path} was not written");
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }
}
