// ProbeLoadError: why the probe could not start, with what to do about it.

const REASONS = [
  'not-root',
  'no-btf',
  'kernel-too-old',
  'verifier',
  'attach',
  'ring-buffer',
  'build-missing',
  'other',
] as const;

export type ProbeLoadReason = (typeof REASONS)[number];

const REASON_SET: ReadonlySet<string> = new Set(REASONS);

export class ProbeLoadError extends Error {
  override readonly name = 'ProbeLoadError';
  /** Machine-readable cause; the message says what to do (a verifier rejection ends with the log's tail). */
  readonly reason: ProbeLoadReason;

  constructor(reason: ProbeLoadReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }

  /** @internal Wraps an error thrown by the addon (it carries a `reason` string). */
  static fromNative(e: unknown): ProbeLoadError {
    const reason = (e as { reason?: unknown })?.reason;
    const message = e instanceof Error ? e.message : String(e);
    return new ProbeLoadError(
      typeof reason === 'string' && REASON_SET.has(reason) ? (reason as ProbeLoadReason) : 'other',
      message,
      { cause: e },
    );
  }
}
