/**
 * Credentials out of logs (issue 14; docs/deploy.md "Logs"). prometheus-query (the client until issue 13)
 * rejected with axios errors whose `config` carried the Authorization header and the basic-auth password,
 * and PrometheusError kept that object as `cause`; logging it printed the secrets. Any cause is still
 * reduced here, whatever the transport. Pure:
 * - safeCause(): the few diagnostic fields of a thrown value (name, message, code, status, errorType),
 *   never its request config, headers or response objects;
 * - scrubSecrets(): masks credentials in free text (Authorization values, URL user-info, password=…);
 * - redactForLog(): what may be handed to console.error.
 */

export const REDACTED = '[redacted]';

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization: Bearer xxx / Basic xxx (header form and JSON form "Authorization":"Bearer xxx")
  [/(authorization["']?\s*[:=]\s*["']?\s*)(bearer|basic|token)\s+[^\s"',}]+/gi, `$1$2 ${REDACTED}`],
  [/\b(bearer|basic)\s+[A-Za-z0-9+/=._~-]{8,}/gi, `$1 ${REDACTED}`],
  // user:password@ in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // password / token / secret = value, "password":"value"
  [/(["']?(?:password|passwd|secret|token|access_token|api_key)["']?\s*[:=]\s*["']?)[^\s"',}&]+/gi, `$1${REDACTED}`],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [re, repl] of PATTERNS) out = out.replace(re, repl);
  return out;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? scrubSecrets(x).slice(0, 500) : undefined;
}

export interface SafeCause {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
  errorType?: string;
  error?: string;
}

/** The diagnostic fields of any thrown value: no config, headers, request or response objects. */
export function safeCause(raw: unknown): SafeCause | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') return { message: scrubSecrets(String(raw)).slice(0, 500) };
  const r = raw as Record<string, unknown>;
  const out: SafeCause = {};
  const name = str(r.name);
  const message = str(r.message);
  const code = typeof r.code === 'string' || typeof r.code === 'number' ? String(r.code) : undefined;
  const status = typeof r.httpStatus === 'number' ? r.httpStatus : typeof r.status === 'number' ? r.status : undefined;
  const errorType = str(r.errorType);
  const error = str(r.error);
  if (name) out.name = name;
  if (message) out.message = message;
  if (code) out.code = code;
  if (status !== undefined) out.status = status;
  if (errorType) out.errorType = errorType;
  if (error) out.error = error;
  return out;
}

/** A loggable copy of an error: message and stack scrubbed, cause reduced to safeCause (one level). */
export function redactForLog(
  e: unknown,
): { name?: string; message?: string; stack?: string; kind?: string; status?: number; cause?: SafeCause } | SafeCause | undefined {
  if (!(e instanceof Error)) return safeCause(e);
  const x = e as Error & { kind?: unknown; status?: unknown };
  return {
    name: e.name,
    message: scrubSecrets(e.message),
    ...(typeof x.kind === 'string' ? { kind: x.kind } : {}),
    ...(typeof x.status === 'number' ? { status: x.status } : {}),
    ...(e.stack ? { stack: scrubSecrets(e.stack) } : {}),
    ...(e.cause !== undefined ? { cause: safeCause(e.cause) } : {}),
  };
}
