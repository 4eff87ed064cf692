// Every timeout, backoff and lifetime of the Kubernetes adapter, each with the reason for its value. They are
// defaults: the client takes overrides (tests shorten them; the simulator runs them on its own clock).

/** A presigned STS URL is accepted by the EKS authenticator for 15 minutes after its X-Amz-Date. */
export const TOKEN_VALIDITY_MS = 15 * 60_000;

/**
 * A token is replaced this long before its validity ends: `aws eks get-token` reports expiry at 14 minutes,
 * and one more minute covers clock skew between Lambda and the authenticator plus a slow request in flight.
 */
export const TOKEN_REFRESH_MARGIN_MS = 2 * 60_000;

/** The presigned URL's own X-Amz-Expires: the value `aws eks get-token` and aws-iam-authenticator use. */
export const TOKEN_PRESIGN_EXPIRES_SECONDS = 60;

/**
 * Endpoint and CA from DescribeCluster are kept this long at module scope (warm invocations reuse them). EKS
 * never changes either for a live cluster; the TTL only bounds a stale entry after a cluster is re-created.
 */
export const CLUSTER_INFO_TTL_MS = 60 * 60_000;

/**
 * One request (headers and body) may take this long. A 500-item page of pods is ~1-2 MB and arrives in well
 * under a second from EKS; 10 s leaves room for a throttled control plane without eating a 90 s invocation.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Attempts per request, the first included. With the backoff below they span ~3 s before Retry-After waits. */
export const MAX_ATTEMPTS = 5;

/** First retry delay; doubled per attempt with full jitter (AWS Architecture Blog, "Exponential Backoff"). */
export const BACKOFF_BASE_MS = 200;

/** Cap of one retry delay, so a burst of failures never parks the loop for long. */
export const BACKOFF_MAX_MS = 5_000;

/**
 * The longest Retry-After honoured. The API server's priority-and-fairness answers 1 s; anything above 15 s
 * would outlast the 15 s Lease and stall a tick, so it is clipped and the request fails soon after instead.
 */
export const RETRY_AFTER_MAX_MS = 15_000;

/**
 * Server-side length of one watch request. Below the 350 s idle timeout of the AWS load balancer in front of
 * EKS endpoints, so the server ends a watch cleanly before the network drops it.
 */
export const WATCH_TIMEOUT_SECONDS = 240;

/**
 * With bookmarks on, the API server writes to a healthy watch about once a minute even when nothing changes;
 * twice that with no byte at all means the connection is dead and the watch reconnects.
 */
export const WATCH_IDLE_TIMEOUT_MS = 120_000;

/** Page size of lists (DESIGN §2): bounds one response to a few MB and one page to well under a second. */
export const LIST_PAGE_SIZE = 500;

/** Attempts of a read-modify-write guarded by resourceVersion before giving up (each conflict re-reads). */
export const CONFLICT_ATTEMPTS = 5;

/** The single-writer Lease's duration (DESIGN §2): renewed every tick, so 15 s tolerates a few slow ticks. */
export const LEASE_DURATION_SECONDS = 15;
