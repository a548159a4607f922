/**
 * Evaluates strings with the real `terraform` binary: an outputs-only configuration needs
 * no provider, so it runs offline. What `terraform output` returns is exactly what a
 * provider (and so Harness) would receive for the same string in a resource attribute.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';

/**
 * Writes each string as `output.<name>.value` of a `.tf.json` file (the same JSON encoding
 * cdktf uses for resource attributes), applies it and returns the evaluated values.
 */
export function evaluateWithTerraform(strings: Record<string, string>): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-eval-'));
  try {
    const output: Record<string, { value: string }> = {};
    for (const [name, value] of Object.entries(strings)) {
      output[name] = { value };
    }
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ output }));
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
    run(['init', '-no-color', '-backend=false']);
    run(['apply', '-auto-approve', '-no-color']);
    const json = JSON.parse(run(['output', '-json', '-no-color'])) as Record<string, { value: string }>;
    const result: Record<string, string> = {};
    for (const [name, o] of Object.entries(json)) {
      result[name] = o.value;
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A Terraform working directory kept across applies, for configurations that need no provider download. */
export interface TerraformWorkspace {
  /** Applies the configuration with these `-var` values. */
  apply(vars: Record<string, string>): void;
  /** `terraform output -json`, sensitive values included. */
  outputs(): Record<string, unknown>;
  /** Removes the directory. */
  dispose(): void;
}

/**
 * Writes `config` as `main.tf.json` in a new directory, runs `terraform init` (the built-in
 * `terraform` provider only, so offline) and returns the workspace.
 */
export function terraformWorkspace(config: unknown): TerraformWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-ws-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
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
  run(['init', '-no-color', '-backend=false']);
  return {
    apply: (vars) => {
      run(['apply', '-auto-approve', '-no-color', ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`)]);
    },
    outputs: () => {
      const json = JSON.parse(run(['output', '-json', '-no-color'])) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(json).map(([k, o]) => [k, o.value]));
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
