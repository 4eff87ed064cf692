// Launch templates on demand (research/aws-provider.md §b.6): look in memory, then DescribeLaunchTemplates by
// name, then CreateLaunchTemplate. Names are content hashes (launch-template-data.ts), so a template found by
// name is the right one, and two writers creating the same one at once both end up using it. Templates unused
// for LAUNCH_TEMPLATE_IDLE_TTL are deleted by `deleteUnused`, as Karpenter does on cache eviction.

import type { LaunchTemplate, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import { isAlreadyExists, isNotFound } from '../errors.js';
import { LAUNCH_TEMPLATE_IDLE_TTL } from '../ttls.js';
import { collectPages, type Ec2Api } from './api.js';
import { TAG_CLUSTER, tagSpecifications } from './tags.js';

type LaunchTemplateApi = Pick<Ec2Api, 'describeLaunchTemplates' | 'createLaunchTemplate' | 'deleteLaunchTemplate'>;

/** DescribeLaunchTemplates' maximum page size. */
const PAGE_SIZE = 200;

export interface LaunchTemplateRequest {
  readonly name: string;
  readonly data: RequestLaunchTemplateData;
  /** Tags of the template resource itself. */
  readonly tags: Readonly<Record<string, string>>;
}

export class LaunchTemplates {
  /** Name -> when a launch last used it (epoch ms). */
  private readonly lastUsed = new Map<string, number>();

  constructor(
    private readonly api: LaunchTemplateApi,
    private readonly cluster: string,
  ) {}

  /** Makes sure the template exists; returns its name. */
  async ensure(request: LaunchTemplateRequest, now: number): Promise<string> {
    const { name } = request;
    if (!this.lastUsed.has(name) && !(await this.exists(name))) await this.create(request);
    this.lastUsed.set(name, now);
    return name;
  }

  /** Drops a template from memory, after EC2 said it does not exist (someone deleted it). */
  forget(name: string): void {
    this.lastUsed.delete(name);
  }

  private async exists(name: string): Promise<boolean> {
    try {
      const { LaunchTemplates: found } = await this.api.describeLaunchTemplates({ LaunchTemplateNames: [name] });
      return (found ?? []).length > 0;
    } catch (error) {
      // A name that does not exist is an error, not an empty answer.
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async create({ name, data, tags }: LaunchTemplateRequest): Promise<void> {
    try {
      await this.api.createLaunchTemplate({
        LaunchTemplateName: name,
        LaunchTemplateData: data,
        TagSpecifications: tagSpecifications(['launch-template'], tags),
      });
    } catch (error) {
      // Created by someone else since we looked: same name, same content.
      if (!isAlreadyExists(error)) throw error;
    }
  }

  /**
   * Deletes this cluster's templates that no launch used within LAUNCH_TEMPLATE_IDLE_TTL. A template this
   * process has not used (a cold start) is judged by its creation time instead. Returns how many were deleted.
   * Running instances do not need their template.
   */
  async deleteUnused(now: number): Promise<number> {
    const templates = await collectPages(
      (NextToken) =>
        this.api.describeLaunchTemplates({
          Filters: [{ Name: `tag:${TAG_CLUSTER}`, Values: [this.cluster] }],
          MaxResults: PAGE_SIZE,
          ...(NextToken === undefined ? {} : { NextToken }),
        }),
      (page) => page.LaunchTemplates,
    );
    let deleted = 0;
    for (const template of templates.filter((t) => this.idle(t, now))) {
      try {
        await this.api.deleteLaunchTemplate({ LaunchTemplateId: template.LaunchTemplateId });
        deleted++;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      this.forget(template.LaunchTemplateName ?? '');
    }
    return deleted;
  }

  private idle(template: LaunchTemplate, now: number): boolean {
    if (template.LaunchTemplateId === undefined) return false;
    const used = this.lastUsed.get(template.LaunchTemplateName ?? '') ?? template.CreateTime?.getTime() ?? 0;
    return now - used >= LAUNCH_TEMPLATE_IDLE_TTL;
  }
}
