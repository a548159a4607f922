#!/usr/bin/env node
// Generates the Harness provider bindings (src/gen) offline from the schema snapshot in
// provider-schema/, so no Terraform registry is needed. Skips the work when the bindings
// already match the snapshot.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const schemaDir = path.join(root, 'provider-schema');
const stamp = path.join(root, 'src', 'gen', '.schema-sha256');
const digest = crypto.createHash('sha256')
  .update(fs.readFileSync(path.join(schemaDir, 'harness@0.45.1.json')))
  .update(fs.readFileSync(path.join(root, 'cdktf.json')))
  .digest('hex');

if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) {
  process.exit(0);
}
// cdktf get skips a provider whose version src/gen/constraints.json already lists, also
// when its schema changed: start from an empty folder.
fs.rmSync(path.join(root, 'src', 'gen'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('cdktf-cli/bundle/bin/cdktf'), 'get'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH: schemaDir,
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
  },
});
fs.writeFileSync(stamp, digest);
