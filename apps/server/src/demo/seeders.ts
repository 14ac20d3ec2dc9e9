/** Demo seeders of the business modules, in dependency order (members before meetings, …). */
import { todayInChina } from '@xianfeng/shared';
import { eq } from 'drizzle-orm';
import { appUser } from '../platform/schema';
import { seedDevelop } from '../modules/develop/demo';
import { seedDues } from '../modules/dues/demo';
import { seedLearn } from '../modules/learn/demo';
import { seedMeetings } from '../modules/meeting/demo';
import { seedCommittees } from '../modules/org/demo';
import { seedVoice } from '../modules/voice/demo';
import { insertMembers, toRow } from '../modules/member/service';
import type { Services } from '../platform/services';
import { randomMember, seededRandom } from './people';
import type { DemoSeeder } from './seed';

export function demoSeeders(services: Services): DemoSeeder[] {
  const members: DemoSeeder = async ({ tx, tenantId, orgs }) => {
    const rng = seededRandom(20_260_701);
    const today = todayInChina();
    const rows: (ReturnType<typeof toRow> & { userId?: string })[] = orgs
      .filter((o) => o.kind === 'branch')
      .flatMap((o) =>
        Array.from({ length: rng.int(12, 26) }, () =>
          toRow(services.fieldCrypto, tenantId, randomMember(rng, o.id, { retired: o.name.includes('离退休'), today })),
        ),
      );
    // The demo member account (dangyuan) is 陈志远 of 第一发电厂党支部.
    const [demoUser] = await tx.select({ id: appUser.id }).from(appUser).where(eq(appUser.username, 'dangyuan'));
    const home = orgs.find((o) => o.name === '第一发电厂党支部');
    if (demoUser && home) {
      const self = randomMember(rng, home.id, { today });
      rows.unshift({ ...toRow(services.fieldCrypto, tenantId, { ...self, name: '陈志远', status: 'full' }), userId: demoUser.id });
    }
    // The seeded ID numbers can collide in rare cases; keep the first.
    const unique = [...new Map(rows.map((r) => [r.idCardIdx, r])).values()];
    await insertMembers(tx, unique);
  };
  const committees: DemoSeeder = ({ tx, tenantId, orgs }) => seedCommittees(tx, tenantId, orgs);
  const meetings: DemoSeeder = ({ tx, tenantId, orgs }) => seedMeetings(tx, tenantId, orgs);
  const develop: DemoSeeder = ({ tx, tenantId, orgs }) => seedDevelop(tx, services.fieldCrypto, tenantId, orgs);
  const dues: DemoSeeder = ({ tx, tenantId, orgs }) => seedDues(tx, tenantId, orgs);
  const learn: DemoSeeder = ({ tx, tenantId, root, orgs }) => seedLearn(tx, tenantId, root, orgs);
  const voice: DemoSeeder = ({ tx, tenantId, orgs }) => seedVoice(tx, services.fieldCrypto, tenantId, orgs);
  return [members, committees, meetings, develop, dues, learn, voice];
}
