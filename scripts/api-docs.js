#!/usr/bin/env node
// Generates docs/API.md from the doc comments of the public API: everything src/index.ts
// exports, read with the TypeScript type checker. `--check` compares instead of writing and
// exits 1 when docs/API.md is out of date.
//
// Layout: constructs, then other classes, interfaces not shown with a class, enums, and the
// generated provider binding; alphabetical within each section, members in declaration
// order. A props interface is shown under the construct whose constructor takes it, an
// options interface under the static method that takes it. Members marked `@internal` or
// named `_...` are left out.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = 'docs/API.md';
const GENERATED_NOTE = "generated binding of the harness/harness provider 0.45.1; see the provider's documentation for its config";

// ---------------------------------------------------------------------------------------
// Reading the API
// ---------------------------------------------------------------------------------------

function createProgram(root) {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) {
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  }
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const entry = path.join(root, 'src', 'index.ts');
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
  const sourceFile = program.getSourceFile(entry);
  if (!sourceFile) {
    throw new Error('src/index.ts not found');
  }
  return { program, checker: program.getTypeChecker(), sourceFile };
}

function isGenerated(node, genDir) {
  const file = path.resolve(node.getSourceFile().fileName);
  return file.startsWith(genDir + path.sep);
}

function oneLine(text) {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function docOf(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

function tagsOf(symbol, checker) {
  return symbol.getJsDocTags(checker).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text || []).trim() }));
}

function tagText(tags, name) {
  const tag = tags.find((t) => t.name === name);
  return tag === undefined ? undefined : tag.text;
}

function isHidden(symbol, checker, decl) {
  if (symbol.name.startsWith('_')) {
    return true;
  }
  if (tagsOf(symbol, checker).some((t) => t.name === 'internal')) {
    return true;
  }
  const mods = decl && ts.canHaveModifiers(decl) ? ts.getModifiers(decl) || [] : [];
  return mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
    || (decl && decl.name && ts.isPrivateIdentifier(decl.name));
}

function hasModifier(decl, kind) {
  const mods = ts.canHaveModifiers(decl) ? ts.getModifiers(decl) || [] : [];
  return mods.some((m) => m.kind === kind);
}

function typeText(decl, symbol, checker) {
  if (decl && decl.type) {
    return oneLine(decl.type.getText());
  }
  const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
  return checker.typeToString(checker.getBaseTypeOfLiteralType(type));
}

/** The exported interface a type annotation names, if any. */
function namedInterface(typeNode, checker) {
  if (!typeNode || !ts.isTypeReferenceNode(typeNode)) {
    return undefined;
  }
  let symbol = checker.getSymbolAtLocation(typeNode.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    symbol = checker.getAliasedSymbol(symbol);
  }
  return symbol && symbol.flags & ts.SymbolFlags.Interface ? symbol.name : undefined;
}

function readParameters(decl, checker) {
  return decl.parameters.map((p) => {
    const paramTag = ts.getJSDocParameterTags(p)[0];
    return {
      name: p.name.getText(),
      type: p.type ? oneLine(p.type.getText()) : checker.typeToString(checker.getTypeAtLocation(p)),
      optional: Boolean(p.questionToken || p.initializer),
      doc: paramTag ? (ts.getTextOfJSDocComment(paramTag.comment) || '').trim() : '',
      interfaceName: namedInterface(p.type, checker),
    };
  });
}

function readMethod(symbol, decl, checker) {
  const signature = checker.getSignatureFromDeclaration(decl);
  return {
    name: symbol.name,
    doc: docOf(symbol, checker),
    parameters: readParameters(decl, checker),
    returns: decl.type ? oneLine(decl.type.getText()) : checker.typeToString(checker.getReturnTypeOfSignature(signature)),
  };
}

function readProperty(symbol, decl, checker) {
  const readonly = ts.isGetAccessorDeclaration(decl)
    ? !(symbol.flags & ts.SymbolFlags.SetAccessor)
    : hasModifier(decl, ts.SyntaxKind.ReadonlyKeyword);
  return {
    name: symbol.name,
    type: typeText(ts.isGetAccessorDeclaration(decl) ? undefined : decl, symbol, checker),
    optional: Boolean(decl.questionToken),
    readonly,
    doc: docOf(symbol, checker),
  };
}

