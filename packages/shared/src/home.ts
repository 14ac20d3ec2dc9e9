/**
 * The member home's reads (issue 24): every answer the first page a member sees on a phone needs, named once so
 * the server can answer them all in one round trip (`GET /api/v1/me/home`) and the web can wait for that answer
 * instead of sending each request on its own. On a 1.6 Mbps / 150 ms phone link seventeen requests queue behind
 * the browser's six connections; one does not.
 *
 * Each value is a path under /api/v1 with its query, exactly as the page asks it (the web matches them by path
 * and sorted query). `today` is the China date (YYYY-MM-DD) from the one clock: 我的记录 counts this year's meetings.
 */
export function memberHomeReads(today: string) {
  return {
    upcoming: '/meeting-invitations/mine?filter=upcoming&pageSize=20',
    makeup: '/meeting-invitations/mine?filter=makeup&pageSize=20',
    dues: '/dues/todo',
    mustRead: '/media/me/todo?pageSize=20',
    learn: '/learn/me/todo',
    thought: '/thought/me',
    surveys: '/voice/surveys/open?pageSize=20',
    votes: '/voice/votes/open?pageSize=20',
    member: '/members/me',
    meetings: `/members/me/meetings?year=${today.slice(0, 4)}&pageSize=1`,
    payments: '/dues/me/payments?pageSize=1',
    points: '/learn/me/points',
    volunteer: '/volunteer/mine?pageSize=1',
    honors: '/media/me/honors?pageSize=3',
    news: '/media/articles?pageSize=5',
    letters: '/voice/letters/inbox?status=unread&pageSize=5',
    flow: '/me/flow',
  } as const;
}

export type MemberHomeRead = keyof ReturnType<typeof memberHomeReads>;

/** One read of `GET /me/home`: what the route itself answered, as it would have answered the page. */
export type ReadAnswer = { status: number; cacheControl: string | null; body: unknown };
