import { SingleBar } from 'cli-progress';

/** A progress bar on stderr when it is a terminal; nothing otherwise (CI logs get the phase summaries). */
export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `  ${label.padEnd(22)} {bar} {value}/{total} {duration_formatted}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: true,
    stream,
  });
  bar.start(total, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}