function readClass(symbol, checker) {
  const decl = symbol.declarations.find(ts.isClassDeclaration);
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const result = {
    name: symbol.name,
    doc: docOf(symbol, checker),
    isConstruct: extendsConstruct(type, checker),
    ctor: undefined,
    properties: [],
    staticProperties: [],
    staticMethods: [],
    methods: [],
  };
  const ctor = decl.members.find(ts.isConstructorDeclaration);
  if (ctor && hasModifier(ctor, ts.SyntaxKind.PrivateKeyword)) {
    result.ctor = { private: true, parameters: [] };
  } else if (ctor) {
    result.ctor = { private: false, protected: hasModifier(ctor, ts.SyntaxKind.ProtectedKeyword), parameters: readParameters(ctor, checker) };
  } else {
    // Inherited constructor (or the default one).
    const signatures = checker.getTypeOfSymbolAtLocation(symbol, decl).getConstructSignatures();
    const sigDecl = signatures.length > 0 ? signatures[0].getDeclaration() : undefined;
    result.ctor = { private: false, parameters: sigDecl && sigDecl.parameters ? readParameters(sigDecl, checker) : [] };
  }
  for (const member of decl.members) {
    if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || !member.name) {
      continue;
    }
    const memberSymbol = checker.getSymbolAtLocation(member.name);
    if (!memberSymbol || isHidden(memberSymbol, checker, member)) {
      continue;
    }
    const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
    if (ts.isMethodDeclaration(member)) {
      if (member.body === undefined && memberSymbol.declarations.length > 1) {
        continue; // an overload signature; the implementation follows
      }
      (isStatic ? result.staticMethods : result.methods).push(readMethod(memberSymbol, member, checker));
    } else if (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) {
      (isStatic ? result.staticProperties : result.properties).push(readProperty(memberSymbol, member, checker));
    }
  }
  return result;
}

function extendsConstruct(type, checker) {
  const seen = new Set();
  const queue = [type];
  while (queue.length > 0) {
    const t = queue.shift();
    if (!t || seen.has(t)) {
      continue;
    }
    seen.add(t);
    const symbol = t.getSymbol();
    if (symbol && symbol.name === 'Construct' && symbol.declarations.some((d) => /[\\/]constructs[\\/]/.test(d.getSourceFile().fileName))) {
      return true;
    }
    if (t.isClassOrInterface()) {
      queue.push(...checker.getBaseTypes(t));
    }
  }
  return false;
}

function readInterface(symbol, checker) {
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const fields = [];
  for (const prop of checker.getPropertiesOfType(type)) {
    const decl = prop.declarations && prop.declarations[0];
    if (!decl || isHidden(prop, checker, decl)) {
      continue;
    }
    const tags = tagsOf(prop, checker);
    const owner = decl.parent && decl.parent.name ? decl.parent.name.getText() : symbol.name;
    fields.push({
      name: prop.name,
      type: typeText(decl, prop, checker),
      optional: Boolean(prop.flags & ts.SymbolFlags.Optional),
      readonly: hasModifier(decl, ts.SyntaxKind.ReadonlyKeyword),
      doc: docOf(prop, checker),
      default: tagText(tags, 'default'),
      inheritedFrom: owner === symbol.name ? undefined : owner,
    });
  }
  return {
    name: symbol.name,
    doc: docOf(symbol, checker),
    extends: checker.getBaseTypes(type).map((t) => t.getSymbol().name),
    fields,
  };
}

function readEnum(symbol, checker) {
  const members = [];
  for (const decl of symbol.declarations.filter(ts.isEnumDeclaration)) {
    for (const member of decl.members) {
      const memberSymbol = checker.getSymbolAtLocation(member.name);
      if (isHidden(memberSymbol, checker, member)) {
        continue;
      }
      const value = checker.getConstantValue(member);
      members.push({ name: memberSymbol.name, value: value === undefined ? undefined : JSON.stringify(value), doc: docOf(memberSymbol, checker) });
    }
  }
  return { name: symbol.name, doc: docOf(symbol, checker), members };
}

