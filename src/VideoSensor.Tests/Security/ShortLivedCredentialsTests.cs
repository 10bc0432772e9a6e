using Microsoft.Extensions.Time.Testing;
using VideoSensor.Security;

namespace VideoSensor.Tests.Security;

/// <summary>The credentials meant for child command lines: one path, one action, short-lived, dead soon after first use.</summary>
public sealed class ShortLivedCredentialsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void A_credential_works_for_its_path_and_action_only()
    {
        var store = new ShortLivedCredentials(_time);
        var c = store.Issue("cam1", "read");

        Assert.False(store.TryUse(c.User, c.Password, "cam2", "read"));
        Assert.False(store.TryUse(c.User, c.Password, "cam1", "publish"));
        Assert.False(store.TryUse(c.User, c.Password + "x", "cam1", "read"));
        Assert.False(store.TryUse("videosensor-internal", c.Password, "cam1", "read"));
        Assert.True(store.TryUse(c.User, c.Password, "cam1", "read"));
        Assert.NotEqual(c.Password, store.Issue("cam1", "read").Password);
    }

    [Fact]
    public void An_unused_credential_expires_after_its_lifetime()
    {
        var store = new ShortLivedCredentials(_time);
        var c = store.Issue("cam1", "read");

        _time.Advance(ShortLivedCredentials.Lifetime + TimeSpan.FromSeconds(1));

        Assert.False(store.TryUse(c.User, c.Password, "cam1", "read"));
        Assert.Equal(0, store.Outstanding);
    }

    [Fact]
    public void A_used_credential_dies_shortly_after_its_first_use()
    {
        var store = new ShortLivedCredentials(_time);
        var c = store.Issue("cam1", "read");
        Assert.True(store.TryUse(c.User, c.Password, "cam1", "read"));

        // The same read's next RTSP requests, moments later, still pass…
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(store.TryUse(c.User, c.Password, "cam1", "read"));

        // …a copy taken from ps and replayed later does not.
        _time.Advance(ShortLivedCredentials.UseWindow);
        Assert.False(store.TryUse(c.User, c.Password, "cam1", "read"));
    }

    [Fact]
    public void The_url_carries_a_fresh_credential_for_the_path_and_action()
    {
        var store = new ShortLivedCredentials(_time);
        var url = new Uri(store.LocalRtspUrl(8554, "cam1", "read"));
        var again = new Uri(store.LocalRtspUrl(8554, "cam1", "read"));
        var (user, password) = (url.UserInfo.Split(':')[0], url.UserInfo.Split(':')[1]);

        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal("/cam1", url.AbsolutePath);
        Assert.NotEqual(url.UserInfo, again.UserInfo);
        Assert.False(store.TryUse(user, password, "cam1", "publish"));
        Assert.True(store.TryUse(user, password, "cam1", "read"));
    }
}
