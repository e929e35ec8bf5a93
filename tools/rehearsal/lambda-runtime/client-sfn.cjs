'use strict';
/* global module */
/*
 * The part of @aws-sdk/client-sfn that the CDK Provider framework uses: SFN.startExecution,
 * answered by the rehearsal's Step Functions (the parent process), which runs the waiter.
 */
class SFN {
  async startExecution(request) {
    const answer = await globalThis.__rehearsalCall('sfn.startExecution', {
      stateMachineArn: request.stateMachineArn,
      name: request.name,
      input: request.input,
    });
    return { executionArn: answer.executionArn, startDate: new Date(answer.startDate) };
  }
}

module.exports = { SFN, SFNClient: SFN };
