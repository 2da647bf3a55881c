using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MeanField.Generators.Pipeline;

/// <summary>
/// Hint names of generated files: <c>{Namespace}.{Type}.g.cs</c> reduced to characters every file system accepts
/// (<c>[A-Za-z0-9_.-]</c>; anything else, including the <c>@</c> of a verbatim identifier, becomes <c>_</c>), and
/// unique ignoring case (Roslyn requires it; so do case-insensitive file systems): a name already taken gets
/// <c>.2</c>, <c>.3</c>… before <c>.g.cs</c>, in the order the models are given.
/// </summary>
internal static class HintNames
{
    /// <summary>The stem (name without <c>.g.cs</c>) of a model's file, before collisions are resolved.</summary>
    public static string Stem(string fullName)
    {
        var builder = new StringBuilder(fullName.Length);
        foreach (char c in fullName)
        {
            bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            builder.Append(ok ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    /// <summary>One hint name per stem, in order, unique ignoring case.</summary>
    public static string[] Assign(IReadOnlyList<string> stems)
    {
        var taken = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var names = new string[stems.Count];
        for (int i = 0; i < stems.Count; i++)
        {
            string name = stems[i] + ".g.cs";
            for (int n = 2; !taken.Add(name); n++)
            {
                name = stems[i] + "." + n.ToString(CultureInfo.InvariantCulture) + ".g.cs";
            }

            names[i] = name;
        }

        return names;
    }
}
