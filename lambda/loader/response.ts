import type { ProviderEvent } from './types';

/** CloudFormation refuses a custom resource response over 4096 bytes (and the deploy fails obscurely). */
export const MAX_RESPONSE_BYTES = 4096;

/** The size of the response the Provider framework sends for this event, Data and all. */
export function responseBytes(event: ProviderEvent, physicalResourceId: string, data: Readonly<Record<string, unknown>>): number {
  return Buffer.byteLength(
    JSON.stringify({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: event.StackId,
      RequestId: event.RequestId,
      PhysicalResourceId: physicalResourceId,
      LogicalResourceId: event.LogicalResourceId,
      Data: data,
    }),
    'utf8',
  );
}

/** Fails plainly, before CloudFormation would, when Data would not fit the response. */
export function assertFitsResponse(event: ProviderEvent, physicalResourceId: string, data: Readonly<Record<string, unknown>>): void {
  const bytes = responseBytes(event, physicalResourceId, data);
  if (bytes > MAX_RESPONSE_BYTES) {
    throw new Error(
      `the custom resource response would be ${bytes} bytes, over CloudFormation's ${MAX_RESPONSE_BYTES}: ` +
        `Data has ${Object.keys(data).join(', ')}; return fewer or shorter attributes`,
    );
  }
}
