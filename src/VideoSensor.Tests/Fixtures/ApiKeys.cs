using System.Security.Cryptography;
using System.Text;

namespace VideoSensor.Tests.Fixtures;

/// <summary>API keys the test service accepts (stored hashed in its config, as in production).</summary>
public static class ApiKeys
{
    public const string Viewer = "test-viewer-key-0123456789";
    public const string Admin = "test-admin-key-0123456789";

    public static string Sha256(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
}
