# The GitHub App server (and the CLI). Node 20 is past end of life: the image
# runs a supported LTS. The build stage compiles the tree-sitter addon (no
# prebuild matches Debian's libstdc++); the runtime stage carries production
# dependencies only and runs as a non-root user.
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY rules ./rules
COPY scripts ./scripts
COPY bin ./bin
# The same steps CI runs: npm ci runs `prepare`, which builds dist/.
RUN npm ci && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY bin ./bin
COPY rules/*.md ./rules/
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (not npm): it gets SIGTERM and shuts down gracefully
# (stops taking jobs, finishes the running ones, exits 0).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/app/main.js"]
