/**
 * Every business module of the server, in one list — adding a module is adding its manifest here
 * (platform/module.ts says what a manifest holds; docs/architecture.md "How to add a module").
 * The order is the demo's: a module's seeder may use what the modules before it seeded (members before meetings).
 */
import type { ServerModule } from '../platform/module';
import { assessModule } from './assess';
import { auditModule } from './audit';
import { authModule } from './auth';
import { calendarModule } from './calendar';
import { developModule } from './develop';
import { duesModule } from './dues';
import { jobModule } from './job';
import { learnModule } from './learn';
import { mediaModule } from './media';
import { meetingModule } from './meeting';
import { memberModule } from './member';
import { notifyModule } from './notify';
import { orgModule } from './org';
import { privacyModule } from './privacy';
import { serviceModule } from './service';
import { statsModule } from './stats';
import { superviseModule } from './supervise';
import { thoughtModule } from './thought';
import { userModule } from './user';
import { voiceModule } from './voice';

const modules: ServerModule[] = [
  authModule,
  userModule,
  auditModule,
  jobModule,
  calendarModule,
  memberModule,
  orgModule,
  meetingModule,
  developModule,
  duesModule,
  learnModule,
  mediaModule,
  notifyModule,
  voiceModule,
  thoughtModule,
  serviceModule,
  superviseModule,
  assessModule,
];

/** The 驾驶舱 asks every other module for its dashboard part; the personal-data copy for its section. */
export const MODULES: readonly ServerModule[] = [...modules, statsModule(modules), privacyModule(modules)];
