using System;
using System.IO;

namespace MeanField.Generators.Diagnostics;

/// <summary>
/// Where a diagnostic's help link points. The consuming project says so with the MSBuild property
/// <c>MeanFieldDiagnosticsDocs</c> (made visible to the generator as <c>build_property.MeanFieldDiagnosticsDocs</c>):
/// <list type="bullet">
/// <item>an absolute folder holding the <c>MFxxxx.md</c> pages: the link is that page's <c>file:</c> URI. The
/// package sets it to the pages it ships (<c>docs/diagnostics/</c> in the package), so the link opens the page of
/// the very version that reported the diagnostic, offline; the repository sets it to its own docs/diagnostics;</item>
/// <item>an <c>http(s)</c> base URL: the link is base + ID + ".md" (a mirror, or the web pages);</item>
/// <item>unset, empty or anything else (a relative path): the web base compiled into the generator,
/// <see cref="GeneratorInfo.HelpLinkBase"/>.</item>
/// </list>
/// </summary>
internal static class HelpLinks
{
    /// <summary>The analyzer-config key of the <c>MeanFieldDiagnosticsDocs</c> property.</summary>
    public const string OptionKey = "build_property.MeanFieldDiagnosticsDocs";

    /// <summary>The help link of diagnostic <paramref name="id"/> given the project's <c>MeanFieldDiagnosticsDocs</c> value.</summary>
    public static string For(string id, string? docs)
    {
        string? value = docs?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return Default(id);
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return value!.EndsWith("/", StringComparison.Ordinal) ? value + id + ".md" : value + "/" + id + ".md";
        }

        // A folder: only an absolute one means the same thing wherever the link is opened.
        if (value!.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || !Path.IsPathRooted(value))
        {
            return Default(id);
        }

        return new Uri(Path.Combine(value, id + ".md")).AbsoluteUri;
    }

    /// <summary>The compiled-in web link: <see cref="GeneratorInfo.HelpLinkBase"/> + ID + ".md".</summary>
    public static string Default(string id) => GeneratorInfo.HelpLinkBase + id + ".md";
}
