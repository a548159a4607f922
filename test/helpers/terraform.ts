/**
 * The real `terraform` binary, offline: configurations here use no provider that must be
 * downloaded (outputs, and the built-in `terraform_data`), so `init` works without a
 * registry. What terraform makes of a string is exactly what a provider (and so Harness)
 * would receive for the same string in a resource attribute.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';

/** A Terraform working directory kept across commands. */
export interface TerraformWorkspace {
  /** Replaces the configuration (`main.tf.json`). */
  write(config: unknown): void;
  /** Applies the configuration with these `-var` values. */
  apply(vars?: Record<string, string>): void;
  /** Plans the configuration against the state and returns `terraform show -json` of the plan. */
  plan(): unknown;
  /** `terraform output -json`, sensitive values included, by name. */
  outputs(): Record<string, unknown>;
  /** Removes the directory. */
  dispose(): void;
}

/**
 * Writes `config` as `main.tf.json` in a new directory, runs `terraform init` (no backend,
 * no provider download) and returns the workspace.
 */
export function terraformWorkspace(config: unknown): TerraformWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-ws-'));
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_DATA_DIR: path.join(dir, '.terraform'),
    TF_CLI_CONFIG_FILE: path.join(dir, 'none.tfrc'),
  };
  fs.writeFileSync(env.TF_CLI_CONFIG_FILE, '');
  const run = (args: string[]): string => execFileSync(TERRAFORM, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (c: unknown): void => fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(c, null, 2));
  write(config);
  run(['init', '-no-color', '-backend=false']);
  return {
    write,
    apply: (vars = {}) => {
      run(['apply', '-auto-approve', '-no-color', ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`)]);
    },
    plan: () => {
      run(['plan', '-no-color', '-out=plan.bin']);
      return JSON.parse(run(['show', '-json', '-no-color', 'plan.bin']));
    },
    outputs: () => {
      const json = JSON.parse(run(['output', '-json', '-no-color'])) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(json).map(([k, o]) => [k, o.value]));
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Writes each string as `output.<name>.value` of a `.tf.json` file (the same JSON encoding
 * cdktf uses for resource attributes), applies it and returns the evaluated values.
 */
export function evaluateWithTerraform(strings: Record<string, string>): Record<string, string> {
  const output: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(strings)) {
    output[name] = { value };
  }
  const ws = terraformWorkspace({ output });
  try {
    ws.apply();
    return ws.outputs() as Record<string, string>;
  } finally {
    ws.dispose();
  }
}
