import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `KAIZEN_INGEST_TOKEN`: when set, every export must carry `Authorization: Bearer <token>` (what
 * `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>` produces). Compared in constant time.
 */
export class IngestAuth {
  private readonly digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.digest = token === undefined ? undefined : createHash('sha256').update(token).digest();
  }

  get required(): boolean {
    return this.digest !== undefined;
  }

  /** 'ok', or why the header is refused. */
  check(header: string | undefined): 'ok' | 'missing' | 'wrong' {
    if (this.digest === undefined) return 'ok';
    if (header === undefined || header.trim() === '') return 'missing';
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return 'wrong';
    const given = createHash('sha256')
      .update(m[1] ?? '')
      .digest();
    return timingSafeEqual(given, this.digest) ? 'ok' : 'wrong';
  }
}
