// readObjects: the Kubernetes objects of a `plan` input file, in every shape DESIGN §5 promises, and errors
// that name the file, the document and the position.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseObjects, readObjects } from '../../shared/cli/inputs.js';
import { InputError } from '../../shared/cli/io.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwright-inputs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name } });
const names = (objects: readonly Record<string, unknown>[]) =>
  objects.map((o) => (o.metadata as { name: string }).name);

async function inputErrorLines(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => expect.fail('expected an InputError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).lines;
}

describe('readObjects', () => {
  describe('shapes', () => {
    it('reads one JSON object', async () => {
      expect(await readObjects(await file('one.json', JSON.stringify(pod('a'))))).toEqual([pod('a')]);
    });

    it('reads a JSON array', async () => {
      const path = await file('array.json', JSON.stringify([pod('a'), pod('b')]));
      expect(names(await readObjects(path))).toEqual(['a', 'b']);
    });

    it('reads a kubectl List, as `kubectl get pods -A -o json` prints it', async () => {
      const list = { apiVersion: 'v1', kind: 'List', items: [pod('a'), pod('b')], metadata: { resourceVersion: '' } };
      expect(names(await readObjects(await file('list.json', JSON.stringify(list, null, 4))))).toEqual(['a', 'b']);
    });

    it('flattens nested Lists and arrays of Lists, in order', async () => {
      const inner = { kind: 'List', items: [pod('b'), { kind: 'List', items: [pod('c')] }] };
      const path = await file('nested.json', JSON.stringify([{ kind: 'List', items: [pod('a'), inner] }, pod('d')]));
      expect(names(await readObjects(path))).toEqual(['a', 'b', 'c', 'd']);
    });

    it('gives the items of a typed list (PodList, from the API) their kind and apiVersion', async () => {
      const list = { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a' } }, pod('b')] };
      expect(await readObjects(await file('podlist.json', JSON.stringify(list)))).toEqual([
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
        pod('b'),
      ]);
    });

    it('reads multi-document YAML, skipping empty documents', async () => {
      const yaml = [
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  replicas: 3',
        '---',
        '# only a comment',
        '---',
        'kind: List',
        'items:',
        '  - {kind: Pod, metadata: {name: a}}',
        '---',
        '',
      ].join('\n');
      const objects = await readObjects(await file('multi.yaml', yaml));
      expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Pod']);
      expect(objects[0]).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 3 },
      });
    });

    it('keeps YAML timestamps and yes/no as text, as the API does', async () => {
      const yaml =
        'kind: Pod\nmetadata:\n  name: a\n  creationTimestamp: 2025-06-11T09:00:00Z\n  labels: {enabled: yes}\n';
      const [object] = await readObjects(await file('times.yaml', yaml));
      expect(object?.metadata).toEqual({
        name: 'a',
        creationTimestamp: '2025-06-11T09:00:00Z',
        labels: { enabled: 'yes' },
      });
    });

    it('accepts YAML merge keys in hand-written files', async () => {
      const yaml = 'x-base: &base {kind: Pod}\n---\n<<: {kind: Pod}\nmetadata: {name: merged}\n';
      const objects = await readObjects(await file('merge.yaml', yaml));
      expect(objects[1]).toEqual({ kind: 'Pod', metadata: { name: 'merged' } });
    });

    it('reads YAML whose first character is a brace (flow style)', async () => {
      expect(await readObjects(await file('flow.yaml', '{kind: Pod, metadata: {name: a}}\n'))).toEqual([
        { kind: 'Pod', metadata: { name: 'a' } },
      ]);
    });

    it('reads an empty file, or one with only comments, as no objects', async () => {
      expect(await readObjects(await file('empty.json', ''))).toEqual([]);
      expect(await readObjects(await file('comments.yaml', '# nothing yet\n'))).toEqual([]);
      expect(await readObjects(await file('empty-list.json', '{"kind":"List","items":[]}'))).toEqual([]);
    });

    it('tolerates a byte-order mark', async () => {
      expect(await readObjects(await file('bom.json', `\uFEFF${JSON.stringify(pod('a'))}`))).toEqual([pod('a')]);
    });

    it('resolves a relative path against cwd and names it as given', async () => {
      await mkdir(join(dir, 'sub'), { recursive: true });
      await file('sub/rel.json', JSON.stringify(pod('a')));
      expect(await readObjects('sub/rel.json', { cwd: dir })).toEqual([pod('a')]);
      expect(await inputErrorLines(readObjects('sub/missing.json', { cwd: dir }))).toEqual([
        expect.stringMatching(/^sub\/missing\.json: cannot read the file: ENOENT/),
      ]);
    });
  });

  describe('errors', () => {
    it('names an unreadable file', async () => {
      const [line] = await inputErrorLines(readObjects(dir));
      expect(line).toMatch(new RegExp(`^${dir}: cannot read the file: EISDIR`));
    });

    it('names the file, line and column of broken JSON', async () => {
      const path = await file('broken.json', '{\n  "kind": "Pod",\n  "metadata": {"name": "a"\n}\n');
      const lines = await inputErrorLines(readObjects(path));
      expect(lines[0]).toMatch(new RegExp(`^${path}: line \\d+, column \\d+: cannot parse as JSON or YAML: `));
    });

    it('names the document of broken YAML in a multi-document file', async () => {
      const path = await file('broken.yaml', 'kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nkind: Node\n');
      expect(await inputErrorLines(readObjects(path))).toEqual([
        `${path}: document 2: line 5, column 1: cannot parse as JSON or YAML: Map keys must be unique`,
      ]);
    });

    it('names every item that is not an object, all at once', async () => {
      const list = { kind: 'List', items: [pod('a'), 'oops', { kind: 'List', items: [null] }] };
      const path = await file('scalars.json', JSON.stringify([list, 42]));
      expect(await inputErrorLines(readObjects(path))).toEqual([
        `${path}: [0].items[1]: expected a Kubernetes object, got string "oops"`,
        `${path}: [0].items[2].items[0]: expected a Kubernetes object, got null`,
        `${path}: [1]: expected a Kubernetes object, got number 42`,
      ]);
    });

    it('names a document that is not an object', async () => {
      expect(() => parseObjects('kind: Pod\n---\njust text\n', 'pods.yaml')).toThrow(
        'pods.yaml: document 2: expected a Kubernetes object, got string "just text"',
      );
    });

    it('names a List whose items are not a list', () => {
      expect(() => parseObjects('{"kind": "List", "items": {"kind": "Pod"}}', 'pods.json')).toThrow(
        'pods.json: items: expected a list, got object {"kind":"Pod"}',
      );
    });
  });
});
