using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace VideoSensor.Tests.Architecture;

/// <summary>
/// The layering the project references cannot say on their own. The references already stop the core from naming a
/// type of the Dapr adapter or the host; these rules also catch what a package reference would let in (a core type
/// using ASP.NET Core, Dapr, gRPC or StreamJsonRpc) and the order between the core's own folders.
/// </summary>
public sealed class LayerRulesTests
{
    private static readonly System.Reflection.Assembly CoreAssembly = typeof(VideoSensor.Cameras.CameraRegistry).Assembly;
    private static readonly System.Reflection.Assembly DaprAssembly = typeof(VideoSensor.Platform.Dapr.DaprSidecar).Assembly;
    private static readonly System.Reflection.Assembly HostAssembly = typeof(VideoSensor.Api.JsonRpc.RpcMethodCatalog).Assembly;

    private static readonly ArchUnitNET.Domain.Architecture Service = new ArchLoader()
        .LoadAssemblies(CoreAssembly, DaprAssembly, HostAssembly)
        .Build();

    private static readonly IObjectProvider<IType> Core = Types().That().ResideInAssembly(CoreAssembly).As("the core");
    private static readonly IObjectProvider<IType> DaprAdapter = Types().That().ResideInAssembly(DaprAssembly).As("the Dapr adapter");

    [Fact]
    public void The_projects_are_the_three_layers()
    {
        Assert.Equal("VideoSensor.Core", CoreAssembly.GetName().Name);
        Assert.Equal("VideoSensor.Dapr", DaprAssembly.GetName().Name);
        Assert.Equal("VideoSensor", HostAssembly.GetName().Name);
        var coreReferences = CoreAssembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(coreReferences, IsTransportOrPlatform);
        Assert.DoesNotContain(coreReferences, n => n is "VideoSensor" or "VideoSensor.Dapr");
        Assert.DoesNotContain(DaprAssembly.GetReferencedAssemblies(), a => a.Name is "VideoSensor" or "StreamJsonRpc");
    }

    [Fact]
    public void No_core_type_uses_AspNetCore_Dapr_gRPC_or_StreamJsonRpc() =>
        Types().That().Are(Core).Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^(Microsoft\.AspNetCore|Dapr|Grpc|StreamJsonRpc)(\..*)?$")
            .Because("the core is what every transport and platform adapter calls; none of them may leak in")
            .Check(Service);

    [Fact]
    public void No_core_type_uses_the_host_or_the_Dapr_adapter() =>
        Types().That().Are(Core).Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^VideoSensor\.(Api|Hosting|Platform)(\..*)?$")
            .Check(Service);

    [Fact]
    public void The_Dapr_adapter_does_not_use_the_transports() =>
        Types().That().Are(DaprAdapter).Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^(VideoSensor\.(Api|Hosting)|StreamJsonRpc)(\..*)?$")
            .Check(Service);

    [Fact]
    public void The_ports_depend_on_no_feature() =>
        Types().That().ResideInNamespaceMatching(@"^VideoSensor\.(Events|FeedOwnership|Health|Contracts|Errors)(\..*)?$")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^VideoSensor\.(Cameras|Media|Recording|Snapshots|Storage|Security|Configuration|Telemetry|Secrets)(\..*)?$")
            .Because("a port is what a feature and an adapter agree on; it cannot know either")
            .Check(Service);

    [Fact]
    public void Features_raise_event_records_and_never_name_the_wire() =>
        Types().That().ResideInNamespaceMatching(@"^VideoSensor\.(Cameras|Media|Recording|Snapshots|Storage|Security|Configuration|Telemetry|Secrets|Events)(\..*)?$")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^VideoSensor\.EventContract(\..*)?$")
            .Because("an event's topic and wire fields are the transports' contract, mapped once in EventWire")
            .Check(Service);

    [Fact]
    public void Cameras_do_not_know_their_consumers() =>
        Types().That().ResideInNamespaceMatching(@"^VideoSensor\.Cameras(\..*)?$")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^VideoSensor\.(Recording|Snapshots)(\..*)?$")
            .Check(Service);

    [Fact]
    public void REST_and_the_console_run_actions_not_JSON_RPC_methods() =>
        Types().That().ResideInNamespaceMatching(@"^VideoSensor\.Api\.(Rest|WebConsole)(\..*)?$")
            .Should().NotDependOnAnyTypesThat().ImplementInterface(typeof(VideoSensor.Api.JsonRpc.IRpcMethodGroup))
            .Because("an action reachable from several transports is one use case in the core; a transport only translates")
            .Check(Service);

    private static bool IsTransportOrPlatform(string name) =>
        name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || name.StartsWith("Dapr", StringComparison.Ordinal)
        || name.StartsWith("Grpc", StringComparison.Ordinal) || name.StartsWith("StreamJsonRpc", StringComparison.Ordinal);
}
