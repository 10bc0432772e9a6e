using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>
/// The dev-mode signing secret as an attacker finds it after a bad first start: empty, short or garbage.
/// None of them may become a key anyone can compute; each is replaced by 32 fresh random bytes, 0600.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SigningSecretTests
{
    public static TheoryData<string, byte[]> DamagedSecrets() => new()
    {
        { "empty", [] },
        { "short", Encoding.UTF8.GetBytes("0123456789abcdef") },
        { "garbage", [0xff, 0xfe, 0x00, .. Encoding.UTF8.GetBytes(new string('z', 80))] },
        { "short hex", Encoding.UTF8.GetBytes(new string('a', 62)) },
    };

    [Theory]
    [MemberData(nameof(DamagedSecrets))]
    public async Task A_damaged_dev_secret_is_replaced_and_tokens_signed_with_it_are_refused(string kind, byte[] content)
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        var secretPath = root.Combine("storage", "state", "dev-jwt-secret");
        Directory.CreateDirectory(Path.GetDirectoryName(secretPath)!);
        await File.WriteAllBytesAsync(secretPath, content, ct);
        File.SetUnixFileMode(secretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var service = await TestService.StartAsync(root: root, cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = service.BaseUri };

        // The keys the old code derived from such a file: the raw bytes, or their SHA-256 when short.
        foreach (var forgedKey in new[] { SHA256.HashData(content), Pad(content) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenForge.Forge(forgedKey, "admin"));
            using var response = await http.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind}: a token signed with a key derived from the damaged file got {(int)response.StatusCode}");
        }

        var replaced = (await File.ReadAllTextAsync(secretPath, ct)).Trim();
        Assert.Matches("^[0-9a-f]{64}$", replaced);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretPath));
        Assert.Contains(service.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("was empty, short or unreadable", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(secretPath)!, "*.tmp"));

        // The service's own tokens work with the new secret, and so does one signed with the file's bytes.
        using var good = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config");
        good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenForge.Forge(Convert.FromHexString(replaced), "admin"));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(good, ct)).StatusCode);
    }

    [Fact]
    public async Task A_missing_dev_secret_is_created_0600_with_32_random_bytes_and_kept_across_restarts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        var secretPath = root.Combine("storage", "state", "dev-jwt-secret");
        string first;
        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await service.TokenAsync("viewer");
            first = await File.ReadAllTextAsync(secretPath, ct);
            Assert.Contains(service.Logs.Lines, l => l.Contains("generated a JWT signing secret", StringComparison.Ordinal));
        }

        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretPath));
        await using (var again = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await using var client = await again.ConnectAsync("viewer", ct);
            Assert.Equal(first, await File.ReadAllTextAsync(secretPath, ct));
            Assert.DoesNotContain(again.Logs.Lines, l => l.Contains("generated a JWT signing secret", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_configured_jwt_secret_under_32_bytes_is_refused_not_stretched()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        const string shortSecret = "only-twenty-one-bytes";
        var secretsFile = root.Combine("secrets.yaml");
        await File.WriteAllTextAsync(secretsFile, $"jwt:\n  value: {shortSecret}\n", ct);
        await using var service = await TestService.StartAsync(
            $"security:\n  dev_mode: false\n  jwt_secret: {{secret: jwt, key: value}}\nsecrets:\n  file: {secretsFile}\n", root: root, cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = service.BaseUri };
        foreach (var key in new[] { SHA256.HashData(Encoding.UTF8.GetBytes(shortSecret)), Pad(Encoding.UTF8.GetBytes(shortSecret)) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenForge.Forge(key, "admin"));
            using var response = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Contains(service.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("HS256 needs at least 32", StringComparison.Ordinal));
        Assert.DoesNotContain(shortSecret, service.Logs.All, StringComparison.Ordinal);
    }

    /// <summary>Zero-padded to 32 bytes: the library refuses shorter HMAC keys for signing, a forger would pad.</summary>
    private static byte[] Pad(byte[] key) => key.Length >= 32 ? key : [.. key, .. new byte[32 - key.Length]];
}