/** Everything src/index.ts exports, as plain data. */
function collectApi(root = ROOT) {
  const { checker, sourceFile } = createProgram(root);
  if (!fs.existsSync(path.join(root, 'src', 'gen', 'providers', 'harness', 'provider', 'index.ts'))) {
    throw new Error('the generated provider bindings are missing: run `npm run get` first');
  }
  const genDir = path.resolve(root, 'src', 'gen');
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  const api = { classes: [], interfaces: [], enums: [], functions: [], types: [], constants: [], generated: [] };
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!symbol.declarations || symbol.declarations.length === 0) {
      throw new Error(`cannot resolve the export ${exported.name} of src/index.ts`);
    }
    const decl = symbol.declarations[0];
    if (isGenerated(decl, genDir)) {
      const kind = symbol.flags & ts.SymbolFlags.Class ? 'class' : symbol.flags & ts.SymbolFlags.Interface ? 'interface' : 'other';
      const fields = kind === 'interface'
        ? checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.name)
        : [];
      api.generated.push({ name: exported.name, kind, fields });
    } else if (symbol.flags & ts.SymbolFlags.Class) {
      api.classes.push(readClass(symbol, checker));
    } else if (symbol.flags & ts.SymbolFlags.Interface) {
      api.interfaces.push(readInterface(symbol, checker));
    } else if (symbol.flags & ts.SymbolFlags.Enum) {
      api.enums.push(readEnum(symbol, checker));
    } else if (symbol.flags & ts.SymbolFlags.Function) {
      const fn = symbol.declarations.find((d) => ts.isFunctionDeclaration(d) && d.body) || decl;
      api.functions.push(readMethod(symbol, fn, checker));
    } else if (symbol.flags & ts.SymbolFlags.TypeAlias) {
      api.types.push({ name: symbol.name, doc: docOf(symbol, checker), type: oneLine(decl.type.getText()) });
    } else if (symbol.flags & ts.SymbolFlags.Variable) {
      api.constants.push({ name: symbol.name, doc: docOf(symbol, checker), type: typeText(decl, symbol, checker) });
    } else {
      throw new Error(`unsupported export ${exported.name} of src/index.ts: add its kind to scripts/api-docs.js`);
    }
  }
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const list of Object.values(api)) {
    list.sort(byName);
  }
  return api;
}

// ---------------------------------------------------------------------------------------
// Rendering Markdown
// ---------------------------------------------------------------------------------------

function anchor(name) {
  return name.toLowerCase();
}

/** Turns `{@link X}` into a link when X (or its class) is documented here, else into code. */
function linkify(text, known) {
  return text.replace(/\{@link\s+([^\s}|]+)(?:[\s|]+([^}]*))?\}/g, (_, target, label) => {
    const shown = label && label.trim() ? label.trim() : target;
    if (/^https?:/.test(target)) {
      return `[${shown}](${target})`;
    }
    const root = target.split('.')[0];
    return known.has(root) ? `[\`${shown}\`](#${anchor(root)})` : `\`${shown}\``;
  });
}

function prose(text, known) {
  return linkify(text, known).trim();
}

function cell(text) {
  return oneLine(text).replace(/\|/g, '\\|');
}

/** A type as code, its documented names as links. */
function typeMarkdown(text, known) {
  const out = [];
  let plain = '';
  let last = 0;
  const flush = () => {
    if (plain) {
      out.push(`\`${plain}\``);
      plain = '';
    }
  };
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
    const root = match[0].split('.')[0];
    plain += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (known.has(root)) {
      flush();
      out.push(`[\`${match[0]}\`](#${anchor(root)})`);
    } else {
      plain += match[0];
    }
  }
  plain += text.slice(last);
  flush();
  return out.join('');
}

/** `@default x rest` -> `x` as code and the rest as prose; `@default - text` -> the text. */
function defaultMarkdown(text, known) {
  if (text === undefined || text === '') {
    return '';
  }
  if (text.startsWith('- ')) {
    return prose(text.slice(2), known);
  }
  const m = /^(`[^`]*`|'[^']*'|"[^"]*"|\S+)([\s\S]*)$/.exec(text);
  const value = m[1].startsWith('`') ? m[1] : `\`${m[1]}\``;
  const rest = m[2].trim();
  return rest ? `${value} ${prose(rest, known)}` : value;
}

