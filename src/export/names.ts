/**
 * Names each engine accepts. An app name tend takes may hold characters an engine refuses; the export then uses a
 * cleaned name and the lossy report says so.
 */

/** A DNS label (RFC 1123, starting with a letter as a Service name must): Kubernetes object and container names. */
export function dnsLabel(name: string, maxLength = 63): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const lettered = /^[a-z]/.test(cleaned) ? cleaned : `app-${cleaned}`;
  return lettered.slice(0, maxLength).replace(/-+$/, '');
}

/** A Kubernetes label value: up to 63 of letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit. */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** A compose service name: letters, digits, `.`, `_`, `-`. */
export function composeServiceName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** A systemd unit name's prefix: letters, digits, `:`, `_`, `.`, `-` (no `@`, which starts a template's instance). */
export function unitPrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9:_.-]+/g, '-');
}
