import fs from 'node:fs';
import { fileStore } from '../../platform/files';
import type { ServerModule } from '../../platform/module';
import { seedLearn } from './demo';
import type { ActingScope } from '../../platform/access';
import { unprocessable } from '../../platform/errors';
import { importQuestions } from './bankimport';
import { detectFfmpeg, NO_FFMPEG, RENDER_JOB, renderVideo } from './media';
import { LEARN_REMIND_JOB, learnReminders } from './reminders';
import { learnMatrix } from './authz';
import { learnRoutes } from './routes';
import { memberLearning, participation, pointsOfUser } from './service';

export const learnModule: ServerModule = {
  name: 'learn',
  routes: learnRoutes,
  authz: learnMatrix,
  background: ({ db, config }) => {
    const store = fileStore(() => config.dataDir, config.s3);
    const ffmpeg = detectFfmpeg(config.ffmpeg);
    return {
      jobs: [
        // 手机版和封面 of an uploaded video. Registered without ffmpeg too: a job queued before ffmpeg was removed
        // (or by another process that has it) fails with the reason in Chinese instead of as an unknown kind.
        {
          kind: RENDER_JOB,
          run: ({ job, progress }) => {
            if (!ffmpeg) throw unprocessable(NO_FFMPEG, undefined, 'NO_FFMPEG');
            return renderVideo(db, store, ffmpeg, (job.payload as { fileId: string }).fileId, { progress });
          },
        },
        // 题库导入 (the scope was checked when the job was queued), with progress like the roster's.
        {
          kind: 'learn.question.import',
          run: ({ job, progress }) => {
            const p = job.payload as { scope: ActingScope; fileName: string };
            return importQuestions(db, p.scope, job.input!, p.fileName, progress);
          },
        },
        // 学习截止提醒: the daily sweep (issue #18, through notify).
        { kind: LEARN_REMIND_JOB, run: () => learnReminders(db), cron: '45 8 * * *' },
      ],
    };
  },
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
