/**
 * The documentation lint, on the jsii assembly: every public type of this package's own
 * source (not the generated provider bindings), and each of its members, has a doc comment;
 * every optional property of a struct says its `@default`.
 */
import * as reflect from 'jsii-reflect';

/** What is missing, one line per member, e.g. `RepoMirrorProps.refs: no @default`. */
export async function documentationProblems(packageDir: string): Promise<string[]> {
  const assembly = await new reflect.TypeSystem().load(packageDir);
  const problems: string[] = [];
  const need = (docs: reflect.Docs, where: string) => docs.summary.trim() === '' && problems.push(`${where}: no doc comment`);
  const ownTypes = assembly.allTypes.filter((t) => !t.locationInModule?.filename.startsWith('src/gen/'));
  for (const type of ownTypes) {
    need(type.docs, type.name);
    if (type.isEnumType()) {
      type.members.forEach((m) => need(m.docs, `${type.name}.${m.name}`));
      continue;
    }
    const members: Array<reflect.Property | reflect.Method | reflect.Initializer> = [
      ...Object.values(type.isClassType() || type.isInterfaceType() ? type.ownProperties : []),
      ...Object.values(type.isClassType() || type.isInterfaceType() ? type.ownMethods : []),
      ...(type.isClassType() && type.initializer && !type.initializer.protected ? [type.initializer] : []),
    ];
    for (const member of members) {
      const where = `${type.name}.${member instanceof reflect.Initializer ? 'constructor' : member.name}`;
      if (!(member instanceof reflect.Initializer)) {
        need(member.docs, where);
      }
      if (type.isDataType() && member instanceof reflect.Property && member.optional && member.docs.default.trim() === '') {
        problems.push(`${where}: optional without @default`);
      }
    }
  }
  return problems;
}
