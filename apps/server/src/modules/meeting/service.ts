/**
 * 组织生活: meetings from plan to archive — create/plan, notice (invitations and answers),
 * sign-in (QR token or by the secretary), minutes, 补学 for absentees, 谈心谈话, and the
 * counters the compliance check reads. Every write audits in its own transaction.
 *
 * This file is the module's public surface; the work is in the files it re-exports.
 */
export {
  bumpTally,
  cancelMeeting,
  chinaDate,
  chinaDateTime,
  chinaMonth,
  createMeeting,
  generatePlan,
  getMeeting,
  listMeetings,
  loadMeeting,
  toView,
  updateMeeting,
  type MeetingFilter,
  type MeetingRow,
} from './meetings';
export { attendanceView, HIDDEN_NAME, pathsWith, type AttendanceRow } from './attendance';
export {
  orgOfAttendance,
  orgOfCheckin,
  orgOfMeeting,
  orgOfMeetingFile,
  orgOfMeetingFileManaged,
  orgOfOwnMeetingPart,
} from './lookups';
export {
  castBallot,
  closeMotion,
  listStatements,
  markLeftEarly,
  meetingRoom,
  openMotion,
  postStatement,
  remoteCheckin,
  remoteCode,
} from './remote';
export {
  ATTENDANCE_FILTERS,
  listAttendance,
  MEETING_REMIND_JOB,
  MAKEUP_REMIND_JOB,
  remindMakeup,
  publishMeeting,
  remindMeeting,
  remindUnanswered,
  respond,
  type AttendanceFilter,
} from './notice';
export { checkin, type CheckinInput } from './signin';
export { getMinutes, saveMinutes, type MinutesInput, type MinutesView } from './minutes';
export {
  confirmMakeup,
  getInvitation,
  INVITATION_FILTERS,
  invitationFile,
  invitationsOf,
  recordMakeupFor,
} from './invitations';
export { createTalk, listTalks, remindTalkSeats, talkCoverage, type TalkInput } from './talks';
export { recordOnlineLecture, ONLINE_LOCATION, type OnlineLecture } from './online';

// The cadence compliance other modules read (驾驶舱, assessment, 决策参考).
export {
  behindLastPeriod,
  complianceByUnit,
  complianceSummary,
  dueRules,
  heldByMonth,
  monthlyStanding,
  monthRules,
} from './compliance';
