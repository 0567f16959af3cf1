using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using Latent.Studio.Http;
using Microsoft.AspNetCore.Http;

namespace Latent.Studio.Security;

/// <summary>
/// The studio's front door, run before anything else on every request: the Host header must name this machine
/// (against DNS rebinding), a browser's Origin must be the studio itself (against cross-site requests), and the
/// access token must come with the request, as Jupyter does it.
/// </summary>
/// <remarks>
/// <para>The token arrives once in the URL the command prints (<c>?token=…</c>); the guard then stores it in an
/// HttpOnly, SameSite=Strict cookie and redirects the page to the same address without it, so it does not stay in the
/// address bar. Scripts and tests may send it as <c>Authorization: Bearer …</c> or <c>X-Latent-Token</c>. Without a
/// token the reply is 401; with a wrong one, 403; tokens are compared in constant time.</para>
/// <para>A foreign Host or Origin is refused with 403 before the token is looked at. Requests that change state
/// (anything but GET and HEAD) from a browser that marks them cross-site are refused even without an Origin.</para>
/// </remarks>
internal sealed class AccessGuard
{
    private readonly byte[] _token;
    private readonly HashSet<string> _allowedHosts;

    public AccessGuard(string token, IPAddress boundHost)
    {
        _token = Encoding.UTF8.GetBytes(token);
        _allowedHosts = AllowedHosts(boundHost);
    }

    /// <summary>The cookie that carries the token; named by port, since browsers share localhost cookies across ports.</summary>
    public static string CookieName(int port) => $"latent_studio_{port}";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        string host = request.Host.HasValue ? request.Host.Host.ToLowerInvariant() : "";
        if (!_allowedHosts.Contains(host))
        {
            await ErrorResponse.Write(context, StatusCodes.Status403Forbidden,
                $"Host '{Clip(request.Host.Value ?? "")}' is not this studio's; expected one of {string.Join(", ", _allowedHosts.Order())} (open the address 'latent studio' printed)");
            return;
        }
        bool changesState = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        string? origin = request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : null;
        if (origin is not null && !IsOwnOrigin(origin, context))
        {
            await ErrorResponse.Write(context, StatusCodes.Status403Forbidden, $"Origin '{Clip(origin)}' is not this studio; requests from other sites are refused");
            return;
        }
        if (changesState && request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            await ErrorResponse.Write(context, StatusCodes.Status403Forbidden, "a cross-site request may not change the studio's state");
            return;
        }

        string cookieName = CookieName(context.Connection.LocalPort);
        string? fromQuery = request.Query.TryGetValue("token", out var queryValues) ? queryValues.ToString() : null;
        string? fromHeader = BearerToken(request) ?? (request.Headers.TryGetValue("X-Latent-Token", out var headerValues) ? headerValues.ToString() : null);
        string? fromCookie = request.Cookies[cookieName];
        string? presented = fromQuery ?? fromHeader ?? fromCookie;
        if (presented is null)
        {
            await ErrorResponse.Write(context, StatusCodes.Status401Unauthorized,
                "this studio needs its access token: open the full address 'latent studio' printed (…/?token=…)");
            return;
        }
        if (!Matches(presented))
        {
            await ErrorResponse.Write(context, StatusCodes.Status403Forbidden,
                "wrong access token: open the address printed by the running 'latent studio' (a restarted studio has a new token)");
            return;
        }
        if (fromQuery is not null)
        {
            context.Response.Cookies.Append(cookieName, fromQuery, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            if (HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api"))
            {
                // Take the token out of the address bar (and the browser history) now that the cookie holds it.
                var rest = request.Query.Where(pair => pair.Key != "token").Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value.ToString())}");
                string query = string.Join("&", rest);
                context.Response.Redirect(request.PathBase + request.Path + (query.Length > 0 ? "?" + query : ""));
                return;
            }
        }
        await next(context);
    }

    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);

    private bool IsOwnOrigin(string origin, HttpContext context) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && _allowedHosts.Contains(uri.Host.ToLowerInvariant())
        && uri.Port == context.Connection.LocalPort;

    private static string? BearerToken(HttpRequest request)
    {
        string authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Loopback names always; the bound address too, and every local address when bound to all of them.</summary>
    private static HashSet<string> AllowedHosts(IPAddress boundHost)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1", "[::1]" };
        void Add(IPAddress address) =>
            hosts.Add(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]".ToLowerInvariant() : address.ToString());
        if (boundHost.Equals(IPAddress.Any) || boundHost.Equals(IPAddress.IPv6Any))
        {
            foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
                    Add(unicast.Address);
        }
        else
        {
            Add(boundHost);
        }
        return hosts;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
