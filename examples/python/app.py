"""A support-desk call on OpenAI, sent to Kaizen with OpenTelemetry's own GenAI instrumentation.

    pip install openai opentelemetry-sdk opentelemetry-exporter-otlp-proto-http \
                opentelemetry-instrumentation-openai-v2 opentelemetry-processor-baggage
    npx kaizen up                                  # in another terminal
    OPENAI_API_KEY=… OTEL_SERVICE_NAME=support-desk-py \
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true python app.py

Any OpenTelemetry GenAI instrumentation works the same way (OpenLLMetry, OpenInference, OpenLIT):
Kaizen reads every dialect. Only the standard OTEL_* variables are needed; the endpoint defaults to
http://localhost:4318, Kaizen's collector (OTEL_EXPORTER_OTLP_ENDPOINT to change it, and
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <KAIZEN_INGEST_TOKEN>" when ingest needs a token).
"""

from openai import OpenAI
from opentelemetry import baggage, context, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
from opentelemetry.processor.baggage import ALLOW_ALL_BAGGAGE_KEYS, BaggageSpanProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider()  # service.name from OTEL_SERVICE_NAME
# Copies baggage (kaizen.workflow.name below) onto every span, so each model call carries its workflow.
provider.add_span_processor(BaggageSpanProcessor(ALLOW_ALL_BAGGAGE_KEYS))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))  # OTLP/HTTP protobuf to :4318
trace.set_tracer_provider(provider)
OpenAIInstrumentor().instrument()

tracer = trace.get_tracer("support-desk")
client = OpenAI()


def answer(email: str) -> str:
    # One workflow run = one trace. kaizen.workflow.name (as baggage, so every span gets it) names it
    # in Kaizen's views; gen_ai.agent.name or kaizen.agent.name would name the agents the same way.
    token = context.attach(baggage.set_baggage("kaizen.workflow.name", "support-reply"))
    try:
        with tracer.start_as_current_span(
            "invoke_workflow support-reply", attributes={"gen_ai.operation.name": "invoke_workflow"}
        ):
            routed = client.chat.completions.create(
                model="gpt-4o-mini",
                temperature=0,
                messages=[
                    {"role": "system", "content": "Classify the email as billing or shipping. Answer with one word."},
                    {"role": "user", "content": email},
                ],
            )
            category = routed.choices[0].message.content.strip().lower()
            reply = client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": f"Write a short reply to this {category} email:\n{email}"}],
            )
            return reply.choices[0].message.content
    finally:
        context.detach(token)


if __name__ == "__main__":
    print(answer("Hello, I was charged twice on my last invoice. Can you help?"))
    provider.shutdown()  # export what is pending before exiting
