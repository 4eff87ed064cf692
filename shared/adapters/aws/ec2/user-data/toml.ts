// The subset of TOML that Bottlerocket settings use, read and written: tables (`[settings.kubernetes]`), bare,
// quoted and dotted keys, basic and literal strings, integers, floats, booleans, arrays (also across lines) and
// inline tables. Multi-line strings and arrays of tables are refused with a message: Bottlerocket's settings
// have neither, and a partial reading of a user's TOML would silently drop settings.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- writing ----

function key(k: string): string {
  return BARE_KEY.test(k) ? k : JSON.stringify(k);
}

function scalar(value: TomlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(scalar).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${key(k)} = ${scalar(v)}`)
    .join(', ')} }`;
}

function writeTable(table: TomlTable, path: readonly string[], out: string[]): void {
  const entries = Object.entries(table);
  const values = entries.filter(([, v]) => !isTable(v));
  if (path.length > 0 && (values.length > 0 || entries.length === 0)) out.push(`[${path.map(key).join('.')}]`);
  for (const [k, v] of values) out.push(`${key(k)} = ${scalar(v)}`);
  if (path.length > 0 && values.length > 0) out.push('');
  for (const [k, v] of entries) if (isTable(v)) writeTable(v, [...path, k], out);
}

/** TOML text for `table`: its plain values first, then one `[section]` per nested table that has values. */
export function writeToml(table: TomlTable): string {
  const out: string[] = [];
  writeTable(table, [], out);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ---- reading ----

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new Error(`TOML line ${line}: ${message}`);
  }

  /** Skips spaces, and with `newlines` also line breaks and comments. */
  skip(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' && newlines) while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      else return;
    }
  }

  string(): string {
    const quote = this.text[this.pos] as string;
    if (this.text.startsWith(quote.repeat(3), this.pos)) this.fail('multi-line strings are not supported');
    const end = quote === "'" ? this.text.indexOf("'", this.pos + 1) : this.closingQuote();
    if (end < 0) this.fail('unterminated string');
    const raw = this.text.slice(this.pos, end + 1);
    this.pos = end + 1;
    return quote === "'" ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  }

  private closingQuote(): number {
    for (let i = this.pos + 1; i < this.text.length; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text[i] === '"') return i;
      else if (this.text[i] === '\n') return -1;
    }
    return -1;
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.text[this.pos];
      if (c === '"' || c === "'") parts.push(this.string());
      else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos));
        if (!match) this.fail('expected a key');
        parts.push(match[0]);
        this.pos += match[0].length;
      }
      this.skip(false);
      if (this.text[this.pos] !== '.') return parts;
      this.pos++;
    }
  }

  value(): TomlValue {
    this.skip(false);
    const c = this.text[this.pos];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const match = /^[^\s,\]}#]+/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a value');
    this.pos += match[0].length;
    if (match[0] === 'true' || match[0] === 'false') return match[0] === 'true';
    const n = Number(match[0].replaceAll('_', ''));
    if (!Number.isFinite(n)) this.fail(`unsupported value ${match[0]}`);
    return n;
  }

  array(): TomlValue[] {
    this.pos++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skip(true);
      if (this.text[this.pos] === ']') break;
      items.push(this.value());
      this.skip(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ']') this.fail('expected , or ] in array');
    }
    this.pos++;
    return items;
  }

  inlineTable(): TomlTable {
    this.pos++;
    const table: TomlTable = {};
    this.skip(false);
    while (this.text[this.pos] !== '}') {
      const path = this.key();
      if (this.text[this.pos] !== '=') this.fail('expected = in inline table');
      this.pos++;
      assign(table, path, this.value(), this);
      this.skip(false);
      if (this.text[this.pos] === ',') this.pos++;
      this.skip(false);
    }
    this.pos++;
    return table;
  }
}

function assign(table: TomlTable, path: readonly string[], value: TomlValue, reader: Reader): void {
  const parent = descend(table, path.slice(0, -1), reader);
  const last = path[path.length - 1] as string;
  if (last in parent) reader.fail(`key ${path.join('.')} is defined twice`);
  parent[last] = value;
}

function descend(table: TomlTable, path: readonly string[], reader: Reader): TomlTable {
  let current = table;
  for (const part of path) {
    const next = current[part] ?? {};
    if (!isTable(next)) reader.fail(`${part} is not a table`);
    current[part] = next;
    current = next;
  }
  return current;
}

/** Parses the supported subset of TOML; throws an Error naming the line for anything else. */
export function readToml(text: string): TomlTable {
  const reader = new Reader(text);
  const root: TomlTable = {};
  let current = root;
  for (;;) {
    reader.skip(true);
    if (reader.pos >= text.length) return root;
    if (text.startsWith('[[', reader.pos)) reader.fail('arrays of tables are not supported');
    if (text[reader.pos] === '[') {
      reader.pos++;
      const path = reader.key();
      if (text[reader.pos] !== ']') reader.fail('expected ] after a table name');
      reader.pos++;
      current = descend(root, path, reader);
      continue;
    }
    const path = reader.key();
    if (text[reader.pos] !== '=') reader.fail('expected = after a key');
    reader.pos++;
    assign(current, path, reader.value(), reader);
  }
}
