import type { Schedule } from '../respond/schedules/schedule.js';

/** An on-call schedule as stored: its definition, validated when it was written. */
export interface StoredSchedule {
  readonly id: string;
  readonly schedule: Schedule;
  readonly createdAt: number;
  readonly updatedAt: number;
}
