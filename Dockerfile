# claude-worker in a container: the API server by default; the same image runs a worker node
# (`worker ...`) or any other command. Build: docker build -t claude-worker .
#
# NODE_IMAGE: any Debian-based Node.js 20.19+ image laid out like the official one
# (node, npm and the Node.js headers under /usr/local).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source where no prebuilt binary fits or can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /build
COPY package.json package-lock.json ./
# Scripts off: the package's own `prepare` (the build) needs the sources, which come next;
# the native module is built on its own just after.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
# git: worktree isolation and merging (2.38+); tini: PID 1 that forwards signals and reaps
# the processes agents leave behind.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
# Not root: Claude Code refuses bypassPermissions (the default) as root unless IS_SANDBOX=1.
RUN useradd --create-home --uid 10001 --home-dir /home/claude-worker claude-worker \
 && mkdir /data /projects \
 && chown claude-worker:claude-worker /data /projects
WORKDIR /app
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
RUN ln -s /app/dist/cli/main.js /usr/local/bin/claude-worker \
 && ln -s /app/dist/app/mcp-bin.js /usr/local/bin/claude-worker-mcp
ENV CLAUDE_WORKER_HOME=/data \
    NODE_ENV=production
USER claude-worker
VOLUME /data
EXPOSE 8000
# Worker nodes serve no HTTP: compose.yaml turns this off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--", "claude-worker"]
# Listening beyond loopback needs CLAUDE_WORKER_TOKEN.
CMD ["server", "start", "--foreground", "--host", "0.0.0.0", "--port", "8000"]
