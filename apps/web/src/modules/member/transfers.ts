/** The shape of a 组织关系转接 record as GET /transfers lists it. */
export type Transfer = {
  id: string;
  memberId: string;
  memberName: string;
  direction: 'internal' | 'out';
  fromOrgId: string;
  fromOrgName: string;
  toOrgId: string | null;
  toOrgName: string | null;
  destination: string | null;
  letterNo: string | null;
  validUntil: string | null;
  reason: string;
  status: 'pending' | 'done' | 'rejected' | 'cancelled';
  requestedAt: string;
};

/** The printable 介绍信 (an HTML page served by the API, opened in a new tab). */
export const letterUrl = (id: string) => `/api/v1/transfers/${id}/letter`;
