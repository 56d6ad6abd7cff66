# syntax=docker/dockerfile:1
#
# Meshglass container image: Next.js `output: 'standalone'` server; built on node:22-bookworm-slim, run on
# distroless Node 22 (no shell, no npm, no package manager), non-root, base pinned by digest.
#
#   docker build -t meshglass:dev .
#   docker build --build-arg BASE_PATH=/meshglass -t meshglass:dev .   # path-based ingress (baked in at build time)
#   docker run --rm -p 3000:3000 --read-only --tmpfs /tmp -e DASHBOARD_TOKEN=$(openssl rand -hex 32) \
#     -e PROMETHEUS_URL=http://prometheus:9090 meshglass:dev      # an access setting is required (docs/deploy.md)
#
# Runtime: uid/gid 65532 (non-root, numeric so Kubernetes `runAsNonRoot` can verify it), no writes
# outside /tmp (works with readOnlyRootFilesystem + an emptyDir on /tmp), port 3000.
#
# NOTE: this file was written without being able to run `docker build` (no Docker daemon and no
# registry access where it was written). The same steps (standalone build, copy of .next/static, /tmp
# cache symlink, non-root read-only run) were exercised by hand outside Docker; see docs/deploy.md. The
# runtime digest below is the one several public projects record for gcr.io/distroless/nodejs22-debian12:
# nonroot (one of them "resolved 2026-07-17 against gcr.io"); it was not pulled here. Re-resolve it with
# `crane digest gcr.io/distroless/nodejs22-debian12:nonroot` (or `docker buildx imagetools inspect`)
# when you build, and keep it pinned.

# Build stages only (nothing of them ships): a tag is acceptable here.
ARG NODE_IMAGE=node:22-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e

# ---- 1. dependencies (cached until package.json / package-lock.json change) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
# devDependencies are needed to build (typescript, tailwind); they do not reach the runtime image.
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- 2. build ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# basePath is read by next.config.ts at build time only; changing it needs a rebuild.
ARG BASE_PATH=""
ENV BASE_PATH=${BASE_PATH}
# next.config.ts emits the standalone server only when asked (the demo uses `next start`).
ENV MESHGLASS_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# Next writes its cache (image optimisation, ISR) under .next/cache: point it at /tmp so the root
# filesystem can stay read-only; the target directory is created at start (see CMD).
# public/ may be absent from a git checkout (empty directory): create it so the COPY below works.
RUN mkdir -p public snapshot-dir \
 && npx next build \
 && test -f .next/standalone/server.js \
 && rm -rf .next/standalone/.next/cache \
 && ln -s /tmp/next-cache .next/standalone/.next/cache

# ---- 3. runtime: distroless Node (entrypoint /nodejs/bin/node), no shell ----
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
ARG BASE_PATH=""
# The standalone server binds to $HOSTNAME; container runtimes set HOSTNAME to the container/pod
# name, which would make it listen on the pod IP only (kubectl port-forward connects to localhost).
# BASE_PATH here only informs the HEALTHCHECK and proxy.ts' basePath fallback; the app's basePath
# itself is baked in at build time and cannot be changed on the runtime image.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    BASE_PATH=${BASE_PATH}

# Files stay owned by root and read-only for the runtime user.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /app/scripts/docker-entry.mjs ./docker-entry.mjs

# Pinned snapshots (docs/snapshots.md): writable by the runtime user; mount a volume here to keep them. The
# runtime image has no shell, so the empty directory is made in the build stage and copied with its owner.
COPY --from=build --chown=65532:65532 /app/snapshot-dir /var/lib/meshglass/snapshots
ENV SNAPSHOT_STORE=/var/lib/meshglass/snapshots

# Numeric, so Kubernetes `runAsNonRoot` can verify it (distroless' `nonroot` is 65532 as well).
USER 65532:65532
EXPOSE 3000

# The public liveness probe (no credentials needed; /api/healthz requires authentication).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/nodejs/bin/node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+(process.env.BASE_PATH||'')+'/api/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# The image's entrypoint is node: this runs scripts/docker-entry.mjs (mkdir of the cache dir, then
# server.js) as PID 1.
CMD ["docker-entry.mjs"]
