/**
 * Recognising, from what Claude Code reports, the failures that are not the
 * task's fault: a usage or rate limit of the credential (the queue waits for
 * it to reset), and an API that failed for a moment (the task is retried).
 *
 * A limit shows up as a `rate_limit_event` with status `rejected` and the
 * reset time (subscriptions: the API's `anthropic-ratelimit-unified-*`
 * headers), as an API error of status 429 (`error: "rate_limit"`, result
 * `api_error_status: 429`, `api_error: "usage_limit_reached"`), or only in
 * the wording of the result ("usage limit reached", "You've hit your 5-hour
 * limit").
 */
import type { ClaudeMessage } from './messages.js';
import { resultText } from './messages.js';

const LIMIT_TEXT = /usage limit reached|hit your [\w -]*limit|rate limit (reached|exceeded)/i;

/** API statuses of a failure of the service, not of the request: 500s, and 529 overloaded. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504, 529]);

export interface LimitReport {
  /** When the limit resets (epoch ms), when Claude Code said. */
  resetsAt: number | null;
  /** Which limit, e.g. `five_hour`, when Claude Code said. */
  limitType: string | null;
}

/** Collects the limit reports of a run, message by message. */
export class LimitWatch {
  private rejected: LimitReport | null = null;
  private status429 = false;

  observe(message: ClaudeMessage): void {
    if (message.type === 'rate_limit_event') {
      const info = message.rate_limit_info;
      if (info?.status === 'rejected') {
        this.rejected = {
          resetsAt: typeof info.resetsAt === 'number' ? info.resetsAt * 1000 : null,
          limitType: info.rateLimitType ?? null,
        };
      }
    } else if (message.type === 'assistant' && (message.error === 'rate_limit' || message.api_error_status === 429)) {
      this.status429 = true;
    }
  }

  /** The limit that stopped the run whose last result is `result`, or null when none did. */
  limitThatStopped(result: ClaudeMessage | null, otherText: string): LimitReport | null {
    if (result && result.is_error !== true && result.subtype === 'success') return null;
    const limited =
      this.rejected !== null ||
      this.status429 ||
      result?.api_error_status === 429 ||
      result?.api_error === 'usage_limit_reached' ||
      LIMIT_TEXT.test(result ? resultText(result) : otherText);
    if (!limited) return null;
    return this.rejected ?? { resetsAt: null, limitType: null };
  }
}

/** Whether an error result is the API failing for a moment: a server error, overload, or no connection. */
export function isTransientApiFailure(result: ClaudeMessage): boolean {
  const status = result.api_error_status;
  if (typeof status === 'number') return TRANSIENT_STATUSES.has(status);
  return result.api_error === 'connection_failed';
}
