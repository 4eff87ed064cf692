import { describe, expect, it } from 'vitest';
import { parseDocumentsText } from '../../shared/config/document-text.js';

const documentsOf = (text: string, file = 'x.yaml') => {
  const parsed = parseDocumentsText(text, file);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.documents;
};

describe('parseDocumentsText', () => {
  it('reads one JSON object', () => {
    expect(documentsOf('{"kind":"NodePool"}', 'a.json')).toEqual([{ kind: 'NodePool' }]);
  });

  it('reads a JSON array as its elements', () => {
    expect(documentsOf('[{"kind":"NodePool"},{"kind":"Settings"}]', 'a.json')).toHaveLength(2);
  });

  it('reads a Kubernetes List as its items', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ kind: 'NodePool' }, { kind: 'EC2NodeClass' }] };
    expect(documentsOf(JSON.stringify(list), 'a.json')).toEqual(list.items);
    expect(documentsOf('kind: NodePoolList\nitems:\n  - kind: NodePool\n')).toEqual([{ kind: 'NodePool' }]);
  });

  it('splits multi-document YAML, skipping empty documents and comments', () => {
    const text = '# pools\nkind: NodePool\n---\n---\n# nothing here\n---\nkind: Settings # trailing comment\n';
    expect(documentsOf(text)).toEqual([{ kind: 'NodePool' }, { kind: 'Settings' }]);
  });

  it('reads an empty file as no documents', () => {
    expect(documentsOf('', 'a.json')).toEqual([]);
    expect(documentsOf('\n# only a comment\n')).toEqual([]);
  });

  it('explains JSON and YAML it cannot parse, on one line', () => {
    const json = parseDocumentsText('{"kind": }', 'a.json');
    expect(json.ok).toBe(false);
    if (!json.ok) expect(json.error).toMatch(/^cannot parse JSON: /);
    const yaml = parseDocumentsText('metadata:\n  name: [broken\n', 'a.yaml');
    expect(yaml.ok).toBe(false);
    if (!yaml.ok) expect(yaml.error).toMatch(/^cannot parse YAML: .* at line \d+, column \d+:$/);
  });

  it('refuses duplicate keys in YAML', () => {
    const parsed = parseDocumentsText('kind: NodePool\nkind: Settings\n', 'a.yaml');
    expect(parsed.ok).toBe(false);
  });
});
