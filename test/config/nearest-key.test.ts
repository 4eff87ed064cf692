import { describe, expect, it } from 'vitest';
import { editDistance, nearestKey } from '../../shared/config/nearest-key.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('requirments', 'requirements')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('nearestKey', () => {
  const keys = ['requirements', 'nodeClassRef', 'taints', 'startupTaints', 'expireAfter', 'terminationGracePeriod'];

  it('suggests the known key one typo away', () => {
    expect(nearestKey('requirments', keys)).toBe('requirements');
    expect(nearestKey('tains', keys)).toBe('taints');
  });

  it('ignores case', () => {
    expect(nearestKey('NodeClassRef', keys)).toBe('nodeClassRef');
  });

  it('suggests nothing when no key is close', () => {
    expect(nearestKey('foo', keys)).toBeUndefined();
    expect(nearestKey('replicas', keys)).toBeUndefined();
  });
});
