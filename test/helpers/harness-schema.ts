/**
 * Validation against Harness's official v0 JSON schemas in ../shared/harness-schema.
 * Compiling the pipeline schema takes seconds: compile once per test file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SHARED_DIR } from './shared';

const cache = new Map<string, ValidateFunction>();

function compile(file: string): ValidateFunction {
  let validate = cache.get(file);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'harness-schema', file), 'utf8'));
    validate = ajv.compile(schema);
    cache.set(file, validate);
  }
  return validate;
}

function check(file: string, doc: unknown): string[] {
  const validate = compile(file);
  if (validate(doc)) {
    return [];
  }
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Schema errors of a `pipeline:` document (empty when valid). */
export function pipelineSchemaErrors(doc: unknown): string[] {
  return check('pipeline.schema.json', doc);
}

/** Schema errors of a `trigger:` document (empty when valid). */
export function triggerSchemaErrors(doc: unknown): string[] {
  return check('trigger.schema.json', doc);
}
