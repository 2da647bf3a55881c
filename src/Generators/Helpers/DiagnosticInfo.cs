using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MeanField.Generators.Helpers;

/// <summary>A location without a reference to a syntax tree, safe to keep in pipeline records.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode node) => From(node.GetLocation());
}

/// <summary>An equatable diagnostic: the descriptor's id, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode? node, params string[] arguments)
        => new(descriptor.Id, node is null ? null : LocationInfo.From(node), new EquatableArray<string>(arguments));

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        => new(descriptor.Id, LocationInfo.From(location), new EquatableArray<string>(arguments));

    /// <summary>The diagnostic, its help link following the project's <c>MeanFieldDiagnosticsDocs</c> (<paramref name="docs"/>).</summary>
    public Diagnostic ToDiagnostic(string? docs)
    {
        var descriptor = Diagnostics.DiagnosticDescriptors.ById(Id, docs);
        var args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i];
        }

        return Diagnostic.Create(descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, args);
    }
}

/// <summary>A value and the diagnostics found while producing it; they travel together, then split.</summary>
internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Errors)
    where T : class;
