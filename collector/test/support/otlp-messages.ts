/** Independent protobuf decoding (protobufjs) of the messages the collector answers with. */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
    Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    RetryInfo: { fields: { retry_delay: { type: 'Duration', id: 1 } } },
    Status: {
      fields: {
        code: { type: 'int32', id: 1 },
        message: { type: 'string', id: 2 },
        details: { rule: 'repeated', type: 'Any', id: 3 },
      },
    },
    ExportTracePartialSuccess: {
      fields: { rejected_spans: { type: 'int64', id: 1 }, error_message: { type: 'string', id: 2 } },
    },
    ExportTraceServiceResponse: { fields: { partial_success: { type: 'ExportTracePartialSuccess', id: 1 } } },
    ExportLogsPartialSuccess: {
      fields: { rejected_log_records: { type: 'int64', id: 1 }, error_message: { type: 'string', id: 2 } },
    },
    ExportLogsServiceResponse: { fields: { partial_success: { type: 'ExportLogsPartialSuccess', id: 1 } } },
  },
});

const toObject = (type: string, bytes: Uint8Array) =>
  root
    .lookupType(type)
    .toObject(root.lookupType(type).decode(bytes), { longs: String, defaults: false, bytes: Buffer }) as Record<
    string,
    unknown
  >;

export interface DecodedStatus {
  code?: number;
  message?: string;
  retryDelaySeconds?: string;
}

export function decodeStatus(bytes: Uint8Array): DecodedStatus {
  const s = toObject('Status', bytes) as {
    code?: number;
    message?: string;
    details?: { type_url: string; value: Buffer }[];
  };
  const retry = s.details?.find((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  const info = retry ? (toObject('RetryInfo', retry.value) as { retry_delay?: { seconds?: string } }) : undefined;
  return {
    ...(s.code === undefined ? {} : { code: s.code }),
    ...(s.message === undefined ? {} : { message: s.message }),
    ...(info?.retry_delay?.seconds === undefined ? {} : { retryDelaySeconds: info.retry_delay.seconds }),
  };
}

export function decodeTraceResponse(bytes: Uint8Array): Record<string, unknown> {
  return toObject('ExportTraceServiceResponse', bytes);
}

export function decodeLogsResponse(bytes: Uint8Array): Record<string, unknown> {
  return toObject('ExportLogsServiceResponse', bytes);
}
