/**
 * Structure inside a request's text: retrieved context blocks (`<document>` tags, "[1] …",
 * "Document 2:", "Source 3:" headers) and few-shot examples ("Example 1:", `<example>` tags,
 * Input:/Output: pairs). Heuristic and conservative: text that matches no pattern is one block.
 */

export interface TextBlock {
  readonly start: number;
  readonly end: number;
  /** The block's own number when it has one ("[3]", "Document 3") — for citation matching. */
  readonly label: string;
}

const TAGGED = /<(document|doc|context|source|passage|chunk|article|result|snippet)\b[^>]*>([\s\S]*?)<\/\1>/gi;
const HEADER =
  /^[ \t]*(?:\[(\d+)\]|(?:#+[ \t]*)?(?:document|doc|source|passage|chunk|context|result|article|snippet)[ \t]*#?[ \t]*(\d+)[ \t]*[:.)\]-])/gim;
/** A line that ends the last block: a labelled field ("Ticket:", "Question:") or an instruction. */
const TAIL =
  /^[ \t]*(?:#+[ \t]*)?(?:[A-Z][A-Za-z]*(?: [A-Za-z]+){0,3}:|(?:question|query|task|instructions?|answer the|now answer)\b).*$/gm;

/** Context blocks of a text (empty when the text has fewer than two). */
export function contextBlocks(text: string): TextBlock[] {
  const tagged: TextBlock[] = [];
  for (const m of text.matchAll(TAGGED)) {
    const id = /\bid\s*=\s*["']?([\w-]+)/i.exec(m[0])?.[1] ?? String(tagged.length + 1);
    tagged.push({ start: m.index, end: m.index + m[0].length, label: id });
  }
  if (tagged.length >= 2) return tagged;

  const headers = [...text.matchAll(HEADER)].map((m) => ({ start: m.index, label: m[1] ?? m[2] ?? '' }));
  if (headers.length < 2) return [];
  const lastHeader = headers[headers.length - 1]!.start;
  let end = text.length;
  for (const t of text.matchAll(TAIL)) {
    if (t.index > lastHeader) {
      end = t.index;
      break;
    }
  }
  return headers.map((h, i) => ({
    start: h.start,
    end: i + 1 < headers.length ? headers[i + 1]!.start : end,
    label: h.label,
  }));
}

export interface ExampleRegion {
  readonly count: number;
  /** Characters the examples span. */
  readonly chars: number;
}

const EXAMPLE_TAG = /<example>[\s\S]*?<\/example>/gi;
const EXAMPLE_HEADER = /^[ \t]*(?:#+[ \t]*)?example[ \t]*#?[ \t]*\d*[ \t]*[:.)-]/gim;
const INPUT_LINE = /^[ \t]*(?:input|q|question|user|text|email|review|message|sentence)[ \t]*:/gim;
const OUTPUT_LINE = /^[ \t]*(?:output|a|answer|assistant|label|category|sentiment|intent|result)[ \t]*:/gim;

/** Few-shot examples in a text: the largest count any pattern finds, and the span they cover. */
export function fewShotExamples(text: string): ExampleRegion {
  const tags = [...text.matchAll(EXAMPLE_TAG)];
  if (tags.length >= 2) {
    return { count: tags.length, chars: tags.reduce((s, m) => s + m[0].length, 0) };
  }
  const starts = (re: RegExp) => [...text.matchAll(re)].map((m) => m.index);
  const headers = starts(EXAMPLE_HEADER);
  const inputs = starts(INPUT_LINE);
  const outputs = starts(OUTPUT_LINE);
  const pairs = Math.min(inputs.length, outputs.length);
  const use = headers.length >= 2 ? headers : pairs >= 2 ? inputs.slice(0, pairs) : [];
  if (use.length < 2) return { count: 0, chars: 0 };
  const first = use[0]!;
  const last = use[use.length - 1]!;
  const gap = (last - first) / (use.length - 1);
  // The last example ends about one average gap after it starts, or at a blank-line break.
  const blank = text.indexOf('\n\n', last + 1);
  const lastEnd = Math.min(text.length, last + gap, blank > last ? blank : text.length);
  return { count: use.length, chars: Math.max(0, lastEnd - first) };
}
