#:package TngTech.ArchUnitNET
#:property PublishAot=false
// Counts the dependencies between the service's top-level folders (VideoSensor.<Folder> namespaces) and between its
// assemblies, from the compiled code (every type reference ArchUnitNET finds: fields, signatures, calls, attributes).
// Usage: dotnet run tools/dependency-graph/dependency-graph.cs -- <folder with VideoSensor*.dll>
// Prints one JSON object: folders, cross-folder dependencies, pairs that depend on each other both ways, and the
// cycles (strongly connected groups of more than one folder).
// With `--why From To` it prints instead the type references behind the folder dependency From -> To.
using System.Text.Json;
using ArchUnitNET.Loader;

var why = Array.IndexOf(args, "--why") is var at and >= 0 && at + 2 < args.Length ? (args[at + 1], args[at + 2]) : default;
var folder = args.Length > 0 && args[0] != "--why" ? args[0] : "src/VideoSensor/bin/Release/net10.0";
var assemblies = Directory.GetFiles(folder, "VideoSensor*.dll")
    .Where(p => !Path.GetFileName(p).Contains(".Tests", StringComparison.Ordinal) && !Path.GetFileName(p).Contains(".Bench", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal).ToArray();
var architecture = new ArchLoader().LoadAssemblies([.. assemblies.Select(System.Reflection.Assembly.LoadFrom)]).Build();

static string? TopFolder(string ns)
{
    var parts = ns.Split('.');
    return parts.Length >= 2 && parts[0] == "VideoSensor" ? parts[1] : null;
}

var folderEdges = new SortedSet<(string, string)>();
var assemblyEdges = new SortedSet<(string, string)>();
var folders = new SortedSet<string>(StringComparer.Ordinal);
foreach (var type in architecture.Types)
{
    if (TopFolder(type.Namespace.FullName) is not { } from)
    {
        continue;
    }
    folders.Add(from);
    foreach (var dependency in type.Dependencies)
    {
        var target = dependency.Target;
        if (TopFolder(target.Namespace?.FullName ?? "") is { } to && to != from)
        {
            folderEdges.Add((from, to));
            if ((from, to) == why)
            {
                Console.WriteLine($"{type.FullName} -> {target.FullName}");
            }
        }
        if (target.Assembly is { } to2 && to2.Name != type.Assembly.Name && to2.Name.StartsWith("VideoSensor", StringComparison.Ordinal))
        {
            assemblyEdges.Add((type.Assembly.Name.Split(',')[0], to2.Name.Split(',')[0]));
        }
    }
}

if (why != default)
{
    return;
}

var mutual = folderEdges.Where(e => string.CompareOrdinal(e.Item1, e.Item2) < 0 && folderEdges.Contains((e.Item2, e.Item1))).ToList();
var cycles = StronglyConnected(folders, folderEdges).Where(c => c.Count > 1).ToList();
Console.WriteLine(JsonSerializer.Serialize(new
{
    assemblies = assemblies.Select(Path.GetFileNameWithoutExtension).ToList(),
    assembly_dependencies = assemblyEdges.Select(e => $"{e.Item1} -> {e.Item2}").ToList(),
    folders,
    cross_folder_dependencies = folderEdges.Count,
    mutual_pairs = mutual.Count,
    cycles = cycles.Select(c => string.Join(" ", c.Order(StringComparer.Ordinal))).ToList(),
    largest_cycle = cycles.Count == 0 ? 0 : cycles.Max(c => c.Count),
    edges = folderEdges.Select(e => $"{e.Item1} -> {e.Item2}").ToList(),
}, new JsonSerializerOptions { WriteIndented = true }));

// Tarjan's algorithm: the groups of folders that can all reach each other.
static List<List<string>> StronglyConnected(IEnumerable<string> nodes, IReadOnlySet<(string, string)> edges)
{
    var index = new Dictionary<string, int>();
    var low = new Dictionary<string, int>();
    var stack = new Stack<string>();
    var onStack = new HashSet<string>();
    var result = new List<List<string>>();
    var next = 0;
    void Visit(string v)
    {
        index[v] = low[v] = next++;
        stack.Push(v);
        onStack.Add(v);
        foreach (var (_, w) in edges.Where(e => e.Item1 == v))
        {
            if (!index.ContainsKey(w))
            {
                Visit(w);
                low[v] = Math.Min(low[v], low[w]);
            }
            else if (onStack.Contains(w))
            {
                low[v] = Math.Min(low[v], index[w]);
            }
        }
        if (low[v] == index[v])
        {
            var group = new List<string>();
            string w;
            do
            {
                w = stack.Pop();
                onStack.Remove(w);
                group.Add(w);
            }
            while (w != v);
            result.Add(group);
        }
    }
    foreach (var n in nodes)
    {
        if (!index.ContainsKey(n))
        {
            Visit(n);
        }
    }
    return result;
}
