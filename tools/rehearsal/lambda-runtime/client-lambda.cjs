'use strict';
/* global module, Buffer */
/*
 * The part of @aws-sdk/client-lambda that Lambda's Node.js runtime provides and the CDK Provider
 * framework uses: Lambda.invoke, answered by the rehearsal's Lambda service (the parent process).
 */
class Lambda {
  async invoke(request) {
    const answer = await globalThis.__rehearsalCall('lambda.invoke', {
      FunctionName: request.FunctionName,
      InvocationType: request.InvocationType || 'RequestResponse',
      Payload: Buffer.from(request.Payload || '').toString('utf8'),
    });
    return {
      StatusCode: answer.StatusCode,
      FunctionError: answer.FunctionError,
      ExecutedVersion: '$LATEST',
      Payload: new Uint8Array(Buffer.from(answer.Payload || '', 'utf8')),
    };
  }
}

async function waitUntilFunctionActiveV2() {
  return { state: 'SUCCESS' };
}

module.exports = { Lambda, LambdaClient: Lambda, waitUntilFunctionActiveV2 };
