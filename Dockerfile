# Kaizen: the collector, the service and the CLI in one image (`kaizen up` by default).
#   docker build -t kaizen .    docker run -p 4318:4318 -p 4317:4317 -p 8000:8000 kaizen
# With KAIZEN_CLICKHOUSE_URL it uses that ClickHouse server; without it, embedded ClickHouse under
# KAIZEN_DATA_DIR (a volume). See docker-compose.yml for the whole stack.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json .npmrc ./
COPY clickhouse/package.json clickhouse/
COPY collector/package.json collector/
COPY instrumentation/package.json instrumentation/
COPY server/package.json server/
RUN npm install --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.base.json ./
COPY clickhouse clickhouse
COPY collector collector
COPY instrumentation instrumentation
COPY server server
RUN npx tsc -b && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    KAIZEN_HOST=0.0.0.0 \
    KAIZEN_DATA_DIR=/var/lib/kaizen
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/clickhouse clickhouse
COPY --from=build /app/collector collector
COPY --from=build /app/instrumentation instrumentation
COPY --from=build /app/server server
# Dashboards and alert rules: what `kaizen export` and /api/export serve.
COPY grafana/dashboards grafana/dashboards
COPY grafana/alerting grafana/alerting
COPY grafana/manifest.json grafana/
RUN mkdir -p /var/lib/kaizen && chown node:node /var/lib/kaizen
USER node
VOLUME ["/var/lib/kaizen"]
EXPOSE 4318 4317 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=12 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.KAIZEN_API_PORT || 8000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "server/bin/kaizen.js"]
CMD ["up"]
