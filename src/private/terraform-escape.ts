/**
 * Terraform reads `${...}` and `%{...}` inside any string of a `.tf.json` file as its own
 * template syntax. A literal string (a YAML document carrying a shell script) must have
 * them escaped as `$${` and `%%{`, once, where it becomes a resource attribute.
 *
 * cdktf tokens embedded in the string (`${TfToken[TOKEN.n]}`, e.g. a project identifier
 * taken from another resource) are left alone: cdktf turns them into real Terraform
 * references when it synthesizes.
 */
export function escapeTerraformTemplate(text: string): string {
  // A replacer function, not a replacement string: in the latter `$$` means one `$`.
  return text.replace(/([$%])\{(?!TfToken\[)/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}
