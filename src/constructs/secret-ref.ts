import { ITerraformDependable, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformSecretText } from '../gen/providers/harness/platform-secret-text';
import { shown } from '../private/credentials';
import { checkedAt } from '../private/errors';
import { deriveIdentifier, validateIdentifier, validateScopedReference } from '../private/identifiers';

/**
 * A reference to a Harness secret holding a credential: a git token, or a Slack webhook URL
 * for {@link NotificationRule.slack}. Only the reference (`my_secret`, `org.my_secret` or
 * `account.my_secret`) is ever rendered; the value itself stays in Harness.
 */
export class SecretRef {
  /**
   * An existing Harness secret, by identifier: `my_secret` (the pipeline's project),
   * `org.my_secret` (the organization) or `account.my_secret` (the account).
   */
  public static fromIdentifier(identifier: string): SecretRef {
    validateScopedReference('SecretRef.fromIdentifier', identifier, 'secret', false);
    return new SecretRef(identifier);
  }

  /**
   * A reference to a secret declared in the same stack: whatever names it (an input set, a
   * pipeline) depends on `resource`, so Terraform creates the secret first and destroys it last.
   * @internal
   */
  public static _ofResource(identifier: string, resource: ITerraformDependable): SecretRef {
    validateScopedReference('secret identifier', identifier, 'secret', false);
    return new SecretRef(identifier, resource);
  }

  /** The reference as Harness expects it in a Secret variable. */
  public readonly reference: string;

  /**
   * The resource that declares the secret, when it is declared in the stack.
   * @internal
   */
  public readonly _declaredBy?: ITerraformDependable;

  private constructor(reference: string, declaredBy?: ITerraformDependable) {
    this.reference = reference;
    this._declaredBy = declaredBy;
  }

  /** The reference, for string interpolation. */
  public toString(): string {
    return this.reference;
  }
}

/** Properties of a {@link TokenSecret}. */
export interface TokenSecretProps {
  /**
   * Identifier of the Harness secret.
   * @default - derived from the construct id
   */
  readonly identifier?: string;
  /**
   * Display name of the Harness secret.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Organization the secret lives in; omit for an account-level secret.
   * @default - account scope
   */
  readonly orgId?: string;
  /**
   * Project the secret lives in (needs `orgId`); omit for an organization- or account-level secret.
   * @default - organization or account scope
   */
  readonly projectId?: string;
  /**
   * Secret manager that stores the value.
   * @default 'harnessSecretManager'
   */
  readonly secretManagerIdentifier?: string;
  /**
   * Name of the sensitive Terraform variable that supplies the token (set it with
   * `TF_VAR_<name>` when running `cdktf deploy`).
   * @default - the secret's identifier
   */
  readonly variableName?: string;
  /**
   * Description of the secret.
   * @default - says which variable it comes from
   */
  readonly description?: string;
}

/**
 * A Harness text secret whose value comes from a sensitive Terraform variable, so a token
 * can be created alongside the mirrors without ever appearing in the synthesized output:
 * only `var.<name>` does.
 */
export class TokenSecret extends Construct {
  /** The sensitive Terraform variable that supplies the value. */
  public readonly variable: TerraformVariable;
  /** The `harness_platform_secret_text` resource. */
  public readonly secret: PlatformSecretText;
  /**
   * Reference to this secret as seen from a pipeline: `org.`/`account.` prefixed for an
   * organization or account secret, bare for a project secret (so the pipeline must be in
   * that project).
   */
  public readonly secretRef: SecretRef;

  constructor(scope: Construct, id: string, props: TokenSecretProps = {}) {
    super(scope, id);
    const { identifier, variableName } = checkedAt(this, () => {
      const checked = props.identifier ?? deriveIdentifier('identifier', id);
      validateIdentifier('identifier', checked);
      if (props.orgId !== undefined) {
        validateIdentifier('orgId', props.orgId);
      }
      if (props.projectId !== undefined) {
        if (props.orgId === undefined) {
          throw new Error(`projectId ${shown(props.projectId)} needs orgId: a project lives in an organization`);
        }
        validateIdentifier('projectId', props.projectId);
      }
      const name = props.variableName ?? checked;
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        throw new Error(`variableName must be a Terraform variable name, got ${shown(name)}`);
      }
      return { identifier: checked, variableName: name };
    });

    this.variable = new TerraformVariable(this, 'Value', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Token stored in the Harness secret '${identifier}'.`,
    });
    this.variable.overrideLogicalId(variableName);

    this.secret = new PlatformSecretText(this, 'Secret', {
      identifier,
      name: props.name ?? id,
      description: props.description ?? `Git token for repository mirroring (from Terraform variable '${variableName}').`,
      orgId: props.orgId,
      projectId: props.projectId,
      secretManagerIdentifier: props.secretManagerIdentifier ?? 'harnessSecretManager',
      valueType: 'Inline',
      value: this.variable.stringValue,
    });

    const prefix = props.projectId !== undefined ? '' : props.orgId !== undefined ? 'org.' : 'account.';
    this.secretRef = SecretRef._ofResource(`${prefix}${identifier}`, this.secret);
  }
}
