using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace MeanField.Generators.Pipeline;

/// <summary>C# spellings of the names in a spec, which holds names as written without <c>@</c>.</summary>
internal static class Identifiers
{
    /// <summary>The identifier as C# code: <c>@</c> before a keyword or contextual keyword (<c>@class</c>, <c>@record</c>).</summary>
    public static string Escape(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>A dotted namespace with each part escaped.</summary>
    public static string EscapeDotted(string dotted)
        => dotted.Length == 0 ? dotted : string.Join(".", dotted.Split('.').Select(Escape));
}
