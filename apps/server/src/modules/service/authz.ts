/**
 * Who may call each route of the service module, written a second time, by hand, apart from the routes' own
 * `config.access`: platform/authz.test.ts requires the two to agree (a permission change needs both edits, so it is
 * never an accident), that this list names exactly the routes the module registers, and probes each route as every
 * role, inside and outside its org subtree, and anonymously.
 */
import { HARDSHIP_KEEPERS, RECORD_KEEPERS, RECORD_READERS } from '@xianfeng/shared';
import type { RouteMatrix } from '../../platform/module';

export const serviceMatrix: RouteMatrix = {
  // 志愿服务: organizers are the record keepers covering the activity's org; a member acts only as themself (the
  // service takes the signed-in member, never a member id) on activities of their org or above — the lookup
  // resolves those through the member's own org and answers 404 to members outside the audience.
  'POST /api/v1/volunteer/activities': RECORD_KEEPERS,
  'GET /api/v1/volunteer/activities': RECORD_READERS,
  'GET /api/v1/volunteer-activities/:id/signups': RECORD_READERS,
  'GET /api/v1/volunteer-activities/:id/qr': RECORD_KEEPERS,
  'PATCH /api/v1/volunteer-activities/:id': RECORD_KEEPERS,
  'POST /api/v1/volunteer-activities/:id/cancel': RECORD_KEEPERS,
  'POST /api/v1/volunteer-signups/:id/correction': RECORD_KEEPERS,
  'GET /api/v1/volunteer/rollup': RECORD_READERS,
  'GET /api/v1/volunteer-members/:id/hours': RECORD_READERS,
  'GET /api/v1/volunteer/open': 'any',
  'GET /api/v1/volunteer/mine': 'any',
  'GET /api/v1/volunteer-activities/:id': 'any',
  'POST /api/v1/volunteer-activities/:id/signup': 'any',
  'POST /api/v1/volunteer-activities/:id/signup/cancel': 'any',
  'POST /api/v1/volunteer-activities/:id/checkin': 'any',
  'POST /api/v1/volunteer-activities/:id/checkout': 'any',
  'GET /api/v1/volunteer-signups/:id/certificate': 'any',
  'GET /api/v1/public/volunteer-certificates/:serial': 'public',
  // Only ever the caller's own hours (no member named in the body): see the yearly-certificate probe in authz.test.ts.
  'POST /api/v1/volunteer/year-certificate': 'any',
  // No per-person data: an address in, a point out (and the caller's own lookup count).
  'POST /api/v1/service/geocode': 'any',
  // 困难帮扶: confidential — the branch secretary and the org department only; no 系统管理员, no 审计员.
  'POST /api/v1/hardship/cases': HARDSHIP_KEEPERS,
  'GET /api/v1/hardship/cases': HARDSHIP_KEEPERS,
  // 年度复核汇总: names and levels of the subtree's cases (no situation text) — the keepers only, as the cases.
  'GET /api/v1/hardship/summary': HARDSHIP_KEEPERS,
  'GET /api/v1/hardship-cases/:id': HARDSHIP_KEEPERS,
  'GET /api/v1/hardship-cases/:id/visits': HARDSHIP_KEEPERS,
  'POST /api/v1/hardship-cases/:id/visits': HARDSHIP_KEEPERS,
  'POST /api/v1/hardship-cases/:id/review': HARDSHIP_KEEPERS,
  // 云地图: everyone signed in reads the places of their org's subtree and of the orgs above (service check); the
  // record keepers covering a place's org add, edit and delete it.
  'GET /api/v1/service/map-config': 'any',
  'GET /api/v1/service/places': 'any',
  'POST /api/v1/service/places': RECORD_KEEPERS,
  'PATCH /api/v1/service-places/:id': RECORD_KEEPERS,
  'DELETE /api/v1/service-places/:id': RECORD_KEEPERS,
};
