import { z } from 'zod';

/**
 * What `kaizen demo` and the crew's child process say to each other: the configuration as the
 * child's one argument (JSON), progress as IPC messages. No SDK is imported here: the parent never
 * loads the SDKs, so the service's own Gemini judge is never instrumented by the demo.
 */

export const CREW_SERVICE = 'email-crew';
export const WORKFLOWS = { email: 'support-email', chat: 'support-chat' } as const;

const configSchema = z.object({
  /** The mock LLM server's base URL. */
  mockUrl: z.url(),
  runs: z.number().int().min(1).max(100_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  /** Workflow runs at once. */
  concurrency: z.number().int().min(1).max(64),
});

export type CrewConfig = z.infer<typeof configSchema>;

export function parseCrewConfig(text: string | undefined): CrewConfig {
  return configSchema.parse(JSON.parse(text ?? 'null'));
}

export type CrewMessage =
  | {
      readonly type: 'run';
      readonly index: number;
      readonly traceId: string;
      readonly workflow: string;
      readonly ok: boolean;
      readonly error?: string;
    }
  | {
      readonly type: 'done';
      readonly runs: number;
      readonly failedRuns: number;
      /** Spans the app ended (all exported before this message). */
      readonly spans: number;
      /** Model calls the crew retried after a failure. */
      readonly retries: number;
      readonly durationMs: number;
    };

export function isCrewMessage(m: unknown): m is CrewMessage {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return type === 'run' || type === 'done';
}
