import { execFileSync } from 'node:child_process';
import {
  AnyMap,
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  TerraformResourceLifecycle,
  TerraformStack,
} from 'cdktf';
import { Construct, IValidation } from 'constructs';

/** What a {@link StoredValue} holds. */
export interface StoredValueConfig {
  /** Stored in the state and reflected in `output` after apply. */
  readonly input: Record<string, unknown>;
  /** A change replaces the resource (and so stores `input` again). */
  readonly triggersReplace?: Record<string, unknown>;
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * A `terraform_data` resource, as cdktf's `DataResource` declares it (the same
 * configuration: `input`, `triggers_replace`, `lifecycle`, and the computed `output`), but
 * with its Terraform version check made once per stack instead of once per resource.
 * `DataResource` adds to every instance a validation that runs `terraform version` when the
 * app is synthesized, about 50 ms each: with a trigger per direction, a stack of 100 two-way
 * pairs spent 11 s of its 12 s synthesis there.
 */
export class StoredValue extends TerraformResource {
  /** The `output` attribute: the stored `input` after apply. */
  public readonly output: AnyMap;
  private readonly input: Record<string, unknown>;
  private readonly triggersReplace?: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: StoredValueConfig) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      lifecycle: config.lifecycle,
    });
    this.output = new AnyMap(this, 'output');
    this.input = config.input;
    this.triggersReplace = config.triggersReplace;
    checkTerraformVersionOnce(TerraformStack.of(this));
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapper(anyToTerraform)(this.input),
      triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapperHcl(anyToHclTerraform)(this.input),
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace),
    };
  }
}

/** The stacks that have the version check already. */
const CHECKED_STACKS = new WeakSet<TerraformStack>();
/** `terraform version`'s answer per binary name, asked once per process. */
const VERSION_PROBLEMS = new Map<string, string[]>();

/**
 * The check `DataResource` makes (Terraform 1.4 or later, the first with `terraform_data`),
 * with the same binary (`TERRAFORM_BINARY_NAME`, default `terraform`) and messages, added
 * once to the stack and run once per process.
 */
function checkTerraformVersionOnce(stack: TerraformStack): void {
  if (CHECKED_STACKS.has(stack)) {
    return;
  }
  CHECKED_STACKS.add(stack);
  const validation: IValidation = {
    validate: () => {
      const binary = process.env.TERRAFORM_BINARY_NAME || 'terraform';
      if (!VERSION_PROBLEMS.has(binary)) {
        VERSION_PROBLEMS.set(binary, terraformVersionProblems(binary));
      }
      return VERSION_PROBLEMS.get(binary)!;
    },
  };
  stack.node.addValidation(validation);
}

function terraformVersionProblems(binary: string): string[] {
  let text: string;
  try {
    text = execFileSync(binary, ['version'], { stdio: 'pipe' }).toString();
  } catch (e) {
    return [`Could not determine version of ${binary}, ${binary} version failed: ${e}`];
  }
  const version = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!version) {
    return [`Could not determine version of ${binary} (running ${binary} version)`];
  }
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major < 1 || (major === 1 && minor < 4)) {
    return [
      `${binary} version ${version[0]} is lower than the required version >=1.4 for this construct. ` +
        'The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.',
    ];
  }
  return [];
}
