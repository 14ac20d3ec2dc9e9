import fs from 'node:fs';
import { fileStore } from '../../platform/files';
import type { ServerModule } from '../../platform/module';
import { seedLearn } from './demo';
import { learnRoutes } from './routes';
import { memberLearning, participation, pointsOfUser } from './service';

export const learnModule: ServerModule = {
  name: 'learn',
  routes: learnRoutes,
  // The demo's books get their PDF where files can be kept: S3, or a data folder that exists (the tests' apps have
  // none, XF_DATA_DIR=/nonexistent).
  demo:
    ({ config }) =>
    ({ tx, tenantId, root, orgs }) =>
      seedLearn(
        tx,
        tenantId,
        root,
        orgs,
        config.s3 || fs.existsSync(config.dataDir) ? fileStore(() => config.dataDir, config.s3) : null,
      ),
  // 驾驶舱 学习参与: learners this month over the members on the roll (learn_record moves the topic once a month per
  // person and item, and on completion; attempts on submission).
  dashboard: {
    key: 'learning',
    topics: ['learn', 'member', 'org'],
    overMembers: true,
    compute:
      () =>
      async ({ db, scope, today, members }) => ({ value: await participation(db, scope, members ?? 0, today) }),
  },
  personalData: {
    // 学习教育: records and answers of the member record, points of the account (own only; no rankings exist).
    ofAccount: async ({ db }, { scope, memberId }) => ({
      learning: {
        ...(memberId ? await memberLearning(db, scope.tenantId, memberId) : { records: [], attempts: [] }),
        points: await pointsOfUser(db, scope.tenantId, scope.principal.user.id),
      },
    }),
  },
};
