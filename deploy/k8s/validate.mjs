// Validates Kubernetes objects against the API's OpenAPI schemas, with the npm kubernetes-models package (its
// generated JSON-schema validators), and refuses fields the schemas do not know.
//   node deploy/k8s/validate.mjs NODE_MODULES_DIR < objects.json     (a JSON array of objects)
// Prints one line per problem, "Kind/name: /json/pointer: message", and exits 1 if there is any.
//
// kubernetes-models' schemas leave additionalProperties open, so a misspelt or misplaced field would pass. A field
// is known when the schema checks it: set to 0.5 or to {} (values no two schema types both accept), a known field
// fails validation at its own path, an unknown one nowhere.
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const modules = process.argv[2];
if (!modules) {
  console.error("usage: node validate.mjs NODE_MODULES_DIR < objects.json");
  process.exit(2);
}
const objects = JSON.parse(readFileSync(0, "utf8"));
const problems = [];

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const dir = group ? join(modules, "kubernetes-models", group, version) : join(modules, "kubernetes-models", version);
  let mod;
  try {
    mod = await import(pathToFileURL(join(dir, "index.js")).href);
  } catch (e) {
    return null;
  }
  return mod[kind] ?? null;
}

function errorsOf(Model, data) {
  try {
    new Model(data).validate();
    return [];
  } catch (e) {
    if (Array.isArray(e.errors)) return e.errors;
    throw e;
  }
}

const escape = (key) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");

function setAt(root, path, value) {
  let at = root;
  for (let i = 0; i < path.length - 1; i++) at = at[path[i]];
  at[path[path.length - 1]] = value;
}

function unknownFields(Model, doc, node, path, out) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => unknownFields(Model, doc, item, [...path, i], out));
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const key of Object.keys(node)) {
    const here = [...path, key];
    const pointer = "/" + here.map(escape).join("/");
    let known = false;
    for (const probe of [0.5, {}]) {
      const copy = structuredClone(doc);
      setAt(copy, here, probe);
      if (errorsOf(Model, copy).some((e) => e.instancePath === pointer || e.instancePath.startsWith(pointer + "/"))) {
        known = true;
        break;
      }
    }
    if (!known) {
      out.push(pointer);
    } else {
      unknownFields(Model, doc, node[key], here, out);
    }
  }
}

for (const obj of objects) {
  const name = `${obj?.kind ?? "(no kind)"}/${obj?.metadata?.name ?? "(no name)"}`;
  if (!obj || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    problems.push(`${name}: not a Kubernetes object (apiVersion and kind): ${JSON.stringify(obj).slice(0, 200)}`);
    continue;
  }
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) {
    problems.push(`${name}: ${obj.apiVersion} ${obj.kind} is not a Kubernetes API type`);
    continue;
  }
  for (const e of errorsOf(Model, obj)) {
    problems.push(`${name}: ${e.instancePath || "/"}: ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
  }
  const unknown = [];
  unknownFields(Model, obj, obj, [], unknown);
  for (const pointer of unknown) problems.push(`${name}: ${pointer}: unknown field`);
}

for (const p of problems) console.log(p);
console.error(`validate.mjs: ${objects.length} object(s), ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
