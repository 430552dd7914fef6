import type { Logger } from '@integrations/service-kit';

/**
 * When each part stops, after HTTP (Nest closes the server before `onApplicationShutdown`): what
 * feeds work in first, then what writes (usage flush, whose events the relay must still publish),
 * then the relay, then the connections everything above used.
 */
export const SHUTDOWN_STAGES = ['consumers', 'timers', 'relay', 'kafka', 'database'] as const;
export type ShutdownStage = (typeof SHUTDOWN_STAGES)[number];

/**
 * The service's parts register how they stop as they start (in Nest's provider factories). Built
 * outside Nest, so a boot that fails half-way (a missing key after Mongo connected, say) still
 * releases what it opened. Nest's provider hooks run in no order we could rely on; this does.
 */
export class ShutdownSequence {
  private readonly steps: Array<{ stage: ShutdownStage; name: string; run: () => Promise<unknown> }> = [];
  private closing?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  /**
   * A part that finishes starting after the sequence began to close (a boot failed while it was
   * still connecting) is stopped as soon as the sequence is done.
   */
  add(stage: ShutdownStage, name: string, run: () => Promise<unknown>): void {
    if (this.closing) void this.closing.then(() => this.runStep({ name, run }));
    else this.steps.push({ stage, name, run });
  }

  /**
   * Stage by stage; within a stage, the last registered first. A failing step does not stop the
   * rest. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const stage of SHUTDOWN_STAGES) {
        for (const step of this.steps.filter((s) => s.stage === stage).reverse()) await this.runStep(step);
      }
    })();
    return this.closing;
  }

  private async runStep(step: { name: string; run: () => Promise<unknown> }): Promise<void> {
    await step
      .run()
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `${step.name} failed during shutdown`,
        ),
      );
  }
}
