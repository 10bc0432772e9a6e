using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// The service's own identity towards MediaMTX: it calls the MediaMTX API with it (in a header). Random per
/// process, so it is never in a file a user could copy, and never in a child's command line: ingests and
/// readers get a <see cref="ShortLivedCredentials">short-lived credential</see> each.
/// </summary>
internal sealed class InternalCredential
{
    public InternalCredential(SecretRedactor redactor)
    {
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        redactor.Register(Password);
    }

    public string User => "videosensor-internal";
    public string Password { get; }

    public bool Matches(string? user, string? password) =>
        user == User && password is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password));

    public AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
}
