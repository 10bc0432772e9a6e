using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// The service's own data-plane identity: its ingests publish and its recorders read with it, and it
/// calls the MediaMTX API with it. Random per process, so it is never in a file a user could copy.
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

    /// <summary>An RTSP URL on the local MediaMTX with this credential in it.</summary>
    public string LocalRtspUrl(int port, string path) => $"rtsp://{User}:{Password}@127.0.0.1:{port}/{path}";
}
