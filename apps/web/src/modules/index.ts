/** Every business module of the web app, in one list: adding a module is adding a line here. */
import type { WebModule } from '../platform/module';
import { accountModule } from './account';
import { assessModule } from './assess';
import { auditModule } from './audit';
import { calendarModule } from './calendar';
import { developModule } from './develop';
import { duesModule } from './dues';
import { homeModule } from './home';
import { learnModule } from './learn';
import { mediaModule } from './media';
import { meetingModule } from './meeting';
import { memberModule } from './member';
import { notifyModule } from './notify';
import { orgModule } from './org';
import { serviceModule } from './service';
import { statsModule } from './stats';
import { superviseModule } from './supervise';
import { thoughtModule } from './thought';
import { voiceModule } from './voice';

export const modules: WebModule[] = [
  homeModule,
  statsModule,
  orgModule,
  memberModule,
  meetingModule,
  developModule,
  duesModule,
  learnModule,
  mediaModule,
  voiceModule,
  thoughtModule,
  superviseModule,
  assessModule,
  serviceModule,
  auditModule,
  calendarModule,
  notifyModule,
  accountModule,
];
