import type { ServerModule } from '../../platform/module';
import { seedVoice } from './demo';
import { voiceRoutes } from './routes';
import { voiceIdentity, voiceLetter, voiceLetterFile, voiceLetterMessage, voiceOpinion } from './schema';
import { voiceDataOfUser } from './service';

export const voiceModule: ServerModule = {
  name: 'voice',
  routes: voiceRoutes,
  sealed: [
    { column: voiceOpinion.contactEnc },
    { column: voiceIdentity.nameEnc, key: voiceIdentity.opinionId },
    { column: voiceLetter.subjectEnc },
    { column: voiceLetterMessage.bodyEnc },
    { column: voiceLetterFile.fileNameEnc },
  ],
  demo:
    ({ fieldCrypto }) =>
    ({ tx, tenantId, orgs }) =>
      seedVoice(tx, fieldCrypto, tenantId, orgs),
  personalData: {
    // 互动: the account's opinions, letters, posts and answers (never another person's).
    ofAccount: async ({ db, fieldCrypto }, { scope }) => ({
      voice: await voiceDataOfUser(db, fieldCrypto, scope.tenantId, scope.principal.user.id),
    }),
  },
};
