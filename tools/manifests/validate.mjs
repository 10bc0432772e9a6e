// Validates the deployment manifests offline, one line per document:
//  - Kubernetes objects against the Kubernetes OpenAPI schemas bundled in kubernetes-models (types, required fields, enums);
//  - Dapr resources (Component, Configuration, Resiliency, Subscription) against JSON schemas written from the Dapr CRDs
//    (dapr-schemas/), which also refuse unknown fields as kubectl's strict field validation does;
//  - kustomization.yaml: every listed resource exists, every manifest of the folder is listed, the namespace is set, and no
//    listed manifest hard-codes a namespace of its own.
// Usage: node validate.mjs [paths…]                 exit 0 when every document is valid, 1 otherwise
//        node validate.mjs --expect-invalid paths…  exit 0 only when every document is refused (proves the checks bite)
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

const ajv = new Ajv({ allErrors: true, strict: false });
for (const file of readdirSync(join(here, "dapr-schemas")).sort()) {
  ajv.addSchema(JSON.parse(readFileSync(join(here, "dapr-schemas", file), "utf8")));
}
// The schemas' $id values are names only (an .invalid host): nothing is fetched.
const schemaBase = "https://schemas.daprcamera.invalid/dapr/";
const daprSchemas = {
  "dapr.io/v1alpha1 Component": "component.v1alpha1.json",
  "dapr.io/v1alpha1 Configuration": "configuration.v1alpha1.json",
  "dapr.io/v1alpha1 Resiliency": "resiliency.v1alpha1.json",
  "dapr.io/v1alpha1 Subscription": "subscription.json",
  "dapr.io/v2alpha1 Subscription": "subscription.json",
};

// Not Kubernetes resources: the sensor's own configuration (checked by the service's loader in the tests) and dashboards.
const notManifests = [/^deploy\/config\//, /\.json$/];

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const targets = (expectInvalid ? args.slice(1) : args).map((p) => resolve(p));
if (targets.length === 0) {
  targets.push(join(root, "deploy"), join(root, "components"), join(root, "dapr"));
}

function yamlFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
}

async function kubernetesValidator(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
  try {
    const models = await import(module);
    return models[kind] ? (doc) => new models[kind](doc).validate() : null;
  } catch {
    return null;
  }
}

// Every policy a Resiliency target names must be defined under spec.policies (Dapr refuses the resource otherwise).
function resiliencyReferences(doc) {
  const problems = [];
  const policies = doc.spec?.policies ?? {};
  const defined = { timeout: policies.timeouts ?? {}, retry: policies.retries ?? {}, circuitBreaker: policies.circuitBreakers ?? {} };
  const check = (where, names) => {
    for (const [key, table] of Object.entries(defined)) {
      if (names?.[key] !== undefined && !(names[key] in table)) problems.push(`${where}/${key}: no ${key} policy named "${names[key]}"`);
    }
  };
  for (const [name, target] of Object.entries(doc.spec?.targets?.apps ?? {})) check(`targets/apps/${name}`, target);
  for (const [name, target] of Object.entries(doc.spec?.targets?.actors ?? {})) check(`targets/actors/${name}`, target);
  for (const [name, target] of Object.entries(doc.spec?.targets?.components ?? {})) {
    check(`targets/components/${name}/outbound`, target.outbound);
    check(`targets/components/${name}/inbound`, target.inbound);
  }
  return problems;
}

function kustomizationProblems(file, doc) {
  const problems = [];
  const folder = dirname(file);
  if (doc.apiVersion !== "kustomize.config.k8s.io/v1beta1" || doc.kind !== "Kustomization") problems.push("not a kustomize.config.k8s.io/v1beta1 Kustomization");
  if (typeof doc.namespace !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(doc.namespace)) problems.push("namespace: must be set to a DNS label (the namespace comes from here)");
  const listed = Array.isArray(doc.resources) ? doc.resources : [];
  for (const resource of listed) {
    const path = join(folder, resource);
    if (!existsSync(path)) problems.push(`resources: ${resource} does not exist`);
  }
  const present = readdirSync(folder).filter((n) => /\.ya?ml$/.test(n) && n !== basename(file));
  for (const name of present.filter((n) => !listed.includes(n))) problems.push(`resources: ${name} is in the folder but not listed`);
  return problems;
}

async function validateDocument(file, doc) {
  if (basename(file) === "kustomization.yaml") return { what: "Kustomization", schema: "kustomize", problems: kustomizationProblems(file, doc) };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { what: "?", schema: "-", problems: ["not a mapping"] };
  const what = `${doc.kind}/${doc.metadata?.name ?? "?"}`;
  const result = await validateResource(doc);
  // Beside a kustomization the namespace comes from it: a manifest of its own would escape an overlay's namespace.
  if (existsSync(join(dirname(file), "kustomization.yaml")) && doc.metadata?.namespace !== undefined) {
    result.problems.push(`metadata.namespace "${doc.metadata.namespace}" is hard-coded (kustomization.yaml sets it)`);
  }
  return { what, ...result };
}

async function validateResource(doc) {
  const dapr = daprSchemas[`${doc.apiVersion} ${doc.kind}`];
  if (dapr) {
    const validate = ajv.getSchema(schemaBase + dapr);
    const problems = validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
    if (doc.kind === "Resiliency") problems.push(...resiliencyReferences(doc));
    return { schema: `Dapr CRD ${doc.apiVersion}`, problems };
  }
  if (typeof doc.apiVersion === "string" && typeof doc.kind === "string" && !doc.apiVersion.startsWith("dapr.io/")) {
    const validate = await kubernetesValidator(doc.apiVersion, doc.kind);
    if (validate) {
      try {
        validate(doc);
        return { schema: `Kubernetes ${doc.apiVersion}`, problems: [] };
      } catch (error) {
        return { schema: `Kubernetes ${doc.apiVersion}`, problems: String(error.message).split(", ") };
      }
    }
  }
  return { schema: "-", problems: [`no schema for apiVersion "${doc.apiVersion}" kind "${doc.kind}"`] };
}

let documents = 0;
let invalid = 0;
for (const target of targets) {
  for (const file of yamlFiles(target)) {
    const name = relative(root, file);
    if (notManifests.some((r) => r.test(name))) continue;
    const parsed = parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true });
    for (const [index, yaml] of parsed.entries()) {
      documents++;
      const syntax = [...yaml.errors, ...yaml.warnings].map((e) => e.message.split("\n")[0]);
      const result = syntax.length > 0 ? { what: "?", schema: "yaml", problems: syntax } : await validateDocument(file, yaml.toJS());
      const at = parsed.length > 1 ? `${name}#${index + 1}` : name;
      if (result.problems.length === 0) {
        console.log(`valid    ${at}  ${result.what}  (${result.schema})`);
      } else {
        invalid++;
        console.log(`INVALID  ${at}  ${result.what}  (${result.schema})`);
        for (const problem of result.problems) console.log(`         - ${problem}`);
      }
    }
  }
}

if (expectInvalid) {
  const accepted = documents - invalid;
  console.log(`manifests (expected invalid): ${invalid} of ${documents} refused${accepted > 0 ? `, ${accepted} wrongly accepted` : ""}`);
  process.exit(documents > 0 && accepted === 0 ? 0 : 1);
}
console.log(`manifests: ${documents - invalid} valid, ${invalid} invalid`);
process.exit(documents > 0 && invalid === 0 ? 0 : 1);
