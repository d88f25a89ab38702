import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';

export const TOOL_NAMES = ['analyze_run', 'explain_finding', 'get_run', 'list_workflows', 'query_sql', 'top_waste'];

interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
}

/** Calls a tool and returns its structured result, failing the test on a tool error. */
export async function callOk<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const r = (await client.callTool({ name, arguments: args })) as ToolAnswer;
  if (r.isError) throw new Error(`${name} failed: ${r.content.map((c) => c.text).join(' ')}`);
  expect(JSON.parse(r.content[0]!.text!)).toEqual(r.structuredContent);
  return r.structuredContent as T;
}

/** Calls a tool that must fail, and returns the error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  try {
    const r = (await client.callTool({ name, arguments: args })) as ToolAnswer;
    expect(r.isError).toBe(true);
    return r.content.map((c) => c.text ?? '').join(' ');
  } catch (e) {
    return (e as Error).message;
  }
}