function signature(name, method) {
  const params = method.parameters.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`).join(', ');
  return `${name}(${params})${method.returns !== undefined ? `: ${method.returns}` : ''}`;
}

function codeBlock(text) {
  return ['```ts', text, '```'];
}

function fieldsTable(iface, known) {
  const lines = ['| Name | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |'];
  for (const f of iface.fields) {
    const doc = prose(f.doc, known) + (f.inheritedFrom ? ` (from [\`${f.inheritedFrom}\`](#${anchor(f.inheritedFrom)}))` : '');
    lines.push(`| \`${f.name}\` | ${cell(typeMarkdown(f.type, known))} | ${f.optional ? 'optional' : 'required'} | ${cell(f.optional ? defaultMarkdown(f.default, known) : '')} | ${cell(doc.trim())} |`);
  }
  return lines;
}

function interfaceSection(iface, level, known) {
  const lines = [`${'#'.repeat(level)} ${iface.name}`, ''];
  if (iface.doc) {
    lines.push(prose(iface.doc, known), '');
  }
  if (iface.extends.length > 0) {
    lines.push(`Extends ${iface.extends.map((e) => (known.has(e) ? `[\`${e}\`](#${anchor(e)})` : `\`${e}\``)).join(', ')}.`, '');
  }
  if (iface.fields.length === 0) {
    lines.push('No fields.', '');
  } else {
    lines.push(...fieldsTable(iface, known), '');
  }
  return lines;
}

function propertiesTable(properties, known) {
  const lines = ['| Name | Type | Description |', '| --- | --- | --- |'];
  for (const p of properties) {
    lines.push(`| \`${p.name}${p.optional ? '?' : ''}\` | ${cell(typeMarkdown(p.type, known))} | ${cell(prose(p.doc, known))} |`);
  }
  return lines;
}

function parametersList(method, known) {
  const documented = method.parameters.filter((p) => p.doc);
  return documented.length === 0 ? [] : [...documented.map((p) => `- \`${p.name}\`: ${oneLine(prose(p.doc, known))}`), ''];
}

function methodSection(cls, method, isStatic, owned, ifaceByName, known) {
  const lines = [...codeBlock(signature(isStatic ? `${cls.name}.${method.name}` : method.name, method)), ''];
  if (method.doc) {
    lines.push(prose(method.doc, known), '');
  }
  lines.push(...parametersList(method, known));
  for (const p of method.parameters) {
    if (p.interfaceName && owned.get(p.interfaceName) === cls.name) {
      lines.push(...interfaceSection(ifaceByName.get(p.interfaceName), 5, known));
    }
  }
  return lines;
}

function classSection(cls, owned, ifaceByName, known) {
  const lines = [`### ${cls.name}`, ''];
  if (cls.doc) {
    lines.push(prose(cls.doc, known), '');
  }
  if (cls.ctor.private) {
    lines.push('The constructor is private: create instances with the static methods.', '');
  } else {
    const ctor = { parameters: cls.ctor.parameters, returns: undefined };
    lines.push(...codeBlock(signature(`${cls.ctor.protected ? 'protected ' : ''}new ${cls.name}`, ctor)), '');
    lines.push(...parametersList(ctor, known));
    for (const p of ctor.parameters) {
      if (p.interfaceName && owned.get(p.interfaceName) === cls.name) {
        lines.push(...interfaceSection(ifaceByName.get(p.interfaceName), 4, known));
      }
    }
  }
  if (cls.properties.length > 0) {
    lines.push('#### Properties', '', ...propertiesTable(cls.properties, known), '');
  }
  if (cls.staticProperties.length > 0) {
    lines.push('#### Static properties', '', ...propertiesTable(cls.staticProperties, known), '');
  }
  if (cls.staticMethods.length > 0) {
    lines.push('#### Static methods', '');
    for (const m of cls.staticMethods) {
      lines.push(...methodSection(cls, m, true, owned, ifaceByName, known));
    }
  }
  if (cls.methods.length > 0) {
    lines.push('#### Methods', '');
    for (const m of cls.methods) {
      lines.push(...methodSection(cls, m, false, owned, ifaceByName, known));
    }
  }
  return lines;
}

