# syntax=docker/dockerfile:1
#
# Switchyard gateway image.
#
#   docker build -t switchyard .
#   docker run -d -p 3000:3000 -v switchyard-data:/app/data -e ENCRYPTION_KEY=... switchyard
#
# Stages:
#   manifests  only the package.json / package-lock.json files, so dependency layers are
#              rebuilt only when a manifest changes, not on every source edit
#   toolchain  node:20-slim + python3/make/g++ (better-sqlite3 compiles when no prebuilt
#              binary can be downloaded)
#   deps       production node_modules (no devDependencies)
#   builder    all node_modules + sources -> `npm run build` (tsc -b) -> /out without node_modules
#   runtime    node:20-slim, production node_modules + built output, non-root `node` user
#
# Why not `npm prune --omit=dev` after the build: with npm workspaces it has removed
# workspace links and nested workspace dependencies it should have kept. Installing the
# production tree in its own stage from the same lockfile is plain and predictable.
# `--ignore-scripts` is needed because the root `prepare` script runs `tsc -b`, which
# cannot work before the sources are copied (and tsc is a devDependency); the one
# install script the runtime needs, better-sqlite3's native build, is run with
# `npm rebuild better-sqlite3`.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

FROM toolchain AS deps
COPY --from=manifests /app/ /app/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force

FROM toolchain AS builder
COPY --from=manifests /app/ /app/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir /out \
 && tar -c --exclude=node_modules --exclude='*.tsbuildinfo' . | tar -x -C /out

FROM ${NODE_IMAGE} AS runtime
# Memory settings the gateway is measured with (core/bin/node-settings.json, docs/operations.md).
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Production dependencies (with the workspace links and better-sqlite3's native module) ...
COPY --from=deps /app/ /app/
# ... then the sources and their build output on top (same tree, no node_modules).
COPY --from=builder /out/ /app/
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "core/bin/switchyard.js", "start", "--config", "/app/switchyard.config.json"]
