/**
 * Apply order between resources of one stack that name each other by identifier inside a
 * YAML document or a plain string attribute, where Terraform sees no reference.
 */
import { ITerraformDependable } from 'cdktf';

/** Something that may be declared by a resource of the stack (a `SecretRef`). */
export interface MaybeDeclared {
  /** The resource that declares it, when the stack does. */
  readonly _declaredBy?: ITerraformDependable;
}

/**
 * The resources declaring `refs`, once each, in order; undefined when there are none, so a
 * resource without such dependencies has no `depends_on` at all.
 */
export function declaringResources(refs: readonly MaybeDeclared[]): ITerraformDependable[] | undefined {
  const resources: ITerraformDependable[] = [];
  for (const ref of refs) {
    if (ref._declaredBy !== undefined && !resources.includes(ref._declaredBy)) {
      resources.push(ref._declaredBy);
    }
  }
  return resources.length > 0 ? resources : undefined;
}
