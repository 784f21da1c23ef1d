import { readAssembly, StackInput } from './assembly';
import { simulateStacks } from './simulate';
import { SimulationOptions, SimulationResult } from './types';

/**
 * An offline game day: reads a cloud assembly (`cdk.out`), injects the outage of one region and reports when each
 * traffic and data flow moves, what blocks it, and a timeline. Uses only the templates; needs no AWS account.
 *
 * @example
 * import { OutageSimulator } from 'cdk-multi-region-failover';
 *
 * const result = OutageSimulator.fromAssembly('cdk.out').run({ outage: 'us-east-1' });
 */
export class OutageSimulator {
  /** A simulator over the cloud assembly in `directory` (nested assemblies of Stages included). */
  public static fromAssembly(directory: string): OutageSimulator {
    return new OutageSimulator(readAssembly(directory));
  }

  private constructor(private readonly stacks: StackInput[]) {}

  /** Simulates one outage. */
  public run(options: SimulationOptions): SimulationResult {
    return simulateStacks(this.stacks, options);
  }
}
