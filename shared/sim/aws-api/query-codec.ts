// EC2 Query serialization, server side, driven by the SDK's own schemas (`@aws-sdk/client-ec2`'s
// `DescribeInstances$` and friends) so every member of every operation is covered without a hand-written table:
// - decode mirrors @aws-sdk/core's QueryShapeSerializer with the EC2 settings: a member's key is its
//   `ec2QueryName` trait (else its capitalized `xmlName`, else its capitalized name); lists are always flat
//   (`Key.1`, `Key.2`); nested members are dotted (`Filter.1.Value.2`); maps are `Key.entry.N.key/value`;
// - encode mirrors XmlShapeDeserializer: a member's element is its `xmlName` member trait (else its name), a
//   list is `<name><item>…</item></name>` (its member's `xmlName`, else `member`) or repeated `<name>` when
//   `xmlFlattened`, timestamps are ISO-8601 unless the schema says epoch seconds or HTTP date.

import { NormalizedSchema } from '@smithy/core/schema';
import type { $SchemaRef } from '@smithy/types';

/** Schema ids of the two non-ISO timestamp formats (@smithy/types `TimestampHttpDateSchema`, `…EpochSeconds…`). */
const HTTP_DATE = 6;
const EPOCH_SECONDS = 7;

/** The form fields of a Query request, with every dotted prefix indexed so "is anything under X" is one lookup. */
class QueryForm {
  readonly values = new Map<string, string>();
  private readonly prefixes = new Set<string>();

  constructor(params: URLSearchParams) {
    for (const [key, value] of params) {
      this.values.set(key, value);
      const parts = key.split('.');
      for (let i = 1; i <= parts.length; i++) this.prefixes.add(parts.slice(0, i).join('.'));
    }
  }

  has(key: string): boolean {
    return this.prefixes.has(key);
  }
}

/** The operation input `schema` describes, read from a Query form (`Action` and `Version` are ignored). */
export function decodeQuery(schema: $SchemaRef, params: URLSearchParams): Record<string, unknown> {
  return readStruct(NormalizedSchema.of(schema), '', new QueryForm(params));
}

function readShape(ns: NormalizedSchema, key: string, form: QueryForm): unknown {
  if (ns.isStructSchema()) return readStruct(ns, `${key}.`, form);
  if (ns.isListSchema()) {
    const items: unknown[] = [];
    for (let i = 1; form.has(`${key}.${i}`); i++) items.push(readShape(ns.getValueSchema(), `${key}.${i}`, form));
    return items;
  }
  if (ns.isMapSchema()) return readMap(ns, key, form);
  return readScalar(ns, form.values.get(key) ?? '');
}

function readStruct(ns: NormalizedSchema, prefix: string, form: QueryForm): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [name, member] of ns.structIterator()) {
    const key = `${prefix}${queryKey(name, member)}`;
    if (form.has(key)) value[name] = readShape(member, key, form);
  }
  return value;
}

function readMap(ns: NormalizedSchema, key: string, form: QueryForm): Record<string, unknown> {
  const flat = Boolean(ns.getMergedTraits().xmlFlattened);
  const keyName = entryKey('key', ns.getKeySchema());
  const valueName = entryKey('value', ns.getValueSchema());
  const value: Record<string, unknown> = {};
  for (let i = 1; ; i++) {
    const entry = flat ? `${key}.${i}` : `${key}.entry.${i}`;
    if (!form.has(entry)) return value;
    const name = form.values.get(`${entry}.${keyName}`) ?? '';
    value[name] = readShape(ns.getValueSchema(), `${entry}.${valueName}`, form);
  }
}

function readScalar(ns: NormalizedSchema, text: string): unknown {
  if (ns.isBooleanSchema()) return text === 'true';
  if (ns.isNumericSchema()) return Number(text);
  if (ns.isBigIntegerSchema()) return BigInt(text);
  if (ns.isBlobSchema()) return new Uint8Array(Buffer.from(text, 'base64'));
  if (ns.isTimestampSchema()) {
    return ns.getSchema() === EPOCH_SECONDS ? new Date(Number(text) * 1000) : new Date(text);
  }
  return text;
}

/** The request key of a struct member, as the SDK's EC2 serializer writes it. */
function queryKey(name: string, member: NormalizedSchema): string {
  const { ec2QueryName, xmlName } = member.getMergedTraits();
  if (typeof ec2QueryName === 'string') return ec2QueryName;
  const key = typeof xmlName === 'string' ? xmlName : name;
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function entryKey(fallback: string, ns: NormalizedSchema): string {
  const { ec2QueryName, xmlName } = ns.getMergedTraits();
  return String(ec2QueryName ?? xmlName ?? fallback);
}

/** The members of `value` that `schema` (an operation output) describes, as XML elements; `$metadata` is not one. */
export function encodeXmlMembers(schema: $SchemaRef, value: unknown): string {
  return writeMembers(NormalizedSchema.of(schema), value);
}

function writeMembers(ns: NormalizedSchema, value: unknown): string {
  // A `unit` output (CreateTags) has no members.
  if (!ns.isStructSchema() || typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  let xml = '';
  for (const [name, member] of ns.structIterator()) {
    const memberValue = record[name];
    if (memberValue === undefined || memberValue === null) continue;
    xml += writeShape(member, elementName(name, member), memberValue);
  }
  return xml;
}

function writeShape(ns: NormalizedSchema, name: string, value: unknown): string {
  if (ns.isStructSchema()) return element(name, writeMembers(ns, value));
  if (ns.isListSchema()) {
    const items = Array.isArray(value) ? value.filter((item) => item !== undefined && item !== null) : [];
    const member = ns.getValueSchema();
    if (ns.getMergedTraits().xmlFlattened) return items.map((item) => writeShape(member, name, item)).join('');
    const itemName = String(member.getMergedTraits().xmlName ?? 'member');
    return element(name, items.map((item) => writeShape(member, itemName, item)).join(''));
  }
  if (ns.isMapSchema()) return writeMap(ns, name, value as Record<string, unknown>);
  return element(name, escapeXml(scalarText(ns, value)));
}

function writeMap(ns: NormalizedSchema, name: string, value: Record<string, unknown>): string {
  const keyName = String(ns.getKeySchema().getMergedTraits().xmlName ?? 'key');
  const valueName = String(ns.getValueSchema().getMergedTraits().xmlName ?? 'value');
  const entries = Object.entries(value).map(
    ([key, item]) => element(keyName, escapeXml(key)) + writeShape(ns.getValueSchema(), valueName, item),
  );
  if (ns.getMergedTraits().xmlFlattened) return entries.map((entry) => element(name, entry)).join('');
  return element(name, entries.map((entry) => element('entry', entry)).join(''));
}

function scalarText(ns: NormalizedSchema, value: unknown): string {
  if (ns.isTimestampSchema()) {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (ns.getSchema() === EPOCH_SECONDS) return String(date.getTime() / 1000);
    return ns.getSchema() === HTTP_DATE ? date.toUTCString() : date.toISOString();
  }
  if (ns.isBlobSchema()) {
    return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
  }
  return String(value);
}

/** The element the SDK reads a struct member from: the member's own `xmlName` trait, else its name. */
function elementName(name: string, member: NormalizedSchema): string {
  const { xmlName } = member.getMemberTraits();
  return typeof xmlName === 'string' ? xmlName : name;
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

/** Escapes markup, and line breaks as character references so the SDK's parser keeps them verbatim. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\n]/g, (c) => `&#${c.charCodeAt(0)};`);
}
