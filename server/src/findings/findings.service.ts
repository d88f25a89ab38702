import { notFound } from '../common/errors.js';
import { decodeCursor, pageOf, type Page } from '../common/pagination.js';
import type { FindingsQuery, FindingsRepository } from './findings.repository.js';
import { toFinding, type Finding } from './findings.mapper.js';

export class FindingsService {
  constructor(private readonly repo: FindingsRepository) {}

  async list(q: Omit<FindingsQuery, 'after'> & { cursor?: string | undefined }): Promise<Page<Finding>> {
    const after = decodeCursor(q.cursor, 2);
    const rows = await this.repo.list({ ...q, after });
    const page = pageOf(rows, q.limit, (r) =>
      q.sort === 'saving' ? [r.SavingUSDPerMonth, r.FindingId] : [r.createdMs, r.FindingId],
    );
    return { items: page.items.map(toFinding), nextCursor: page.nextCursor };
  }

  async get(findingId: string): Promise<Finding> {
    const row = await this.repo.byId(findingId);
    if (!row) throw notFound(`Finding ${findingId}`);
    return toFinding(row);
  }

  async ofTrace(traceId: string): Promise<Finding[]> {
    return (await this.repo.ofTrace(traceId)).map(toFinding);
  }
}
