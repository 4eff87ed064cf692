// MIME multipart user data, as cloud-init and nodeadm read it: a `multipart/mixed` archive with boundary `//`
// (Karpenter's choice, research/aws-provider.md §b.9). Writing is used for AL2023 user data; reading takes apart
// a user's own MIME user data so its parts can go first, and lets tests check what was written.

export const MIME_BOUNDARY = '//';

export interface MimePart {
  /** The part's full Content-Type header value, e.g. `text/x-shellscript; charset="us-ascii"`. */
  readonly contentType: string;
  readonly body: string;
}

/** The archive of `parts`, in order (later nodeadm parts win, so order matters). */
export function writeMime(parts: readonly MimePart[]): string {
  const lines = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, ''];
  for (const part of parts) {
    lines.push(`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, '', part.body.replace(/\n+$/, ''));
  }
  lines.push(`--${MIME_BOUNDARY}--`, '');
  return lines.join('\n');
}

/** Header name (lower case) -> value, for the header block `text`. */
function headers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}

/** Splits at the first blank line: headers, then body. */
function splitHeaders(text: string): [string, string] {
  const blank = text.search(/\n\n/);
  return blank < 0 ? [text, ''] : [text.slice(0, blank), text.slice(blank + 2)];
}

const BOUNDARY_PARAM = /boundary="?([^";]+)"?/i;

/** True when `text` is a MIME multipart document (it starts with MIME headers naming a multipart type). */
export function isMime(text: string): boolean {
  const [head] = splitHeaders(text.replace(/\r\n/g, '\n'));
  return /^content-type:\s*multipart\//im.test(head) && BOUNDARY_PARAM.test(head);
}

/** The parts of a multipart document, in order; throws when `text` is not one. */
export function readMime(text: string): MimePart[] {
  const [head, body] = splitHeaders(text.replace(/\r\n/g, '\n'));
  const boundary = BOUNDARY_PARAM.exec(headers(head).get('content-type') ?? '')?.[1];
  if (boundary === undefined) throw new Error('user data is not a MIME multipart document (no boundary)');
  const parts: MimePart[] = [];
  const sections = `\n${body}`.split(`\n--${boundary}`);
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const [partHead, partBody] = splitHeaders(section.replace(/^[^\n]*\n/, ''));
    parts.push({
      contentType: headers(partHead).get('content-type') ?? 'text/plain',
      body: partBody.replace(/\n$/, ''),
    });
  }
  return parts;
}
