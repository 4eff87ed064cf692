import { describe, expect, it } from 'vitest';
import { buildConfigSet, type SourceDocument } from '../../shared/config/config-set.js';
import { DEFAULT_SETTINGS } from '../../shared/core/model/settings.js';
import { NODE_CLASS_REF, nodeClass, nodePool, settings } from './builders.js';

const doc = (raw: unknown, source = 'config.yaml'): SourceDocument => ({ raw, source });
const poolNamed = (name: string, className = 'default') =>
  nodePool({
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { ...NODE_CLASS_REF, name: className } } } },
  });

describe('buildConfigSet', () => {
  it('returns valid documents as core values, and default settings when there are none', () => {
    const set = buildConfigSet([doc(poolNamed('a')), doc(nodeClass()), doc(poolNamed('b'))]);
    expect(set.errors).toEqual([]);
    expect(set.nodePools.map((p) => p.name)).toEqual(['a', 'b']);
    expect(set.nodeClasses.map((c) => c.name)).toEqual(['default']);
    expect(set.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('leaves invalid documents out of the values but reports them', () => {
    const set = buildConfigSet([doc(poolNamed('a')), doc(nodePool({ metadata: { name: 'b' }, spec: { weight: 0 } }))]);
    expect(set.nodePools.map((p) => p.name)).toEqual(['a']);
    expect(set.documents.map((d) => [d.name, d.issues.length])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('refuses two objects of one kind with the same name', () => {
    const set = buildConfigSet([doc(poolNamed('a'), 'one.yaml'), doc(poolNamed('a'), 'two.yaml')]);
    expect(set.errors).toEqual([
      'two.yaml: NodePool/a: metadata.name: duplicate name: NodePool "a" is also defined in one.yaml',
    ]);
    expect(set.nodePools).toHaveLength(1);
  });

  it('allows a pool and a class to share a name', () => {
    expect(buildConfigSet([doc(poolNamed('default')), doc(nodeClass())]).errors).toEqual([]);
  });

  it('refuses a second Settings document', () => {
    const set = buildConfigSet([doc(settings(), 'a.yaml'), doc(settings({ paused: true }), 'b.yaml')]);
    expect(set.errors).toEqual([
      'b.yaml: Settings/settings: (document): a second Settings document: only one is allowed (the first is in a.yaml)',
    ]);
  });

  it('checks node class references when node classes are given', () => {
    const set = buildConfigSet([doc(poolNamed('a', 'gpu')), doc(nodeClass())]);
    expect(set.errors).toEqual([
      'config.yaml: NodePool/a: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "gpu" (given: default)',
    ]);
    expect(set.nodePools).toEqual([]);
  });

  it('does not check node class references when no node classes are given, unless asked to', () => {
    expect(buildConfigSet([doc(poolNamed('a', 'gpu'))]).errors).toEqual([]);
    expect(buildConfigSet([doc(poolNamed('a', 'gpu'))], { requireNodeClasses: true }).errors).toEqual([
      'config.yaml: NodePool/a: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "gpu" (none are given)',
    ]);
  });

  it('counts an invalid class as given, so its pools are not reported twice', () => {
    const brokenClass = nodeClass({ spec: { role: undefined } });
    const set = buildConfigSet([doc(poolNamed('a')), doc(brokenClass)]);
    expect(set.errors).toEqual([
      'config.yaml: EC2NodeClass/default: spec.role: missing required field: give role or instanceProfile',
    ]);
  });

  it('holds a folder-layout file to the kind and name its path gives', () => {
    const layout = { kind: 'NodePool' as const, name: 'web', place: 'a file in nodepools/' };
    const set = buildConfigSet([
      { raw: poolNamed('api'), source: 'nodepools/web.json', layout },
      { raw: nodeClass(), source: 'nodepools/web.yaml', layout },
    ]);
    expect(set.errors).toEqual([
      'nodepools/web.json: NodePool/api: metadata.name: "api" does not match the file name "web" (the file name must equal metadata.name)',
      'nodepools/web.yaml: EC2NodeClass/default: kind: a file in nodepools/ must hold a NodePool, got "EC2NodeClass"',
    ]);
  });

  it('validates a layout file that leaves out its kind as the kind its folder holds', () => {
    const { kind: _kind, ...withoutKind } = poolNamed('web');
    const set = buildConfigSet([
      {
        raw: withoutKind,
        source: 'nodepools/web.json',
        layout: { kind: 'NodePool', name: 'web', place: 'a file in nodepools/' },
      },
    ]);
    expect(set.errors).toEqual(['nodepools/web.json: NodePool/web: kind: missing required field, expected "NodePool"']);
  });
});
