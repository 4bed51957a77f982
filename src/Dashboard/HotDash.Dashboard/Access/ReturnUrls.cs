namespace HotDash.Dashboard.Access;

/// <summary>Keeps the login's redirect on this site: an absolute or protocol-relative ReturnUrl would be an open redirect.</summary>
public static class ReturnUrls
{
    /// <summary><paramref name="returnUrl"/> when it is a local path, else <c>/</c>.</summary>
    public static string Local(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/')
        {
            return "/";
        }
        // "//host" and "/\host" are read by browsers as another host.
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\'))
        {
            return "/";
        }
        return returnUrl.Any(char.IsControl) ? "/" : returnUrl;
    }
}
