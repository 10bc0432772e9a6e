using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Api.Rest;

/// <summary>Downloads of recordings and snapshots, with Range support, for viewers and up.</summary>
internal static class FilesApi
{
    public static RouteGroupBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/files").RequireRole(Role.Viewer);
        group.MapGet("/recordings/{filename}", (string filename, FileStore store) => Download(store, FileKind.Recording, filename));
        group.MapGet("/snapshots/{filename}", (string filename, FileStore store) => Download(store, FileKind.Snapshot, filename));
        return group;
    }

    private static IResult Download(FileStore store, FileKind kind, string filename)
    {
        if (!FileNames.IsSafe(filename))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid file name", detail: FileNames.Rule);
        }

        if (!store.TryFind(kind, filename, out var file))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: $"no {kind.ToString().ToLowerInvariant()} named '{filename}'");
        }

        var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Results.Stream(stream, ContentType(filename), fileDownloadName: filename, lastModified: file.ModifiedTime, enableRangeProcessing: true);
    }

    internal static string ContentType(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".mp4" or ".m4s" or ".fmp4" => "video/mp4",
        ".mkv" => "video/x-matroska",
        _ => "application/octet-stream",
    };
}
