import { randomUUID } from 'node:crypto';
import type { ApiError } from './api-error';

/**
 * AWS's query protocol (Redshift, IAM): form-encoded requests (Action=..., lists as
 * 'Name.member.N'), XML answers wrapped in <ActionResponse><ActionResult>, and errors as
 * <ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>.
 */
export type QueryParams = URLSearchParams;

/** Values of a list member in order: 'ActionNames.member.1', 'ActionNames.member.2', ... */
export function listMember(params: QueryParams, name: string): string[] {
  const found: [number, string][] = [];
  const prefix = `${name}.member.`;
  for (const [key, value] of params) {
    const index = key.startsWith(prefix) ? Number(key.slice(prefix.length)) : NaN;
    if (Number.isInteger(index)) found.push([index, value]);
  }
  return found.sort(([a], [b]) => a - b).map(([, value]) => value);
}

/** The structures of a list member: 'ContextEntries.member.1.ContextKeyName' -> [{ ContextKeyName }]. */
export function structureList(params: QueryParams, name: string): URLSearchParams[] {
  const byIndex = new Map<number, URLSearchParams>();
  const prefix = `${name}.member.`;
  for (const [key, value] of params) {
    const match = key.startsWith(prefix) ? /^(\d+)\.(.+)$/.exec(key.slice(prefix.length)) : null;
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? new URLSearchParams();
    entry.append(match[2] ?? '', value);
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An XML value: text, a nested element map, or a list (rendered as repeated `item` elements). */
type XmlValue = string | number | boolean | undefined | XmlElements | XmlList;
export interface XmlElements {
  readonly [name: string]: XmlValue;
}
interface XmlList {
  readonly item: string;
  readonly values: readonly XmlValue[];
}

function isList(value: XmlValue): value is XmlList {
  return typeof value === 'object' && value !== null && 'item' in value && 'values' in value && Array.isArray((value as XmlList).values);
}

export function xml(elements: XmlElements): string {
  return Object.entries(elements)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlValue(value)}</${name}>`)
    .join('');
}

function xmlValue(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value !== 'object') return escapeXml(String(value));
  if (isList(value)) return value.values.map((item) => `<${value.item}>${xmlValue(item)}</${value.item}>`).join('');
  return xml(value as XmlElements);
}

export function queryResponse(action: string, namespace: string, result: XmlElements): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${xml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(error: ApiError, namespace: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.type)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
