/**
 * Building LDAP search filters from untrusted input: values are escaped per RFC 4515
 * (section 3: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`), so a
 * typed username can never add wildcards or clauses to a filter.
 */

/**
 * Escapes a value for use inside an LDAP filter (RFC 4515).
 *
 * @example
 * escapeFilterValue('a*)(uid=*'); // 'a\\2a\\29\\28uid=\\2a'
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Fills `{name}` placeholders of a filter template with escaped values; unknown
 * placeholders are left as they are.
 *
 * @example
 * fillFilter('(uid={username})', { username: 'al*' }); // '(uid=al\\2a)'
 */
export function fillFilter(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z]+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? escapeFilterValue(values[name]!) : placeholder,
  );
}

/**
 * The account name in what a person typed: `DOMAIN\alice` and `alice@corp.example`
 * (Active Directory's down-level and UPN forms) both give `alice`; a plain name is kept.
 */
export function bareUsername(input: string): string {
  const trimmed = input.trim();
  const afterDomain = trimmed.includes('\\') ? trimmed.slice(trimmed.lastIndexOf('\\') + 1) : trimmed;
  const at = afterDomain.lastIndexOf('@');
  return at > 0 ? afterDomain.slice(0, at) : afterDomain;
}
