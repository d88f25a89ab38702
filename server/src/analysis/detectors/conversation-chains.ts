import type { CallRecord } from '../analysis.types.js';

/**
 * Conversations inside a run: a call continues an earlier one when its messages start with all of
 * that call's messages (same system prompt). Found with rolling hashes of message prefixes, so the
 * pass is linear in the number of messages. Used to keep consecutive turns from looking like
 * duplicates, and to measure history growth.
 */
export interface Chains {
  /** For each call index, the call it continues (-1 for none). */
  readonly parent: Int32Array;
  /** For each call index, the first call of its conversation (itself when it starts one). */
  readonly root: Int32Array;
  /** For each call index, a hash of its system prompt, agent and messages (0 without messages). */
  readonly messagesKey: Float64Array;
}

// Two 31-bit polynomial hashes packed into one safe integer (products stay below 2^53).
const P1 = 2_147_483_647;
const P2 = 2_147_483_629;
const B1 = 1_000_003;
const B2 = 999_983;

function pack(h1: number, h2: number): number {
  return h1 * 4_194_304 + (h2 & 0x3fffff);
}

export function findChains(calls: readonly CallRecord[]): Chains {
  const textIds = new Map<string, number>();
  const idOf = (s: string) => {
    let id = textIds.get(s);
    if (id === undefined) {
      id = textIds.size + 1;
      textIds.set(s, id);
    }
    return id;
  };
  // Full-request hash → latest call index with exactly those messages.
  const byFull = new Map<number, number>();
  const parent = new Int32Array(calls.length).fill(-1);
  const root = new Int32Array(calls.length);
  const messagesKey = new Float64Array(calls.length);
  for (const call of calls) {
    const i = call.index;
    root[i] = i;
    if (call.messages.length === 0) continue;
    const prefixes: number[] = [];
    let h1 = idOf(`${call.systemHash}\x1f${call.agentName}`) % P1;
    let h2 = h1 % P2;
    for (const m of call.messages) {
      const id = idOf(`${m.role}\x1f${m.text}`);
      h1 = (h1 * B1 + id) % P1;
      h2 = (h2 * B2 + id) % P2;
      prefixes.push(pack(h1, h2));
    }
    for (let j = prefixes.length - 2; j >= 0; j--) {
      const prev = byFull.get(prefixes[j]!);
      if (prev !== undefined) {
        parent[i] = prev;
        root[i] = root[prev]!;
        break;
      }
    }
    byFull.set(prefixes[prefixes.length - 1]!, i);
    messagesKey[i] = prefixes[prefixes.length - 1]!;
  }
  return { parent, root, messagesKey };
}
