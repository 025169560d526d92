/** On-call schedules: what the store, the API, the CLI and the escalation import. */
export type { Layer, Override, Restriction, Rotation, Schedule, Shift, Weekday } from './schedule.js';
export { weekdays } from './schedule.js';
export { shiftsBetween, whoIsOnCall } from './on-call.js';
export { scheduleToICal } from './schedule-ical.js';
export type { ICalOptions } from './schedule-ical.js';
export { scheduleSchema } from './schedule-schema.js';
export type { ScheduleDefinition } from './schedule-schema.js';
export { fromLocal, isValidTimeZone, toLocal } from './local-time.js';
