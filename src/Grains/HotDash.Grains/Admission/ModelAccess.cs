using System.Text;

namespace HotDash.Grains.Admission;

/// <summary>
/// LiteLLM's model access lists (<c>models</c> of a key, team or user): empty allows every model; otherwise an entry
/// allows the model when it is the model's name, one of its access groups, <c>*</c>, <c>all-proxy-models</c>, or a
/// wildcard pattern (<c>openai/*</c>, <c>gpt-4o*</c>) that matches the name.
/// </summary>
internal static class ModelAccess
{
    /// <summary>On a key: the key may call whatever its team may (the team's list alone decides).</summary>
    public const string AllTeamModels = "all-team-models";

    /// <summary>Every model the proxy serves.</summary>
    public const string AllProxyModels = "all-proxy-models";

    /// <summary>True when <paramref name="models"/> lets <paramref name="model"/> through.</summary>
    /// <param name="models">The access list; empty allows everything.</param>
    /// <param name="model">The model name (after the key's aliases).</param>
    /// <param name="accessNames">The model's access groups (<c>model_info.access_groups</c>).</param>
    public static bool Allows(ImmutableArray<string> models, string model, ImmutableArray<string> accessNames)
    {
        if (models.IsDefaultOrEmpty)
        {
            return true;
        }
        foreach (var entry in models)
        {
            if (entry is null)
            {
                continue;
            }
            if (entry == "*" || entry == AllProxyModels || string.Equals(entry, model, StringComparison.Ordinal)
                || (!accessNames.IsDefaultOrEmpty && accessNames.Contains(entry, StringComparer.Ordinal))
                || (entry.Contains('*', StringComparison.Ordinal) && Matches(entry, model)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the list holds <see cref="AllTeamModels"/>.</summary>
    public static bool DefersToTeam(ImmutableArray<string> models) =>
        !models.IsDefaultOrEmpty && models.Contains(AllTeamModels, StringComparer.Ordinal);

    /// <summary>The list as LiteLLM prints it in its messages (a Python list: <c>['a', 'b']</c>).</summary>
    public static string Format(ImmutableArray<string> models)
    {
        var text = new StringBuilder("[");
        if (!models.IsDefaultOrEmpty)
        {
            for (var i = 0; i < models.Length; i++)
            {
                text.Append(i == 0 ? "'" : ", '").Append(models[i]).Append('\'');
            }
        }
        return text.Append(']').ToString();
    }

    // A glob where '*' stands for any run of characters (LiteLLM turns its patterns into the same regex).
    private static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
