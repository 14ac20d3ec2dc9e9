import type { ServerModule } from '../../platform/module';
import { seedDevelop } from './demo';
import { developRoutes } from './routes';
import { developPerson } from './schema';
import { developRecordOfMember } from './service';

export const developModule: ServerModule = {
  name: 'develop',
  routes: developRoutes,
  sealed: [{ column: developPerson.idCardEnc }, { column: developPerson.phoneEnc }],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedDevelop(tx, fieldCrypto, tenantId, orgs),
  personalData: {
    ofMember: async ({ db, fieldCrypto }, { scope, memberId }) => ({
      development: await developRecordOfMember(db, fieldCrypto, scope, memberId),
    }),
  },
};
