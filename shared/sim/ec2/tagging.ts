// CreateTags on the simulated account: instances, their root volumes and launch templates, with EC2's rules —
// keys of 1–128 characters not starting with `aws:`, values up to 256, at most 50 tags per resource, an
// existing tag overwritten in place. The call is checked whole before anything changes, so a refused call
// tags nothing (EC2 is atomic here too).

import type { CreateTagsCommandInput, Tag } from '@aws-sdk/client-ec2';
import type { SimInstance } from './instance-record.js';
import type { SimInstances } from './instances.js';
import type { SimLaunchTemplates } from './launch-templates.js';
import { QueryError } from './query.js';

/** EC2's documented tag limits. */
const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;
const RESERVED_PREFIX = 'aws:';

export interface Taggable {
  readonly instances: SimInstances;
  readonly launchTemplates: SimLaunchTemplates;
}

/** A resource's tags as a map the call can write to; throws EC2's error for an id it does not know. */
function tagsOf(target: Taggable, id: string): Map<string, string> {
  if (id.startsWith('i-')) {
    const instance = target.instances.get(id);
    if (instance) return instance.tags;
    throw new QueryError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  }
  if (id.startsWith('vol-')) {
    const owner = target.instances.all().find((i: SimInstance) => i.volumeId === id);
    if (owner && owner.state !== 'terminated') return owner.volumeTags;
    throw new QueryError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  }
  if (id.startsWith('lt-')) {
    const template = target.launchTemplates.resolve({ LaunchTemplateId: id });
    // A copy: the template keeps EC2's Tag[] and gets the result written back once the call is checked.
    return new Map(template.tags.map((t) => [t.Key ?? '', t.Value ?? '']));
  }
  throw new QueryError('InvalidID', `The ID '${id}' is not valid`);
}

function checkTag(tag: Tag): void {
  const key = tag.Key ?? '';
  if (key.length === 0 || key.length > MAX_KEY) {
    throw new QueryError('InvalidParameterValue', `Tag key must be between 1 and ${MAX_KEY} characters.`);
  }
  if (key.startsWith(RESERVED_PREFIX)) {
    throw new QueryError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use");
  }
  if ((tag.Value ?? '').length > MAX_VALUE) {
    throw new QueryError('InvalidParameterValue', `Tag value must be at most ${MAX_VALUE} characters.`);
  }
}

/** Tags every resource of the call; the answer has no fields of its own (only `$metadata`). */
export function applyTags(target: Taggable, input: CreateTagsCommandInput): Record<string, never> {
  const resources = input.Resources ?? [];
  const tags = input.Tags ?? [];
  if (resources.length === 0 || tags.length === 0) {
    throw new QueryError('MissingParameter', 'The request must contain the parameters Resources and Tags');
  }
  for (const tag of tags) checkTag(tag);
  const maps = resources.map((id) => ({ id, tags: tagsOf(target, id) }));
  for (const { tags: current } of maps) {
    const keys = new Set([...current.keys(), ...tags.map((t) => t.Key as string)]);
    if (keys.size > MAX_TAGS) {
      throw new QueryError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
    }
  }
  for (const { id, tags: current } of maps) {
    for (const tag of tags) current.set(tag.Key as string, tag.Value ?? '');
    if (id.startsWith('lt-')) {
      const template = target.launchTemplates.resolve({ LaunchTemplateId: id });
      template.tags.splice(0, template.tags.length, ...[...current].map(([Key, Value]) => ({ Key, Value })));
    }
  }
  return {};
}
