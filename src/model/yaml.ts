import * as YAML from 'yaml';

/**
 * Serialises a Harness document to YAML: two-space indent, no line folding, keys in
 * the order the render functions wrote them, `undefined` fields dropped. Multi-line
 * strings (the mirror script) come out as `|` block scalars.
 */
export function toYaml(doc: unknown): string {
  return YAML.stringify(doc, { indent: 2, lineWidth: 0, blockQuote: 'literal' });
}
