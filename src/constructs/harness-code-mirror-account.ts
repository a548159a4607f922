import { Lazy, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformApikey } from '../gen/providers/harness/platform-apikey';
import { PlatformResourceGroup } from '../gen/providers/harness/platform-resource-group';
import { PlatformRoleAssignments } from '../gen/providers/harness/platform-role-assignments';
import { PlatformRoles } from '../gen/providers/harness/platform-roles';
import { PlatformSecretText } from '../gen/providers/harness/platform-secret-text';
import { PlatformServiceAccount } from '../gen/providers/harness/platform-service-account';
import { PlatformToken } from '../gen/providers/harness/platform-token';
import { shown } from '../private/credentials';
import { checkedAt } from '../private/errors';
import { deriveIdentifier, MAX_IDENTIFIER_LENGTH, validateIdentifier } from '../private/identifiers';
import { toName, validateName } from '../private/names';
import { StoredValue } from '../private/stored-value';
import { SecretRef } from './secret-ref';

/** Properties of a {@link HarnessCodeMirrorAccount}. */
export interface HarnessCodeMirrorAccountProps {
  /**
   * Harness account the service account, API key and token belong to (the provider's
   * `account_id`; Harness needs it on these resources).
   */
  readonly accountId: string;
  /** Organization of the project holding the mirrored Harness Code repositories. */
  readonly orgId: string;
  /**
   * Project holding the mirrored Harness Code repositories. The service account, its role,
   * resource group, API key, token and secret all live in this project.
   */
  readonly projectId: string;
  /**
   * Identifier of the service account; the other entities derive theirs from it
   * (`<identifier>_role`, `<identifier>_repos`, `<identifier>_assignment`,
   * `<identifier>_key`, `<identifier>_token`).
   * @default - derived from the construct id (`CodeMirror` -> `code_mirror`)
   */
  readonly identifier?: string;
  /**
   * Display name of the service account; the other entities' names extend it.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Email of the service account.
   * @default - `<identifier>@service.harness.io`, the address Harness itself proposes
   */
  readonly email?: string;
  /**
   * Identifiers of the Harness Code repositories (in the project) the token may read and
   * push to. The resource group lists exactly these.
   * @default - every Harness Code repository of the project, including ones created later
   */
  readonly repositories?: string[];
  /**
   * Lifetime of a token, in days, counted from its creation. Set as the API key's default
   * token lifetime, which Harness applies to a token created without an end of validity.
   * Changing it affects the next token only: rotate (see `tokenRotation`) before the
   * current one expires.
   * @default 30 (Harness's own default)
   */
  readonly tokenLifetimeDays?: number;
  /**
   * Rotation label of the token: letters, digits and `_` (for example `2025_07`). Changing
   * it replaces the token: Terraform creates the new token, stores it in the secret, then
   * deletes the old one. The label becomes part of the token identifier
   * (`<identifier>_token_<label>`).
   * @default - no label: the first token is kept until a label is set
   */
  readonly tokenRotation?: string;
  /**
   * Identifier of the project-level Harness secret that stores the token.
   * @default - `<identifier>_token`
   */
  readonly secretIdentifier?: string;
  /**
   * Secret manager that stores the token.
   * @default 'harnessSecretManager'
   */
  readonly secretManagerIdentifier?: string;
}

/** Longest suffix appended to the base identifier. */
const LONGEST_SUFFIX = '_assignment';
/** Milliseconds per day: Harness expresses token lifetimes in milliseconds. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** Harness account ids: letters, digits, `_` and `-` (they are URL-safe base64). */
const ACCOUNT_ID = /^[A-Za-z0-9_-]+$/;
/** Harness Code repository identifiers: letters, digits, `-`, `_` and `.`. */
const REPOSITORY_IDENTIFIER = /^[A-Za-z0-9._-]+$/;
/** A rotation label, as it appears at the end of the token identifier. */
const ROTATION_LABEL = /^[A-Za-z0-9_]+$/;
/** An email address, loosely: something@domain.tld without spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A least-privilege identity for mirroring Harness Code repositories: a project-level
 * service account whose role grants exactly repository view and push
 * ({@link HarnessCodeMirrorAccount.PERMISSIONS}) on a resource group limited to the
 * mirrored repositories, with an API key and token. The token is stored in a project-level
 * Harness text secret, referenced by `secretRef`, and never appears in the synthesized
 * configuration: only a reference to the token's `value` attribute does.
 *
 * The token value is kept in the Terraform state: protect the state backend accordingly.
 */
export class HarnessCodeMirrorAccount extends Construct {
  /**
   * The permissions the role grants, as Harness identifies them: view (clone, fetch,
   * ls-remote) and push (push, create, update, delete and force-update branches and tags,
   * subject to the repository's rules).
   */
  public static readonly PERMISSIONS: string[] = ['code_repo_view', 'code_repo_push'];
  /** The Harness resource type of Harness Code repositories in resource groups. */
  public static readonly RESOURCE_TYPE = 'CODE_REPOSITORY';

