/** The id of an offline load not given --load-id: `offline-<UTC time>`, which follows LOAD_ID (lib/rules/load-id.ts). */
export function newLoadId(now = new Date()): string {
  return `offline-${now.toISOString().replace(/[:.]/g, '-')}`;
}
