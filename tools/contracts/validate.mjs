// Validates an OpenRPC document and an OpenAPI document with the reference validators.
// usage: node validate.mjs openrpc.json openapi.json
// Prints one line per document ("openrpc: valid" / "openapi: valid"); exits 1 on the first invalid one.
import { readFile } from "node:fs/promises";
import { validateOpenRPCDocument, parseOpenRPCDocument } from "@open-rpc/schema-utils-js";
import SwaggerParser from "@apidevtools/swagger-parser";

const [openrpcPath, openapiPath] = process.argv.slice(2);
if (!openrpcPath || !openapiPath) {
  console.error("usage: node validate.mjs openrpc.json openapi.json");
  process.exit(2);
}

let failed = false;

const openrpc = JSON.parse(await readFile(openrpcPath, "utf8"));
const result = validateOpenRPCDocument(openrpc);
if (result !== true) {
  console.log(`openrpc: INVALID ${result.message ?? result}`);
  failed = true;
} else {
  try {
    // Parsing also resolves every $ref, as a client generator would.
    await parseOpenRPCDocument(JSON.stringify(openrpc));
    console.log(`openrpc: valid (${openrpc.methods.length} methods)`);
  } catch (error) {
    console.log(`openrpc: INVALID ${error.message}`);
    failed = true;
  }
}

try {
  const api = await SwaggerParser.validate(openapiPath);
  const operations = Object.values(api.paths).flatMap((item) => Object.keys(item).filter((k) => k !== "parameters"));
  console.log(`openapi: valid (${operations.length} operations)`);
} catch (error) {
  console.log(`openapi: INVALID ${error.message}`);
  failed = true;
}

process.exit(failed ? 1 : 0);
