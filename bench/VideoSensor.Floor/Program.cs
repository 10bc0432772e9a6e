using System.Net;

// Listens on the ports the service would (VIDEOSENSOR__SERVER__PORT / HEALTH_PORT) and answers /health/ready:
// the runtime + Kestrel + routing cost that every ASP.NET Core service pays before doing any work of its own.
var port = int.Parse(Environment.GetEnvironmentVariable("VIDEOSENSOR__SERVER__PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.MapGet("/health/ready", () => "ok");
app.MapGet("/health", () => "ok");
await app.RunAsync();
