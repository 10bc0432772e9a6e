using VideoSensor.Tests.Fixtures.Dapr;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Tests.Platform;

/// <summary>dapr.yaml (Dapr CLI multi-app run) and tye.yaml (Tye) start the same app with the same Dapr files and sensor config.</summary>
public sealed class LocalRunFilesTests
{
    private static readonly string Root = DaprResources.RepositoryRoot;

    [Fact]
    public void Dapr_multi_app_run_and_Tye_load_the_same_components_Dapr_configuration_and_sensor_config()
    {
        var dapr = Load("dapr.yaml");
        var common = (YamlMappingNode)dapr["common"];
        var app = (YamlMappingNode)((YamlSequenceNode)dapr["apps"]).Children.Single();
        var appDir = Path.Combine(Root, Scalar(app, "appDirPath"));
        var daprEnv = (YamlMappingNode)app["env"];

        var tye = Load("tye.yaml");
        var extension = (YamlMappingNode)((YamlSequenceNode)tye["extensions"]).Children.Single(e => Scalar((YamlMappingNode)e, "name") == "dapr");
        var service = (YamlMappingNode)((YamlSequenceNode)tye["services"]).Children.Single(s => ((YamlMappingNode)s).Children.ContainsKey("project"));
        var tyeEnv = ((YamlSequenceNode)service["env"]).Children.Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));

        Assert.Equal(Scalar(app, "appID"), Scalar(service, "name"));
        Assert.Equal(Full(Root, Scalar(common, "resourcesPath")), Full(Root, Scalar(extension, "components-path")));

        // Tye reads <tye.yaml folder>/components/<config>.yaml as the Dapr configuration file.
        var daprConfig = Full(Root, Scalar(common, "configFilePath"));
        Assert.Equal(daprConfig, Full(Path.Combine(Root, "components"), Scalar(extension, "config") + ".yaml"));
        Assert.True(File.Exists(daprConfig), daprConfig);

        // The sensor's config: dapr.yaml runs in the app folder, Tye in the repository root.
        var sensorConfig = Full(appDir, Scalar(daprEnv, "VIDEOSENSOR_CONFIG"));
        Assert.Equal(sensorConfig, Full(Root, tyeEnv["VIDEOSENSOR_CONFIG"]));
        Assert.True(File.Exists(sensorConfig), sensorConfig);
        Assert.Equal(Scalar(app, "appPort"), Scalar((YamlMappingNode)((YamlSequenceNode)service["bindings"]).Children[0], "port"));
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static string Full(string baseDir, string path) => Path.GetFullPath(Path.Combine(baseDir, path));
}