function enumSection(e, known) {
  const lines = [`### ${e.name}`, ''];
  if (e.doc) {
    lines.push(prose(e.doc, known), '');
  }
  lines.push('| Member | Value | Description |', '| --- | --- | --- |');
  for (const m of e.members) {
    lines.push(`| \`${m.name}\` | ${m.value === undefined ? '' : `\`${cell(m.value)}\``} | ${cell(prose(m.doc, known))} |`);
  }
  lines.push('');
  return lines;
}

/**
 * Which class shows which interface: a construct its constructor's props, a class its
 * static methods' options. The first class (alphabetically) that takes an interface wins.
 */
function interfaceOwners(api) {
  const names = new Set(api.interfaces.map((i) => i.name));
  const owned = new Map();
  const claim = (params, owner) => {
    for (const p of params) {
      if (p.interfaceName && names.has(p.interfaceName) && !owned.has(p.interfaceName)) {
        owned.set(p.interfaceName, owner);
      }
    }
  };
  for (const cls of api.classes) {
    if (!cls.ctor.private) {
      claim(cls.ctor.parameters, cls.name);
    }
    for (const m of cls.staticMethods) {
      claim(m.parameters, cls.name);
    }
  }
  return owned;
}

function render(api) {
  const known = new Set([
    ...api.classes.map((c) => c.name),
    ...api.interfaces.map((i) => i.name),
    ...api.enums.map((e) => e.name),
    ...api.types.map((t) => t.name),
    ...api.generated.map((g) => g.name),
  ]);
  const owned = interfaceOwners(api);
  const ifaceByName = new Map(api.interfaces.map((i) => [i.name, i]));
  const constructs = api.classes.filter((c) => c.isConstruct);
  const classes = api.classes.filter((c) => !c.isConstruct);
  const looseInterfaces = api.interfaces.filter((i) => !owned.has(i.name));

  const lines = [
    '# API reference',
    '',
    'Everything `src/index.ts` exports, generated from the doc comments by `npm run docs`',
    '(`scripts/api-docs.js`); do not edit by hand. A test fails when this file is out of date.',
    '',
    'A props interface is shown under the construct that takes it, an options interface under',
    'the static method that takes it. Defaults come from the `@default` tags: a value in code,',
    'or a description of the behaviour when the field is left out.',
    '',
    '## Contents',
    '',
  ];
  const toc = (title, items, nested) => {
    if (items.length === 0) {
      return;
    }
    lines.push(`- [${title}](#${anchor(title.replace(/ /g, '-'))})`);
    for (const item of items) {
      lines.push(`  - [${item.name}](#${anchor(item.name)})`);
      for (const sub of nested ? [...owned].filter(([, o]) => o === item.name).map(([i]) => i).sort() : []) {
        lines.push(`    - [${sub}](#${anchor(sub)})`);
      }
    }
  };
  toc('Constructs', constructs, true);
  toc('Classes', classes, true);
  toc('Interfaces', looseInterfaces, false);
  toc('Enums', api.enums, false);
  toc('Functions', api.functions, false);
  toc('Types', api.types, false);
  toc('Constants', api.constants, false);
  toc('Generated provider binding', api.generated, false);
  lines.push('');

  if (constructs.length > 0) {
    lines.push('## Constructs', '');
    constructs.forEach((c) => lines.push(...classSection(c, owned, ifaceByName, known)));
  }
  if (classes.length > 0) {
    lines.push('## Classes', '');
    classes.forEach((c) => lines.push(...classSection(c, owned, ifaceByName, known)));
  }
  if (looseInterfaces.length > 0) {
    lines.push('## Interfaces', '');
    looseInterfaces.forEach((i) => lines.push(...interfaceSection(i, 3, known)));
  }
  if (api.enums.length > 0) {
    lines.push('## Enums', '');
    api.enums.forEach((e) => lines.push(...enumSection(e, known)));
  }
  if (api.functions.length > 0) {
    lines.push('## Functions', '');
    for (const f of api.functions) {
      lines.push(`### ${f.name}`, '', ...codeBlock(signature(f.name, f)), '');
      if (f.doc) {
        lines.push(prose(f.doc, known), '');
      }
      lines.push(...parametersList(f, known));
    }
  }
  if (api.types.length > 0) {
    lines.push('## Types', '');
    for (const t of api.types) {
      lines.push(`### ${t.name}`, '', ...codeBlock(`type ${t.name} = ${t.type}`), '');
      if (t.doc) {
        lines.push(prose(t.doc, known), '');
      }
    }
  }
  if (api.constants.length > 0) {
    lines.push('## Constants', '');
    for (const c of api.constants) {
      lines.push(`### ${c.name}`, '', ...codeBlock(`const ${c.name}: ${c.type}`), '');
      if (c.doc) {
        lines.push(prose(c.doc, known), '');
      }
    }
  }
  if (api.generated.length > 0) {
    lines.push('## Generated provider binding', '');
    for (const g of api.generated) {
      lines.push(`### ${g.name}`, '', `The ${GENERATED_NOTE}.`, '');
      if (g.fields.length > 0) {
        lines.push(`Fields, all described there: ${g.fields.map((f) => `\`${f}\``).join(', ')}.`, '');
      }
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Interface fields without a doc comment, and optional ones without `@default`. */
function undocumentedFields(api) {
  const problems = [];
  for (const iface of api.interfaces) {
    for (const f of iface.fields) {
      if (f.inheritedFrom) {
        continue; // reported on the interface that declares it
      }
      if (!f.doc) {
        problems.push(`${iface.name}.${f.name}: no doc comment`);
      }
      if (f.optional && !f.default) {
        problems.push(`${iface.name}.${f.name}: optional without @default`);
      }
    }
  }
  return problems;
}

/** Classes, their public members and enum members without a doc comment. */
function undocumentedMembers(api) {
  const problems = [];
  for (const cls of api.classes) {
    if (!cls.doc) {
      problems.push(`${cls.name}: no doc comment`);
    }
    for (const m of [...cls.properties, ...cls.staticProperties, ...cls.staticMethods, ...cls.methods]) {
      if (!m.doc) {
        problems.push(`${cls.name}.${m.name}: no doc comment`);
      }
    }
  }
  for (const e of api.enums) {
    if (!e.doc) {
      problems.push(`${e.name}: no doc comment`);
    }
    for (const m of e.members) {
      if (!m.doc) {
        problems.push(`${e.name}.${m.name}: no doc comment`);
      }
    }
  }
  for (const i of api.interfaces) {
    if (!i.doc) {
      problems.push(`${i.name}: no doc comment`);
    }
  }
  return problems;
}

function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `first difference at line ${i + 1}:\n  expected: ${a[i] === undefined ? '(end of file)' : a[i]}\n  found:    ${b[i] === undefined ? '(end of file)' : b[i]}`;
    }
  }
  return '';
}

/** Why `current` (the file's content, or undefined when missing) is not `expected`; undefined when it is. */
function staleness(expected, current) {
  if (current === expected) {
    return undefined;
  }
  return current === undefined
    ? `${OUTPUT} is missing: run \`npm run docs\` and commit it`
    : `${OUTPUT} is out of date with the public API: run \`npm run docs\` and commit it\n${firstDifference(expected, current)}`;
}

function main(argv) {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`api-docs: unknown argument ${unknown[0]}; usage: node scripts/api-docs.js [--check]\n`);
    return 2;
  }
  const markdown = render(collectApi(ROOT));
  const file = path.join(ROOT, OUTPUT);
  if (check) {
    const problem = staleness(markdown, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
    if (problem === undefined) {
      process.stdout.write(`${OUTPUT} is up to date\n`);
      return 0;
    }
    process.stderr.write(`${problem}\n`);
    return 1;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, markdown);
  process.stdout.write(`wrote ${OUTPUT}\n`);
  return 0;
}

module.exports = { collectApi, render, staleness, undocumentedFields, undocumentedMembers };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`api-docs: ${err.message}\n`);
    process.exitCode = 2;
  }
}
