import { startWorkflow } from '@kaizen/instrumentation';
import { supportChat } from './chat.workflow.js';
import { createClients } from './clients.js';
import { WORKFLOWS, type CrewConfig, type CrewMessage } from './crew.protocol.js';
import { supportEmail } from './email.workflow.js';
import type { RetryCounter } from './retry.js';
import { scenarios } from './scenarios.js';

/**
 * Runs the crew's workflows, `concurrency` at a time, each as one workflow run (one trace), and
 * reports each run as it ends. A run that fails (after the crew's retries) is reported, not fatal.
 */
export async function runCrew(
  config: CrewConfig,
  report: (m: CrewMessage) => void,
): Promise<{ runs: number; failedRuns: number; retries: number }> {
  const clients = createClients(config.mockUrl);
  const list = scenarios(config.runs, config.seed);
  const retry: RetryCounter = { retries: 0 };
  let next = 0;
  let failedRuns = 0;
  const worker = async () => {
    for (let i = next++; i < list.length; i = next++) {
      const run = list[i]!;
      const workflow = run.kind === 'email' ? WORKFLOWS.email : WORKFLOWS.chat;
      const handle = startWorkflow(workflow, { feature: 'customer-support' });
      const traceId = handle.span.spanContext().traceId;
      try {
        await handle.run(() =>
          run.kind === 'email' ? supportEmail(clients, retry, run) : supportChat(clients, retry, run),
        );
        handle.end();
        report({ type: 'run', index: i, traceId, workflow, ok: true });
      } catch (e) {
        handle.end(e);
        failedRuns++;
        report({
          type: 'run',
          index: i,
          traceId,
          workflow,
          ok: false,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, list.length) }, worker));
  return { runs: list.length, failedRuns, retries: retry.retries };
}
