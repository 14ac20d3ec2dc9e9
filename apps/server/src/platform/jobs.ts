/**
 * The background job runner. Jobs are rows; a worker claims the oldest queued one with
 * FOR UPDATE SKIP LOCKED, reports progress on the row, and stores the result or a Chinese
 * error. Jobs left running by a crash are queued again at start (up to 3 attempts), so a
 * handler must be all-or-nothing: it commits its effect in one transaction at the end.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { afterLocalWrite } from './cache';
import type { Db } from './db';
import { AppError, notFound } from './errors';
import { job } from './schema';

export type JobRow = typeof job.$inferSelect;
export type JobContext = { job: JobRow; progress(done: number, total: number): Promise<void> };
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

const MAX_ATTEMPTS = 3;

/**
 * An uploaded file as a bytea value, sent as base64 text: PGlite binds a Buffer parameter byte by
 * byte in JavaScript (a 10 MB import file took 20 s to queue and 7 s to read back), while base64
 * text goes through as one string. Read back the same way, with encode(…, 'base64').
 */
const viaBase64 = (data: Buffer) => sql`decode(${data.toString('base64')}, 'base64')`;

export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Pick<FastifyBaseLogger, 'error' | 'info'>,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async enqueue(input: { tenantId: string; kind: string; payload?: Record<string, unknown>; input?: Buffer; createdBy?: string | null }): Promise<string> {
    const [row] = await this.db
      .insert(job)
      .values({ tenantId: input.tenantId, kind: input.kind, payload: input.payload ?? {}, input: input.input ? viaBase64(input.input) : null, createdBy: input.createdBy ?? null })
      .returning({ id: job.id });
    this.kick();
    return row!.id;
  }

  async start(pollMs = 1000): Promise<void> {
    // Whatever was running when the process died starts over (or fails after too many tries).
    await this.db
      .update(job)
      .set({ status: sql`case when ${job.attempts} >= ${MAX_ATTEMPTS} then 'failed' else 'queued' end`, updatedAt: new Date() })
      .where(eq(job.status, 'running'));
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs queued jobs one after another; a second kick while busy is a no-op. */
  kick(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        while (!this.stopped && (await this.runOne()));
      } finally {
        this.running = null;
      }
    })();
  }

  /** Waits until the queue is empty (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async runOne(): Promise<boolean> {
    const claimed = (await this.db.execute(sql`
      update job set status = 'running', attempts = attempts + 1, updated_at = now()
      where id = (select id from job where status = 'queued' order by created_at for update skip locked limit 1)
      returning id`)) as unknown as { rows: { id: string }[] };
    const id = claimed.rows[0]?.id;
    if (!id) return false;
    const { input: _input, ...columns } = getTableColumns(job);
    const [found] = await this.db
      .select({ ...columns, input64: sql<string | null>`encode(${job.input}, 'base64')` })
      .from(job)
      .where(eq(job.id, id));
    const { input64, ...rest } = found!;
    const row: JobRow = { ...rest, input: input64 === null ? null : Buffer.from(input64, 'base64') };
    const handler = this.handlers.get(row.kind);
    let last = 0;
    const ctx: JobContext = {
      job: row,
      progress: async (done, total) => {
        const now = Date.now();
        if (now - last < 250 && done < total) return; // a progress bar, not a write per row
        last = now;
        await this.db.update(job).set({ progress: done, total, updatedAt: new Date() }).where(eq(job.id, id));
      },
    };
    try {
      if (!handler) throw new AppError(500, 'UNKNOWN_JOB', `未知的任务类型 ${row.kind}`);
      const result = await handler(ctx);
      // Like a write request (platform/http.ts): the read caches see the job's writes before anyone
      // can see the job as done.
      await afterLocalWrite(this.db);
      await this.db.update(job).set({ status: 'done', result: result ?? null, progress: sql`greatest(${job.total}, 1)`, input: null, updatedAt: new Date() }).where(eq(job.id, id));
    } catch (err) {
      const error =
        err instanceof AppError
          ? { code: err.code, message: err.message, details: err.details }
          : { code: 'INTERNAL', message: '任务执行出错，请联系管理员' };
      if (!(err instanceof AppError)) this.log.error({ err, jobId: id }, 'job failed');
      await this.db.update(job).set({ status: 'failed', error, input: null, updatedAt: new Date() }).where(eq(job.id, id));
    }
    return true;
  }
}

/** A job's state as the API shows it; only its creator (or an admin of the tenant) may see it. */
export async function getJobFor(db: Db, tenantId: string, userId: string, isAdmin: boolean, id: string) {
  const [row] = await db
    .select({ id: job.id, kind: job.kind, status: job.status, progress: job.progress, total: job.total, result: job.result, error: job.error, createdBy: job.createdBy, createdAt: job.createdAt })
    .from(job)
    .where(and(eq(job.tenantId, tenantId), eq(job.id, id)));
  if (!row || (!isAdmin && row.createdBy !== userId)) throw notFound('任务不存在');
  return { ...row, createdAt: row.createdAt.toISOString() };
}