  /** Identifier of the service account (base of the other identifiers). */
  public readonly identifier: string;
  /** The `harness_platform_service_account` resource. */
  public readonly serviceAccount: PlatformServiceAccount;
  /** The `harness_platform_roles` resource: exactly {@link HarnessCodeMirrorAccount.PERMISSIONS}. */
  public readonly role: PlatformRoles;
  /** The `harness_platform_resource_group` resource: the repositories the role applies to. */
  public readonly resourceGroup: PlatformResourceGroup;
  /** The `harness_platform_role_assignments` resource binding role and resource group to the service account. */
  public readonly roleAssignment: PlatformRoleAssignments;
  /** The `harness_platform_apikey` resource of the service account. */
  public readonly apiKey: PlatformApikey;
  /** The `terraform_data` resource holding the rotation label; a change replaces the token. */
  public readonly tokenRotation: TerraformResource;
  /** The `harness_platform_token` resource. */
  public readonly token: PlatformToken;
  /** The `harness_platform_secret_text` resource holding the token. */
  public readonly secret: PlatformSecretText;
  /** Reference to the secret, as seen from a pipeline in the same project. */
  public readonly secretRef: SecretRef;

  constructor(scope: Construct, id: string, props: HarnessCodeMirrorAccountProps) {
    super(scope, id);
    const { identifier, name, email, repositories, lifetimeDays, tokenIdentifier, secretIdentifier, secretManagerIdentifier } = checkedAt(this, () => {
      if (!props) {
        throw new Error('props are required (accountId, orgId, projectId)');
      }
      validateAccountId(props.accountId);
      validateIdentifier('orgId', props.orgId);
      validateIdentifier('projectId', props.projectId);

      const maxBase = MAX_IDENTIFIER_LENGTH - LONGEST_SUFFIX.length;
      if (props.identifier !== undefined) {
        validateIdentifier('identifier', props.identifier);
        if (!Token.isUnresolved(props.identifier) && props.identifier.length > maxBase) {
          throw new Error(
            `identifier may have at most ${maxBase} characters (suffixes such as '${LONGEST_SUFFIX}' are added), got ${shown(props.identifier)}`,
          );
        }
      }
      const identifier = props.identifier ?? deriveIdentifier('identifier', id, maxBase);

      if (props.name !== undefined) {
        validateName('name', props.name);
      }
      const name = props.name ?? toName(id);

      const email = props.email ?? `${identifier}@service.harness.io`;
      if (!Token.isUnresolved(email) && (typeof email !== 'string' || !EMAIL.test(email))) {
        throw new Error(`email must be an email address, got ${shown(email)}`);
      }

      const repositories = checkRepositories(props.repositories);
      const lifetimeDays = props.tokenLifetimeDays ?? 30;
      if (!Token.isUnresolved(lifetimeDays) && (!Number.isInteger(lifetimeDays) || lifetimeDays < 1)) {
        throw new Error(`tokenLifetimeDays must be a whole number of days, at least 1, got ${shown(lifetimeDays)}`);
      }

      const tokenIdentifier = props.tokenRotation === undefined ? `${identifier}_token` : `${identifier}_token_${props.tokenRotation}`;
      if (props.tokenRotation !== undefined) {
        if (typeof props.tokenRotation !== 'string' || !ROTATION_LABEL.test(props.tokenRotation)) {
          throw new Error(`tokenRotation must be letters, digits or '_' (for example '2025_07'), got ${shown(props.tokenRotation)}`);
        }
        if (!Token.isUnresolved(identifier) && tokenIdentifier.length > MAX_IDENTIFIER_LENGTH) {
          throw new Error(
            `tokenRotation ${shown(props.tokenRotation)} makes the token identifier ${tokenIdentifier.length} characters, more than ${MAX_IDENTIFIER_LENGTH}`,
          );
        }
      }

      const secretIdentifier = props.secretIdentifier ?? `${identifier}_token`;
      validateIdentifier('secretIdentifier', secretIdentifier);
      const secretManagerIdentifier = props.secretManagerIdentifier ?? 'harnessSecretManager';
      validateIdentifier('secretManagerIdentifier', secretManagerIdentifier);
      return { identifier, name, email, repositories, lifetimeDays, tokenIdentifier, secretIdentifier, secretManagerIdentifier };
    });
    this.identifier = identifier;

    const project = { orgId: props.orgId, projectId: props.projectId };
    const inAccount = { accountId: props.accountId, ...project };

    this.serviceAccount = new PlatformServiceAccount(this, 'ServiceAccount', {
      ...inAccount,
      identifier,
      name,
      email,
      description: 'Mirrors Harness Code repositories: may only view and push to them.',
    });

    this.role = new PlatformRoles(this, 'Role', {
      ...project,
      identifier: `${identifier}_role`,
      name: toName(`${name} repository view and push`),
      description: `Repository view and push only (${HarnessCodeMirrorAccount.PERMISSIONS.join(', ')}), for mirroring.`,
      permissions: [...HarnessCodeMirrorAccount.PERMISSIONS],
      allowedScopeLevels: ['project'],
    });

    this.resourceGroup = new PlatformResourceGroup(this, 'ResourceGroup', {
      ...inAccount,
      identifier: `${identifier}_repos`,
      name: toName(`${name} mirrored repositories`),
      description:
        repositories === undefined
          ? 'Every Harness Code repository of the project.'
          : `The mirrored Harness Code repositories: ${repositories.join(', ')}.`,
      allowedScopeLevels: ['project'],
      includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', ...inAccount }],
      resourceFilter: [
        {
          includeAllResources: false,
          resources: [{ resourceType: HarnessCodeMirrorAccount.RESOURCE_TYPE, identifiers: repositories }],
        },
      ],
    });

    this.roleAssignment = new PlatformRoleAssignments(this, 'RoleAssignment', {
      ...project,
      identifier: `${identifier}_assignment`,
      roleIdentifier: this.role.identifier,
      resourceGroupIdentifier: this.resourceGroup.identifier,
      principal: [{ identifier: this.serviceAccount.identifier, type: 'SERVICE_ACCOUNT' }],
    });

    this.apiKey = new PlatformApikey(this, 'ApiKey', {
      ...inAccount,
      identifier: `${identifier}_key`,
      name: toName(`${name} key`),
      description: 'API key of the mirror service account.',
      apikeyType: 'SERVICE_ACCOUNT',
      parentId: this.serviceAccount.identifier,
      defaultTimeToExpireToken: lifetimeDays * DAY_MS,
    });

    const rotation = new StoredValue(this, 'TokenRotation', {
      input: { rotation: props.tokenRotation ?? '' },
    });
    this.tokenRotation = rotation;

    this.token = new PlatformToken(this, 'Token', {
      ...inAccount,
      identifier: tokenIdentifier,
      name: toName(`${name} token${props.tokenRotation === undefined ? '' : ` ${props.tokenRotation}`}`),
      description: 'Git token of the mirror service account (repository view and push).',
      apikeyType: 'SERVICE_ACCOUNT',
      apikeyId: this.apiKey.identifier,
      parentId: this.serviceAccount.identifier,
      lifecycle: {
        createBeforeDestroy: true,
        // A plain address: Terraform rejects the `${...}` form cdktf renders for a resource here.
        replaceTriggeredBy: [Lazy.stringValue({ produce: () => `${rotation.terraformResourceType}.${rotation.friendlyUniqueId}` })],
      },
    });

    this.secret = new PlatformSecretText(this, 'Secret', {
      ...project,
      identifier: secretIdentifier,
      name: toName(`${name} token`),
      description: `Token of the Harness service account '${identifier}': repository view and push only.`,
      secretManagerIdentifier,
      valueType: 'Inline',
      value: this.token.value,
      // Hand the token out only once it carries its permissions.
      dependsOn: [this.roleAssignment],
    });

    // The secret lives in the project, so a pipeline of the same project refers to it bare.
    this.secretRef = SecretRef._ofResource(secretIdentifier, this.secret);
  }
}

function validateAccountId(value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    throw new Error(`accountId must be a Harness account id (letters, digits, '_' or '-'), got ${shown(value)}`);
  }
}

/** Validates the repository list; returns it (or undefined for "every repository"). */
function checkRepositories(repositories: string[] | undefined): string[] | undefined {
  if (repositories === undefined || Token.isUnresolved(repositories)) {
    return repositories;
  }
  if (!Array.isArray(repositories)) {
    throw new Error(`repositories must be a list of Harness Code repository identifiers, got ${shown(repositories)}`);
  }
  if (repositories.length === 0) {
    throw new Error('repositories must name at least one repository; omit it to cover every repository of the project');
  }
  const seen = new Set<string>();
  for (const repo of repositories) {
    if (Token.isUnresolved(repo)) {
      continue;
    }
    if (typeof repo !== 'string' || !REPOSITORY_IDENTIFIER.test(repo)) {
      throw new Error(
        `repositories: each entry must be a Harness Code repository identifier (letters, digits, '-', '_' or '.'; not a path or URL), got ${shown(repo)}`,
      );
    }
    if (seen.has(repo)) {
      throw new Error(`repositories: ${shown(repo)} is listed twice`);
    }
    seen.add(repo);
  }
  return repositories;
}
