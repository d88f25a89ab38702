import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '../semconv.js';

/** The GenAI client metrics (semconv 1.41 names and bucket advice). */
export class GenAIMetrics {
  private readonly duration: Histogram;
  private readonly tokens: Histogram;

  public constructor(meter: Meter) {
    this.duration = meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
      description: 'GenAI operation duration',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
        ],
      },
    });
    this.tokens = meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      description: 'Measures number of input and output tokens used',
      unit: '{token}',
      advice: {
        explicitBucketBoundaries: [
          1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
        ],
      },
    });
  }

  public record(
    span: Attributes,
    seconds: number,
    inputTokens: number | undefined,
    outputTokens: number | undefined,
  ): void {
    const attributes: Attributes = {};
    for (const key of [
      ATTR_GEN_AI_OPERATION_NAME,
      ATTR_GEN_AI_PROVIDER_NAME,
      ATTR_GEN_AI_REQUEST_MODEL,
      ATTR_GEN_AI_RESPONSE_MODEL,
      ATTR_SERVER_ADDRESS,
      ATTR_SERVER_PORT,
      ATTR_ERROR_TYPE,
    ]) {
      const value = span[key];
      if (value !== undefined) attributes[key] = value;
    }
    this.duration.record(seconds, attributes);
    if (inputTokens !== undefined)
      this.tokens.record(inputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
    if (outputTokens !== undefined) {
      this.tokens.record(outputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
    }
  }
}
