import { randomUUID } from 'node:crypto';
import { ref, type StackContext } from './intrinsics';
import type { LambdaService } from './lambda-service';

/** CloudFormation refuses a custom resource response over 4096 bytes. */
export const MAX_RESPONSE_BYTES = 4096;

export interface CustomResourceRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
  readonly OldResourceProperties?: Readonly<Record<string, unknown>>;
  readonly PhysicalResourceId?: string;
}

/** The response as CloudFormation took it: its fields, its size, and what CloudFormation made of it. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data: Readonly<Record<string, unknown>>;
  readonly bytes: number;
  readonly requestId: string;
}

interface Waiting {
  readonly request: { RequestId: string; StackId: string; LogicalResourceId: string };
  resolve(response: CustomResourceResponse): void;
}

/**
 * CloudFormation's side of a custom resource: sends the request to the ServiceToken function
 * (asynchronously, as CloudFormation invokes it), gives it a pre-signed ResponseURL, and waits for
 * the PUT there, checking the response as CloudFormation does.
 */
export class CloudFormation {
  private readonly waiting = new Map<string, Waiting>();
  readonly stackId: string;

  constructor(
    private readonly stack: StackContext,
    private readonly lambda: LambdaService,
  ) {
    this.stackId = ref(stack, 'AWS::StackId');
  }

  async send(request: CustomResourceRequest, timeoutMs: number): Promise<CustomResourceResponse> {
    const requestId = randomUUID();
    const serviceToken = String(request.ResourceProperties.ServiceToken ?? '');
    const region = this.stack.region;
    const key = `${encodeURIComponent(this.stackId)}%7C${request.LogicalResourceId}%7C${requestId}`;
    const event = {
      ...request,
      RequestId: requestId,
      ServiceToken: serviceToken,
      StackId: this.stackId,
      ResponseURL: `https://cloudformation-custom-resource-response-${region.replace(/-/g, '')}.s3-${region}.amazonaws.com/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature=rehearsal`,
    };
    const answered = new Promise<CustomResourceResponse>((resolve) => {
      this.waiting.set(requestId, {
        request: { RequestId: requestId, StackId: this.stackId, LogicalResourceId: request.LogicalResourceId },
        resolve,
      });
    });
    await this.lambda.invoke(serviceToken, event, 'Event');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<CustomResourceResponse>((resolve) => {
      timer = setTimeout(() => {
        this.waiting.delete(requestId);
        const reason = `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${requestId}]. (rehearsal waited ${Math.round(timeoutMs / 1000)} s)`;
        resolve({ Status: 'FAILED', Reason: reason, PhysicalResourceId: request.PhysicalResourceId ?? '', Data: {}, bytes: 0, requestId });
      }, timeoutMs);
    });
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The PUT to a ResponseURL, relayed from the function's sandbox. */
  receive(request: { method: string; hostname: string; path: string; body: string }): { statusCode: number } {
    const requestId =
      decodeURIComponent(request.path.split('?')[0] ?? '')
        .split('|')
        .pop() ?? '';
    const waiting = this.waiting.get(requestId);
    if (request.method !== 'PUT' || !waiting) return { statusCode: 403 };
    this.waiting.delete(requestId);
    const bytes = Buffer.byteLength(request.body, 'utf8');
    const fail = (reason: string) =>
      waiting.resolve({ Status: 'FAILED', Reason: reason, PhysicalResourceId: '', Data: {}, bytes, requestId });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      fail('Invalid response object: the body is not JSON');
      return { statusCode: 200 };
    }
    if (bytes > MAX_RESPONSE_BYTES) fail(`Response object is too long (${bytes} bytes; CloudFormation takes ${MAX_RESPONSE_BYTES}).`);
    else if (body.Status !== 'SUCCESS' && body.Status !== 'FAILED') fail(`Invalid response object: Status '${String(body.Status)}'`);
    else if (typeof body.PhysicalResourceId !== 'string' || body.PhysicalResourceId === '') fail('Invalid PhysicalResourceId');
    else if (Object.entries(waiting.request).some(([field, value]) => body[field] !== value))
      fail('Invalid response object: RequestId, StackId or LogicalResourceId does not match the request');
    else {
      waiting.resolve({
        Status: body.Status,
        Reason: typeof body.Reason === 'string' ? body.Reason : '',
        PhysicalResourceId: body.PhysicalResourceId,
        Data: (body.Data as Record<string, unknown> | undefined) ?? {},
        bytes,
        requestId,
      });
    }
    return { statusCode: 200 };
  }
}
