/**
 * Names that must be unique in a Terraform stack (output names), claimed by the construct
 * that declares them, so a second claim throws naming both constructs instead of one
 * silently replacing the other in the synthesized configuration.
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const claims = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Reserves `name` of kind `kind` (e.g. `output`) in the stack of `owner`; throws when another
 * construct already holds it. `hint` says how to resolve a clash.
 */
export function claimStackName(owner: Construct, kind: string, name: string, hint: string): void {
  const stack = TerraformStack.of(owner);
  let names = claims.get(stack);
  if (names === undefined) {
    names = new Map();
    claims.set(stack, names);
  }
  const previous = names.get(name);
  if (previous !== undefined && previous !== owner.node.path) {
    throw new Error(`${owner.node.path}: ${kind} name "${name}" is already used by ${previous} in stack ${stack.node.id}; ${hint}`);
  }
  names.set(name, owner.node.path);
}
