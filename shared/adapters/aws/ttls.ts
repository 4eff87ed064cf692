// Every cache lifetime of the AWS adapters, each with its reason (STYLE.md: one named constant per magic number).
// Values follow Karpenter's AWS provider (research/aws-provider.md §i) unless a comment says otherwise. The
// caches live as long as the provider object, which the handlers keep at module scope (DESIGN.md §2 "Caches"):
// losing one costs an extra API call, never a wrong decision.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** DescribeInstanceTypes / DescribeInstanceTypeOfferings: the catalogue changes only when AWS adds types. */
export const INSTANCE_TYPE_CATALOGUE_TTL = 12 * HOUR;

/** On-demand (Pricing API) and spot (DescribeSpotPriceHistory) prices: refreshed together, as Karpenter does. */
export const PRICING_TTL = 12 * HOUR;

/**
 * Instance types resolved for one node class. Short, so subnet and price changes show up within minutes; a
 * new capacity error or one that expires changes the cache key and rebuilds at once.
 */
export const RESOLVED_INSTANCE_TYPES_TTL = 5 * MINUTE;

/**
 * Subnets of a node class, with their free-IP counts. Karpenter keeps the lists 1 min and the IP counts 5 min;
 * one DescribeSubnets call returns both, so both are refreshed every minute.
 */
export const SUBNETS_TTL = 1 * MINUTE;

/** Security groups of a node class: a changed selector or group takes effect within a minute. */
export const SECURITY_GROUPS_TTL = 1 * MINUTE;

/** AMIs found by id, name or tags: Karpenter re-resolves a node class's AMIs every 5 min. */
export const AMIS_TTL = 5 * MINUTE;

/** AWS public SSM parameters (AMI aliases): EKS publishes new AMIs every few weeks. */
export const PUBLIC_SSM_PARAMETER_TTL = 24 * HOUR;

/** A user's own `ssmParameter` AMI term: the user may repoint it at any time. */
export const CUSTOM_SSM_PARAMETER_TTL = 5 * MINUTE;

/**
 * A launch template unused for this long is deleted; names are content hashes, so re-creating one is
 * idempotent and cheap.
 */
export const LAUNCH_TEMPLATE_IDLE_TTL = 1 * MINUTE;

/**
 * Offerings that failed with a capacity error. EC2 capacity recovers in minutes; Karpenter uses the same 3 min.
 * DO NOT lengthen without thought: a longer TTL keeps cheaper capacity out of reach after it returns.
 */
export const UNAVAILABLE_OFFERING_TTL = 3 * MINUTE;

/**
 * How long a launched instance is reported from memory while DescribeInstances (eventually consistent) does
 * not list it yet. AWS documents "up to a few minutes" of lag; past this, an instance still missing is taken
 * to have failed at boot.
 */
export const LAUNCH_LISTING_GRACE = 2 * MINUTE;
