import { scanJsonRecords } from '../../local/copy/json-records';
import { readFiles } from '../../local/copy/read-files';
import { LocalBuckets } from '../../local/copy/s3-source';
import { decodeSource } from '../../local/copy/source-text';

export interface FloorResult {
  readonly files: number;
  readonly records: number;
  readonly bytes: number;
  readonly ms: number;
}

/**
 * The floor of a load: list the same objects, read them the way the COPY emulation reads them,
 * decode, and JSON.parse every record; nothing converted, nothing stored. What is left of a load
 * beyond this is the database's work and the conversions.
 */
export async function readAndParseFloor(buckets: Readonly<Record<string, string>>, uris: readonly string[]): Promise<FloorResult> {
  const began = performance.now();
  const local = new LocalBuckets(buckets);
  let files = 0;
  let records = 0;
  let bytes = 0;
  const visitor = {
    record: () => {
      records += 1;
    },
    malformed: () => {
      records += 1;
    },
  };
  for (const uri of uris) {
    const objects = await local.list(uri);
    for await (const buffer of readFiles(objects.map((object) => object.path))) {
      files += 1;
      bytes += buffer.length;
      scanJsonRecords(decodeSource(buffer, undefined).text, visitor);
    }
  }
  return { files, records, bytes, ms: performance.now() - began };
}
