namespace MeanField.Generators;

/// <summary>
/// Facts about this generator that appear in generated code and diagnostics. The constants
/// <c>Version</c> (written into <c>[GeneratedCode]</c> attributes; the package version) and
/// <c>HelpLinkBase</c> (where the docs/diagnostics/MFxxxx.md pages live) are generated at build time
/// from MSBuild's <c>$(Version)</c> and <c>$(MeanFieldHelpLinkBase)</c>, both set once in the
/// repository's Directory.Build.props (see the GenerateGeneratorInfo target in
/// MeanField.Generators.csproj; the file is obj/&lt;Configuration&gt;/netstandard2.0/GeneratorInfo.g.cs).
/// </summary>
internal static partial class GeneratorInfo
{
}
