namespace HotDash.Dashboard.PublicApi;

/// <summary>
/// Langfuse's error bodies: <c>{"message","error"}</c> with the error class name Langfuse uses
/// (<c>UnauthorizedError</c>, <c>InvalidRequestError</c>, <c>LangfuseNotFoundError</c>, ...).
/// </summary>
internal static class PublicApiErrors
{
    public const string ServiceUnavailableMessage = "Service Unavailable: not connected to any silo (is the silo running?)";

    public static IResult Error(int status, string error, string message) => new LangfuseJsonResult(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteString("error", error);
        w.WriteEndObject();
    });

    public static IResult Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, "UnauthorizedError", message);

    public static IResult Forbidden(string message) => Error(StatusCodes.Status403Forbidden, "ForbiddenError", message);

    public static IResult InvalidRequest(string message) => Error(StatusCodes.Status400BadRequest, "InvalidRequestError", message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "LangfuseNotFoundError", message);

    public static IResult MethodNotAllowed() => Error(StatusCodes.Status405MethodNotAllowed, "MethodNotAllowedError", "Method not allowed");

    public static IResult PayloadTooLarge(string message) => Error(StatusCodes.Status413PayloadTooLarge, "PayloadTooLargeError", message);

    public static IResult Unavailable(string message) => Error(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailableError", message);

    public static IResult Internal(string message) => Error(StatusCodes.Status500InternalServerError, "Internal Server Error", message);
}
