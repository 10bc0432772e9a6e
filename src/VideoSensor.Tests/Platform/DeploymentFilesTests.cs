using System.Text.RegularExpressions;
using VideoSensor.Configuration;
using VideoSensor.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Tests.Platform;

/// <summary>Every YAML under components/, dapr/ and deploy/ parses and has what Dapr and Kubernetes require.</summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { "components", "dapr", "deploy" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, dir), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Root, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Resource_has_the_fields_its_kind_requires(string relativePath)
    {
        if (relativePath.StartsWith("deploy/config", StringComparison.Ordinal))
        {
            // Not a resource: the service's own config, checked by the service's own loader.
            ConfigLoader.Load(Path.Combine(Root, relativePath), readEnvironment: false);
            return;
        }

        if (Path.GetFileName(relativePath) == "kustomization.yaml")
        {
            CheckKustomization(relativePath);
            return;
        }

        var documents = Load(relativePath);
        Assert.NotEmpty(documents);
        foreach (var doc in documents)
        {
            var apiVersion = Scalar(doc, "apiVersion");
            var kind = Scalar(doc, "kind");
            var name = Scalar(doc, "metadata", "name");
            Assert.Matches(DnsName(), name);
            var check = (apiVersion, kind) switch
            {
                ("dapr.io/v1alpha1", "Component") => CheckComponent,
                ("dapr.io/v1alpha1", "Configuration") => CheckConfiguration,
                ("dapr.io/v1alpha1", "Resiliency") => CheckResiliency,
                ("apps/v1", "DaemonSet") => CheckDaemonSet,
                ("v1", "Service") => CheckService,
                ("v1", "ConfigMap") => CheckConfigMap,
                ("v1", "ServiceAccount") => (Action<YamlMappingNode>)(_ => { }),
                ("networking.k8s.io/v1", "NetworkPolicy") => CheckNetworkPolicy,
                ("rbac.authorization.k8s.io/v1", "Role") => CheckRole,
                ("rbac.authorization.k8s.io/v1", "RoleBinding") => CheckRoleBinding,
                _ => throw new Xunit.Sdk.XunitException($"{relativePath}: unexpected {apiVersion} {kind}"),
            };
            check(doc);
        }
    }

    [Fact]
    public void Kubernetes_resources_refer_to_each_other_consistently()
    {
        var all = Directory.EnumerateFiles(Path.Combine(Root, "deploy", "k8s"), "*.yaml").SelectMany(f => Load(Path.GetRelativePath(Root, f))).ToList();
        YamlMappingNode Single(string kind, string? name = null) => Assert.Single(all, d => Scalar(d, "kind") == kind && (name is null || Scalar(d, "metadata", "name") == name));
        var deployment = Single("DaemonSet");
        var pod = Map(deployment, "spec", "template", "spec");
        var annotations = Map(deployment, "spec", "template", "metadata", "annotations");
        Single("Configuration", Scalar(annotations, "dapr.io/config"));
        Single("ServiceAccount", Scalar(pod, "serviceAccountName"));
        var binding = Single("RoleBinding");
        Single("Role", Scalar(binding, "roleRef", "name"));
        Assert.Contains(Seq(binding, "subjects").Cast<YamlMappingNode>(), s => Scalar(s, "name") == Scalar(pod, "serviceAccountName"));
        var volumes = Seq(pod, "volumes").Cast<YamlMappingNode>().ToList();
        foreach (var volume in volumes.Where(v => v.Children.ContainsKey("persistentVolumeClaim")))
        {
            Single("PersistentVolumeClaim", Scalar(volume, "persistentVolumeClaim", "claimName"));
        }

        foreach (var volume in volumes.Where(v => v.Children.ContainsKey("configMap")))
        {
            Single("ConfigMap", Scalar(volume, "configMap", "name"));
        }

        var container = (YamlMappingNode)Seq(pod, "containers")[0];
        var portNames = Seq(container, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "name")).ToHashSet();
        Assert.All(all.Where(d => Scalar(d, "kind") == "Service").SelectMany(s => Seq(s, "spec", "ports").Cast<YamlMappingNode>()), p => Assert.Contains(Scalar(p, "targetPort"), portNames));

        // WebRTC from outside: MediaMTX announces the port it listens on, so the sensor's configured WebRTC ports, the
        // container ports and the node ports are one number each, on a node-local NodePort Service.
        var sensorConfig = new YamlStream();
        sensorConfig.Load(new StringReader(Scalar(Single("ConfigMap"), "data", "config.yaml")));
        var media = Map((YamlMappingNode)sensorConfig.Documents[0].RootNode, "media");
        var external = Single("Service", "videosensor-webrtc");
        Assert.Equal(("NodePort", "Local"), (Scalar(external, "spec", "type"), Scalar(external, "spec", "externalTrafficPolicy")));
        string ContainerPort(string name) => Scalar(Assert.Single(Seq(container, "ports").Cast<YamlMappingNode>(), p => Scalar(p, "name") == name), "containerPort");
        foreach (var (portName, key) in new[] { ("webrtc", "webrtc_port"), ("webrtc-udp", "webrtc_udp_port") })
        {
            var exposed = Assert.Single(Seq(external, "spec", "ports").Cast<YamlMappingNode>(), p => Scalar(p, "targetPort") == portName);
            Assert.Equal(Scalar(media, key), ContainerPort(portName));
            Assert.Equal(Scalar(media, key), Scalar(exposed, "nodePort"));
        }

        // The node's IP reaches media.webrtc_additional_hosts and server.public_host through the environment.
        var env = Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        Assert.Equal("status.hostIP", Scalar(env["NODE_IP"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("$(NODE_IP)", Scalar(env["VIDEOSENSOR__MEDIA__WEBRTC_ADDITIONAL_HOSTS__0"], "value"));
        Assert.Equal("$(NODE_IP)", Scalar(env["VIDEOSENSOR__SERVER__PUBLIC_HOST"], "value"));

        // The ConfigMap claims USB cameras by model (the example is filled in).
        Assert.NotEmpty(Seq((YamlMappingNode)sensorConfig.Documents[0].RootNode, "cameras", "usb", "assigned"));
        foreach (var component in new[] { "secretstore", "pubsub", "statestore", "configstore" })
        {
            Single("Component", component);
        }

        // Every component is scoped (other apps in the namespace do not load this actor state store), the resiliency
        // policy is there too, and the pod is scraped.
        Assert.All(all.Where(d => Scalar(d, "kind") is "Component" or "Resiliency"), d => Assert.Contains(Seq(d, "scopes").Cast<YamlScalarNode>(), n => n.Value == "videosensor"));
        Single("Resiliency");
        Single("NetworkPolicy");
        Assert.Equal("true", Scalar(annotations, "prometheus.io/scrape"));
        Assert.Contains(Scalar(annotations, "prometheus.io/port"), portNames.Select(n => Scalar(Assert.Single(Seq(container, "ports").Cast<YamlMappingNode>(), p => Scalar(p, "name") == n), "containerPort")));

        // The secret store's component uses Kubernetes secrets, and the sensor's config names the same stores.
        Assert.Equal("secretstores.kubernetes", Scalar(Single("Component", "secretstore"), "spec", "type"));
    }

    /// <summary>The kustomization lists every manifest of its folder (and only those) and sets the namespace.</summary>
    private static void CheckKustomization(string relativePath)
    {
        var doc = Assert.Single(Load(relativePath));
        Assert.Equal("Kustomization", Scalar(doc, "kind"));
        Assert.Matches(DnsName(), Scalar(doc, "namespace"));
        var folder = Path.GetDirectoryName(Path.Combine(Root, relativePath))!;
        var listed = Seq(doc, "resources").Cast<YamlScalarNode>().Select(n => n.Value!).Order(StringComparer.Ordinal).ToList();
        var present = Directory.EnumerateFiles(folder, "*.yaml").Select(f => Path.GetFileName(f)).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(present, listed);
    }

    private static void CheckNetworkPolicy(YamlMappingNode doc)
    {
        Assert.Equal("videosensor", Scalar(doc, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
        Assert.NotEmpty(Seq(doc, "spec", "policyTypes"));
        foreach (YamlMappingNode rule in Seq(doc, "spec", "ingress"))
        {
            foreach (YamlMappingNode port in Seq(rule, "ports"))
            {
                Assert.Contains(Scalar(port, "protocol"), new[] { "TCP", "UDP" });
                Assert.InRange(int.Parse(Scalar(port, "port"), System.Globalization.CultureInfo.InvariantCulture), 1, 65535);
            }
        }
    }

    private static void CheckComponent(YamlMappingNode doc)
    {
        Assert.Matches(ComponentType(), Scalar(doc, "spec", "type"));
        Assert.Matches("^v[0-9]+$", Scalar(doc, "spec", "version"));
        foreach (YamlMappingNode item in Seq(doc, "spec", "metadata"))
        {
            Assert.False(string.IsNullOrEmpty(Scalar(item, "name")));
            var hasValue = item.Children.ContainsKey("value");
            var hasRef = item.Children.ContainsKey("secretKeyRef");
            Assert.True(hasValue ^ hasRef, $"metadata {Scalar(item, "name")} needs exactly one of value / secretKeyRef");
            if (hasRef)
            {
                Assert.False(string.IsNullOrEmpty(Scalar(item, "secretKeyRef", "name")));
                Assert.False(string.IsNullOrEmpty(Scalar(doc, "auth", "secretStore")), "a secretKeyRef needs auth.secretStore");
            }
        }

        if (Scalar(doc, "spec", "type").StartsWith("state.", StringComparison.Ordinal))
        {
            Assert.Contains(Seq(doc, "spec", "metadata").Cast<YamlMappingNode>(), m => Scalar(m, "name") == "actorStateStore" && Scalar(m, "value") == "true");
        }
    }

    private static void CheckConfiguration(YamlMappingNode doc)
    {
        Assert.Contains(Scalar(doc, "spec", "accessControl", "defaultAction"), new[] { "allow", "deny" });
        Assert.All(Seq(doc, "spec", "secrets", "scopes").Cast<YamlMappingNode>(), s => Assert.False(string.IsNullOrEmpty(Scalar(s, "storeName"))));
        Assert.Matches("^(0(\\.[0-9]+)?|1)$", Scalar(doc, "spec", "tracing", "samplingRate"));
        Assert.Equal("true", Scalar(doc, "spec", "metrics", "enabled"));
    }

    private static void CheckResiliency(YamlMappingNode doc)
    {
        var policies = Map(doc, "spec", "policies");
        var defined = policies.Children.Values.OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys).Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        foreach (YamlMappingNode target in Map(doc, "spec", "targets", "components").Children.Values)
        {
            foreach (var direction in target.Children.Values.OfType<YamlMappingNode>())
            {
                Assert.All(direction.Children.Values.OfType<YamlScalarNode>(), policy => Assert.Contains(policy.Value!, defined));
            }
        }
    }

    private static void CheckDaemonSet(YamlMappingNode doc)
    {
        var labels = Map(doc, "spec", "template", "metadata", "labels");
        foreach (var (key, value) in Map(doc, "spec", "selector", "matchLabels").Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(labels, ((YamlScalarNode)key).Value!));
        }

        var annotations = Map(doc, "spec", "template", "metadata", "annotations");
        Assert.Equal("true", Scalar(annotations, "dapr.io/enabled"));
        Assert.Matches(DnsName(), Scalar(annotations, "dapr.io/app-id"));
        var pod = Map(doc, "spec", "template", "spec");
        // Only camera nodes, selected by their label.
        Assert.Equal("true", Scalar(pod, "nodeSelector", "videosensor.io/camera-node"));
        var container = (YamlMappingNode)Seq(pod, "containers")[0];
        Assert.False(string.IsNullOrEmpty(Scalar(container, "name")));
        Assert.False(string.IsNullOrEmpty(Scalar(container, "image")));
        Assert.Contains(Scalar(annotations, "dapr.io/app-port"), Seq(container, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "containerPort")));
        Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.False(string.IsNullOrEmpty(Scalar(container, "resources", "limits", "memory")));
        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));

        // USB through a device-plugin grant, never the host's /dev; no host network, no privileged container.
        Assert.Equal("1", Scalar(container, "resources", "limits", "squat.ai/video"));
        Assert.DoesNotContain(Seq(container, "volumeMounts").Cast<YamlMappingNode>(), m => Scalar(m, "mountPath").StartsWith("/dev", StringComparison.Ordinal));
        var hostPaths = Seq(pod, "volumes").Cast<YamlMappingNode>().Where(v => v.Children.ContainsKey("hostPath")).Select(v => Scalar(v, "hostPath", "path")).ToList();
        Assert.Equal(["/var/lib/videosensor"], hostPaths);
        Assert.False(pod.Children.ContainsKey("hostNetwork"));
        foreach (YamlMappingNode c in Seq(pod, "containers").Concat(Seq(pod, "initContainers")))
        {
            Assert.False(Map(c, "securityContext").Children.ContainsKey("privileged"));
            Assert.Equal(["ALL"], Seq(c, "securityContext", "capabilities", "drop").Cast<YamlScalarNode>().Select(n => n.Value));
        }
    }

    private static void CheckService(YamlMappingNode doc)
    {
        Assert.NotEmpty(Map(doc, "spec", "selector").Children);
        Assert.All(Seq(doc, "spec", "ports").Cast<YamlMappingNode>(), p => Assert.InRange(int.Parse(Scalar(p, "port"), System.Globalization.CultureInfo.InvariantCulture), 1, 65535));
    }

    private static void CheckConfigMap(YamlMappingNode doc)
    {
        // The sensor config inside must pass the service's own loader (unknown keys, validation).
        using var dir = new TempDirectory();
        var path = dir.Combine("config.yaml");
        File.WriteAllText(path, Scalar(doc, "data", "config.yaml"));
        ConfigLoader.Load(path, readEnvironment: false);
    }

    private static void CheckRole(YamlMappingNode doc) =>
        Assert.All(Seq(doc, "rules").Cast<YamlMappingNode>(), r =>
        {
            Assert.NotEmpty(Seq(r, "verbs"));
            Assert.NotEmpty(Seq(r, "resources"));
        });

    private static void CheckRoleBinding(YamlMappingNode doc)
    {
        Assert.Equal("Role", Scalar(doc, "roleRef", "kind"));
        Assert.Equal("rbac.authorization.k8s.io", Scalar(doc, "roleRef", "apiGroup"));
        Assert.NotEmpty(Seq(doc, "subjects"));
    }

    private static List<YamlMappingNode> Load(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, relativePath)))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode))];
    }

    private static YamlNode Node(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            var map = Assert.IsType<YamlMappingNode>(current);
            Assert.True(map.Children.TryGetValue(new YamlScalarNode(key), out var next), $"missing {string.Join('.', path)}");
            current = next!;
        }

        return current;
    }

    private static string Scalar(YamlMappingNode node, params string[] path) => Assert.IsType<YamlScalarNode>(Node(node, path)).Value ?? "";

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) => Assert.IsType<YamlMappingNode>(Node(node, path));

    private static IList<YamlNode> Seq(YamlMappingNode node, params string[] path) => Assert.IsType<YamlSequenceNode>(Node(node, path)).Children;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^(pubsub|state|secretstores|configuration|bindings|lock|crypto|middleware\.http|nameresolution|conversation)\.[a-z0-9.]+$")]
    private static partial Regex ComponentType();
}
