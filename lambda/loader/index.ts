// Custom resource handlers for the warehouse load (issue #4). Filled in below; this stub exists so the
// CDK stack can bundle it.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export async function onEvent(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string }> {
  return { PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : 'sparkify-load' };
}

export async function isComplete(): Promise<{ IsComplete: boolean }> {
  return { IsComplete: true };
}
