import type { IConstruct } from 'constructs';

/** A construct was given props it cannot build: names the construct, the prop, the value and the fix. */
export class InvalidPropsError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'InvalidPropsError';
  }
}
