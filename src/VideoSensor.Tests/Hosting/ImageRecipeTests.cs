using System.Text.RegularExpressions;
using System.Xml.Linq;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Hosting;

/// <summary>
/// The image is not built on these machines (no container engine), so what can be checked without one is: the
/// Dockerfile's build stage copies every project the service is built from — each one the host references, directly or
/// through another, analyzers (the JSON-RPC table generator) included — before its restore and before its publish.
/// A project missing there fails the image build only where someone finally builds it.
/// </summary>
public sealed class ImageRecipeTests
{
    [Fact]
    public void The_build_stage_copies_every_project_the_service_is_built_from()
    {
        var root = DaprResources.RepositoryRoot;
        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        var copied = Regex.Matches(dockerfile, @"^COPY (src/[^\s]+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        var projects = ProjectsOf(Path.Combine(root, "src", "VideoSensor", "VideoSensor.csproj"));

        Assert.Contains("VideoSensor.RpcGenerator", projects.Select(Path.GetFileNameWithoutExtension));
        foreach (var project in projects)
        {
            var relative = Path.GetRelativePath(root, project).Replace('\\', '/');
            var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/') + "/";
            Assert.True(copied.Contains(relative), $"the Dockerfile does not copy {relative} before the restore");
            Assert.True(copied.Contains(folder), $"the Dockerfile does not copy {folder} before the publish");
        }
    }

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectsOf(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
            }
        }

        return found;
    }
}
