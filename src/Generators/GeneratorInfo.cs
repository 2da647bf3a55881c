namespace MeanField.Generators;

/// <summary>Facts about this generator that appear in generated code.</summary>
internal static class GeneratorInfo
{
    /// <summary>The version written into <c>[GeneratedCode]</c> attributes.</summary>
    public const string Version = "0.1.0";
}
