# syntax=docker/dockerfile:1
# One Dockerfile for every service; the SERVICE build arg picks which one the image runs:
#
#   docker build --build-arg SERVICE=gateway -t integrations-gateway .
#   (SERVICE: gateway | registry | oauth | acl | config | commerce-api | third-party-app | subscriber)
#
# Stages: deps (all npm deps, cached on the lockfile) -> build (TypeScript compiled to CommonJS by
# tools/docker/build-dist.mjs with @swc/core, same transform as `node -r @swc-node/register`, path
# aliases rewritten) -> prod-deps (production deps only) -> runtime (node:20-slim, non-root).
#
# Why compile instead of shipping the sources with @swc-node/register: the runtime then needs
# neither swc (a ~40 MB native binary) nor TypeScript, boots without compiling (faster restarts,
# lower RSS), and holds no dev dependency. Why not bundle per app (esbuild/webpack): Nest's optional
# requires and decorator metadata make bundles fragile, and every service shares the same
# production node_modules (~60 MB), so images differ only in their last small layer and share the
# rest in the registry and on the node. Size: node:20-slim (~200 MB unpacked) + ~60 MB deps + ~2 MB
# code.
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /repo
COPY package.json package-lock.json ./
# --ignore-scripts: nothing we run needs an install script (swc ships its binary as an optional
# dependency package); it also keeps arbitrary postinstall code out of the build.
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM deps AS build
COPY . .
# Compiled services, config files, entry scripts and the admin UI: the same script builds what the
# production smoke test of CI starts (tools/docker/smoke-image.mjs).
RUN bash tools/docker/build-image.sh /out
ARG SERVICE=gateway
RUN test -f "/out/apps/${SERVICE}/src/main.js" || test -f "/out/examples/${SERVICE}/src/main.js" \
 || { echo "SERVICE=${SERVICE} is not a service (apps/<name>/src/main.ts or examples/<name>/src/main.ts)"; exit 1; }

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only for the service user: the code cannot be rewritten at runtime.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /out ./
# The one writable place (generated admin credentials file, dev key file); in Kubernetes an
# emptyDir is mounted here so the root filesystem can be read-only.
RUN mkdir -p /app/.local && chown node:node /app/.local
ARG SERVICE=gateway
ENV SERVICE=${SERVICE}
# The `node` user (uid 1000) of the official image.
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "healthcheck.js"]
# Exec form: node is PID 1 and receives SIGTERM itself (the services drain and close on it).
CMD ["node", "main.js"]
