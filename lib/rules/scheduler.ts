/**
 * What EventBridge Scheduler writes into a schedule's Input at each invocation: its scheduled time,
 * e.g. 2022-03-22T18:59:43Z
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 * Sent as it is when the Input is sent by hand (a console test, `aws lambda invoke`).
 */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

/** The Trigger of the stale-load check's Input (lib/schedule/stale-load-check.ts, lambda/loader/stale-loads.ts). */
export const STALE_CHECK_TRIGGER = 'stale-load-check';
