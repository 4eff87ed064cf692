// Launch templates of the simulated account: CreateLaunchTemplate, DescribeLaunchTemplates and
// DeleteLaunchTemplate with EC2's error codes (a taken name, a name or id that does not exist — Describe by name
// fails rather than answering empty, which the adapter relies on), tags from TagSpecifications, and the stored
// data CreateFleet launches from. Templates are immutable here: version 1 is both the default and the latest.

import type {
  CreateLaunchTemplateCommandInput,
  CreateLaunchTemplateResult,
  DeleteLaunchTemplateCommandInput,
  DeleteLaunchTemplateResult,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplatesResult,
  FleetLaunchTemplateSpecificationRequest,
  LaunchTemplate,
  RequestLaunchTemplateData,
  Tag,
} from '@aws-sdk/client-ec2';
import type { SimIds } from './ids.js';
import { applyFilters, type FilterFields, paginate, QueryError } from './query.js';

export interface SimLaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly data: RequestLaunchTemplateData;
  readonly tags: Tag[];
}

/** EC2's rule for template names: 3–128 characters of letters, digits and `()./_-`. */
const NAME_PATTERN = /^[a-zA-Z0-9().\-/_]{3,128}$/;
/** The versions a fleet may name for an immutable template. */
const VERSIONS = new Set(['$Latest', '$Default', '1']);
/** Who creates templates in the simulation: the reconcile function's role, as in a real deployment. */
const CREATOR = 'assumed-role/fleetwright-reconcile/fleetwright';

const FILTERS: FilterFields<LaunchTemplate> = {
  'launch-template-name': (t) => [t.LaunchTemplateName],
  'create-time': (t) => [t.CreateTime?.toISOString()],
};

export class SimLaunchTemplates {
  private readonly templates = new Map<string, SimLaunchTemplate>();

  constructor(
    private readonly ids: SimIds,
    private readonly account: string,
  ) {}

  private toLaunchTemplate(t: SimLaunchTemplate): LaunchTemplate {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      CreateTime: new Date(t.createdAt),
      CreatedBy: `arn:aws:sts::${this.account}:${CREATOR}`,
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      Tags: structuredClone(t.tags),
    };
  }

  private byName(name: string): SimLaunchTemplate | undefined {
    return [...this.templates.values()].find((t) => t.name === name);
  }

  create(input: CreateLaunchTemplateCommandInput, now: number): CreateLaunchTemplateResult {
    const name = input.LaunchTemplateName ?? '';
    if (!NAME_PATTERN.test(name)) {
      throw new QueryError('InvalidLaunchTemplateName.MalformedException', `Launch template name ${name} is invalid.`);
    }
    if (this.byName(name)) {
      throw new QueryError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
    }
    const tags = (input.TagSpecifications ?? [])
      .filter((s) => s.ResourceType === 'launch-template')
      .flatMap((s) => s.Tags ?? []);
    const template: SimLaunchTemplate = {
      id: this.ids.ec2('lt'),
      name,
      createdAt: now,
      data: structuredClone(input.LaunchTemplateData ?? {}),
      tags: structuredClone(tags),
    };
    this.templates.set(template.id, template);
    return { LaunchTemplate: this.toLaunchTemplate(template) };
  }

  describe(input: DescribeLaunchTemplatesCommandInput): DescribeLaunchTemplatesResult {
    const ids = input.LaunchTemplateIds ?? [];
    const names = input.LaunchTemplateNames ?? [];
    if (ids.some((id) => !this.templates.has(id))) {
      throw new QueryError('InvalidLaunchTemplateId.NotFound', 'The specified launch template does not exist.');
    }
    if (names.some((n) => !this.byName(n))) {
      throw new QueryError(
        'InvalidLaunchTemplateName.NotFoundException',
        'At least one of the launch templates specified in the request does not exist.',
      );
    }
    const all = [...this.templates.values()]
      .filter((t) => (ids.length === 0 || ids.includes(t.id)) && (names.length === 0 || names.includes(t.name)))
      .map((t) => this.toLaunchTemplate(t));
    const matched = applyFilters(all, input.Filters, FILTERS, (t) => t.Tags);
    const page = paginate(matched, input, { operation: 'DescribeLaunchTemplates', min: 1, max: 200 });
    return { LaunchTemplates: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  delete(input: DeleteLaunchTemplateCommandInput): DeleteLaunchTemplateResult {
    const template = this.resolve({
      ...(input.LaunchTemplateId === undefined ? {} : { LaunchTemplateId: input.LaunchTemplateId }),
      ...(input.LaunchTemplateName === undefined ? {} : { LaunchTemplateName: input.LaunchTemplateName }),
    });
    this.templates.delete(template.id);
    return { LaunchTemplate: this.toLaunchTemplate(template) };
  }

  /** The template a fleet config or a delete names; throws EC2's not-found (or bad-version) error otherwise. */
  resolve(spec: FleetLaunchTemplateSpecificationRequest): SimLaunchTemplate {
    if (spec.Version !== undefined && !VERSIONS.has(spec.Version)) {
      throw new QueryError(
        'InvalidLaunchTemplateId.VersionNotFound',
        `Could not find launch template version ${spec.Version}`,
      );
    }
    if (spec.LaunchTemplateId !== undefined) {
      const found = this.templates.get(spec.LaunchTemplateId);
      if (found) return found;
      throw new QueryError(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${spec.LaunchTemplateId}, does not exist.`,
      );
    }
    const found = spec.LaunchTemplateName === undefined ? undefined : this.byName(spec.LaunchTemplateName);
    if (found) return found;
    throw new QueryError(
      'InvalidLaunchTemplateName.NotFoundException',
      `The specified launch template, with template name ${spec.LaunchTemplateName}, does not exist.`,
    );
  }

  get size(): number {
    return this.templates.size;
  }
}
