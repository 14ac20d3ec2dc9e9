/**
 * The tenant's working-day calendar: the built-in years (shared/calendar.ts) with the years a 系统管理员
 * entered over them. Read by every rule that counts working days (发展党员 公示) and by the pages that show them.
 */
import {
  BUILTIN_HOLIDAY_YEARS,
  calendarOf,
  now,
  type HolidayYear,
  type HolidayYearInput,
  type HolidayYearView,
  type WorkCalendar,
} from '@xianfeng/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Scope } from '../../platform/access';
import { writeAudit } from '../../platform/audit';
import type { Db, Queryable } from '../../platform/db';
import { forbidden, notFound, unprocessable } from '../../platform/errors';
import { holidayYear } from './schema';

/** Years outside this range are refused: the calendar is for periods being counted now, not history or far plans. */
export const YEAR_RANGE = { min: 2020, max: 2100 } as const;

async function storedYears(db: Queryable, tenantId: string) {
  return db.select().from(holidayYear).where(eq(holidayYear.tenantId, tenantId)).orderBy(asc(holidayYear.year));
}

/** The years as the rules use them (stored over built-in). */
export async function loadHolidayYears(db: Queryable, tenantId: string): Promise<HolidayYear[]> {
  return (await storedYears(db, tenantId)).map((r) => ({
    year: r.year,
    holidays: r.holidays,
    workdays: r.workdays,
    source: r.source,
  }));
}

export async function loadCalendar(db: Queryable, tenantId: string): Promise<WorkCalendar> {
  return calendarOf(await loadHolidayYears(db, tenantId));
}

/** Every year the calendar knows, newest first, saying where each came from. */
export async function listHolidayYears(db: Queryable, tenantId: string): Promise<HolidayYearView[]> {
  const stored = await storedYears(db, tenantId);
  const byYear = new Map<number, HolidayYearView>();
  for (const y of BUILTIN_HOLIDAY_YEARS)
    byYear.set(y.year, {
      ...y,
      holidays: [...y.holidays],
      workdays: [...y.workdays],
      origin: 'builtin',
      updatedAt: null,
    });
  for (const r of stored)
    byYear.set(r.year, {
      year: r.year,
      holidays: r.holidays,
      workdays: r.workdays,
      source: r.source,
      origin: 'stored',
      updatedAt: r.updatedAt.toISOString(),
    });
  return [...byYear.values()].sort((a, b) => b.year - a.year);
}

/** The calendar is one for the whole enterprise: only a 系统管理员 bound at the top org keeps it. */
function assertTopAdmin(scope: Scope) {
  if (scope.org.path.split('/').length !== 3)
    throw forbidden('节假日安排对全企业生效，只能由最上级党组织的系统管理员维护', 'CALENDAR_TOP_ONLY');
}

function checkYear(year: number, input: HolidayYearInput) {
  if (year < YEAR_RANGE.min || year > YEAR_RANGE.max)
    throw unprocessable(`年份须在 ${YEAR_RANGE.min}–${YEAR_RANGE.max} 之间`, undefined, 'CALENDAR_YEAR');
  const outside = [...input.holidays, ...input.workdays].filter((d) => Number(d.slice(0, 4)) !== year);
  if (outside.length)
    throw unprocessable(`日期须在 ${year} 年内：${outside.slice(0, 5).join('、')}`, { outside }, 'CALENDAR_DATE_YEAR');
  const both = input.holidays.filter((d) => input.workdays.includes(d));
  if (both.length) throw unprocessable(`${both.join('、')} 既是放假日又是上班日，请核对`, { both }, 'CALENDAR_BOTH');
}

export async function putHolidayYear(
  db: Db,
  scope: Scope,
  year: number,
  input: HolidayYearInput,
): Promise<HolidayYearView> {
  assertTopAdmin(scope);
  checkYear(year, input);
  const holidays = [...new Set(input.holidays)].sort();
  const workdays = [...new Set(input.workdays)].sort();
  const updatedBy = scope.actor.username ?? '系统';
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(holidayYear)
      .where(and(eq(holidayYear.tenantId, scope.tenantId), eq(holidayYear.year, year)));
    const row = { holidays, workdays, source: input.source, updatedBy, updatedAt: now() };
    await tx
      .insert(holidayYear)
      .values({ tenantId: scope.tenantId, year, ...row })
      .onConflictDoUpdate({ target: [holidayYear.tenantId, holidayYear.year], set: row });
    await writeAudit(tx, scope.actor, {
      action: 'calendar.year.put',
      entityType: 'holiday_year',
      entityId: String(year),
      org: scope.org,
      before: before ? { holidays: before.holidays, workdays: before.workdays, source: before.source } : null,
      after: { holidays, workdays, source: input.source },
    });
  });
  return (await listHolidayYears(db, scope.tenantId)).find((y) => y.year === year)!;
}

/** Removes an entered year: a built-in year of that number applies again, otherwise the year is estimated. */
export async function deleteHolidayYear(db: Db, scope: Scope, year: number): Promise<void> {
  assertTopAdmin(scope);
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(holidayYear)
      .where(and(eq(holidayYear.tenantId, scope.tenantId), eq(holidayYear.year, year)))
      .returning();
    if (!gone) throw notFound(`${year} 年没有录入的节假日安排`, 'CALENDAR_YEAR_NOT_FOUND');
    await writeAudit(tx, scope.actor, {
      action: 'calendar.year.delete',
      entityType: 'holiday_year',
      entityId: String(year),
      org: scope.org,
      before: { holidays: gone.holidays, workdays: gone.workdays, source: gone.source },
    });
  });
}
